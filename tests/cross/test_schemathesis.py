"""Property-based API test: schemathesis sends schema-derived (and schema-violating) requests to
every operation and runs all its checks on each answer, as an admin and as an employer.

What a failure here means and the few deliberate exceptions: ``docs/reliability.md``.
"""

from __future__ import annotations

import itertools
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kai_match.config import Settings
from kai_match.db import make_engine, normalise_url
from kai_match.main import create_app
from kai_match.migrate import upgrade
from tests.builders import (
    make_key,
    make_participant,
    matching_job,
    matching_person,
)
from tests.conftest import ADMIN_KEY

# Examples per operation and phase; with a fixed seed (derandomize) CI sees the same requests.
MAX_EXAMPLES = 10

# Deliberate, narrow exceptions: one check, one operation, the extra statuses it may answer to
# schema-valid input, and why the schema cannot say more (docs/reliability.md lists them).
CURSOR = "the cursor is an opaque token the service signs; any other string is a 422"
REFERENCE = "postal codes must exist, skill and occupation names must resolve (reference data)"
PROFILE = "profile names a stored weight profile; version needs profile (cross-parameter rule)"
ETAG = "If-Match must be the current ETag (412); employer keys must send one (428)"
POSITIVE_DATA_EXCEPTIONS: dict[str, tuple[list[str], str]] = {
    "GET /api/v1/participants": (["422"], CURSOR),
    "GET /api/v1/employers": (["422"], CURSOR),
    "GET /api/v1/vacancies": (["422"], CURSOR),
    "GET /api/v1/placements": (["422"], CURSOR),
    "GET /api/v1/api-keys": (["422"], CURSOR),
    "GET /api/v1/audit": (["422"], CURSOR),
    "GET /api/v1/match-lists": (["422"], CURSOR),
    "GET /api/v1/participants/{participant_id}/matches": (["422"], f"{CURSOR}; {PROFILE}"),
    "GET /api/v1/vacancies/{vacancy_id}/matches": (["422"], f"{CURSOR}; {PROFILE}"),
    "GET /api/v1/matches/explain": (["422"], f"{CURSOR}; {PROFILE}"),
    "GET /api/v1/reports/fairness": (["422"], PROFILE),
    "POST /api/v1/evaluations": (["422"], PROFILE),
    "POST /api/v1/assignments": (["422"], PROFILE),
    "POST /api/v1/weight-profiles/fit": (["422"], PROFILE),
    "POST /api/v1/participants": (["422"], REFERENCE),
    "PATCH /api/v1/participants/{participant_id}": (["412", "422", "428"], f"{REFERENCE}; {ETAG}"),
    "POST /api/v1/employers": (["422"], REFERENCE),
    "PATCH /api/v1/employers/{employer_id}": (["412", "422", "428"], f"{REFERENCE}; {ETAG}"),
    "POST /api/v1/vacancies": (["422"], REFERENCE),
    "PATCH /api/v1/vacancies/{vacancy_id}": (["412", "422", "428"], f"{REFERENCE}; {ETAG}"),
    "POST /api/v1/vacancies/jobposting": (
        ["422"],
        f"{REFERENCE}; JSON-LD @type must be JobPosting and the employer must be named",
    ),
    "PATCH /api/v1/placements/{placement_id}": (["412", "428"], ETAG),
    "POST /api/v1/placements/{placement_id}/transitions": (["412", "428"], ETAG),
    "POST /api/v1/api-keys": (
        ["422"],
        "site only for counsellor keys, employer_id only for employer keys",
    ),
    "POST /api/v1/weight-profiles": (["422"], "the weights must be valid together (sums, ranges)"),
    "POST /api/v1/matches/batch": (["422"], "exactly one of participant_ids, vacancy_ids"),
    "GET /api/v1/reports/programme": (["422"], "from must not lie after to"),
}
_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # schemathesis' default
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-name": name,
                "checks": {"positive_data_acceptance": {"expected-statuses": _ACCEPTED + extra}},
            }
            for name, (extra, _reason) in POSITIVE_DATA_EXCEPTIONS.items()
        ]
    }
)
_keys = itertools.count()


@dataclass
class Target:
    """A seeded app and the headers of the caller schemathesis plays."""

    app: FastAPI
    key: str


# The OpenAPI document needs no database; each test sends its requests to the seeded app of
# its `target` (the in-process ASGI transport, no network).
_SCHEMA_APP = create_app(Settings(database_url="sqlite://", auto_migrate=False))
schema = schemathesis.openapi.from_dict(_SCHEMA_APP.openapi(), config=CONFIG)
schema.app = _SCHEMA_APP
_caller: dict[str, str] = {}


@schema.auth(refresh_interval=None)
class _Bearer:
    """The key of the current target; schemathesis leaves it off cases that test a missing one."""

    def get(self, case: schemathesis.Case, ctx: schemathesis.AuthContext) -> str:
        return _caller.get("key", "")  # empty while pytest collects

    def set(self, case: schemathesis.Case, data: str, ctx: schemathesis.AuthContext) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def _seed(settings: Settings, role: str) -> str:
    """A small world, so generated ids 1 and 2 often hit real records; returns the caller's key."""
    with TestClient(
        create_app(settings), headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    ) as client:
        employer = client.post(
            "/api/v1/employers",
            json={"name": "Logistik A GmbH", "sector": "H52.10", "postal_code": "04552"},
        ).json()
        job = matching_job(client, employer["id"])
        person = matching_person(client)
        make_participant(client, site="borna")
        client.post(
            "/api/v1/placements",
            json={"participant_id": person["id"], "vacancy_id": job["id"]},
        )
        if role == "admin":
            return ADMIN_KEY
        return make_key(client, "employer", employer_id=employer["id"])["key"]


def _postgres_database(server_url: str) -> Iterator[str]:
    admin_url = make_url(normalise_url(server_url))
    name = f"kai_st_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(
    params=[
        ("sqlite", "admin"),
        ("sqlite", "employer"),
        pytest.param(("postgres", "admin"), marks=pytest.mark.postgres),
        pytest.param(("postgres", "employer"), marks=pytest.mark.postgres),
    ],
    ids=lambda p: "-".join(p),
    scope="module",
)
def target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    """One seeded database and app per backend and role, shared by all operations."""
    backend, role = request.param
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("schemathesis") / "kai.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        urls: Iterator[str] = iter([f"sqlite:///{path}"])
    else:
        urls = _postgres_database(request.getfixturevalue("postgres_server_url"))
    url = next(urls)
    if backend == "postgres":
        engine = make_engine(Settings(database_url=url))
        upgrade(engine)
        engine.dispose()
    app_settings = Settings(
        database_url=url,
        environment="test",
        auto_migrate=False,
        page_limit_max=100,
        bootstrap_admin_key=ADMIN_KEY,
        rate_limit_per_minute=0,
    )
    key = _seed(app_settings, role)
    app = create_app(app_settings)
    _caller["key"] = key
    with TestClient(app):  # runs the lifespan (engine, indexes) around the whole module
        yield Target(app, key)
    for _ in urls:  # drop the PostgreSQL database
        pass


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_contract(case: schemathesis.Case, target: Target) -> None:
    """Every operation, every check: no 500, only declared statuses and schemas, input rules."""
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and len(key) <= 255:
        # A key names one request; reusing one for another body is a 422 by contract, which
        # generated data would hit by chance. Schema-invalid keys are left to be rejected.
        case.headers["Idempotency-Key"] = f"st-{next(_keys)}"
    case.call_and_validate(app=target.app)
