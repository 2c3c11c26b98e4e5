"""Property-based API test: schemathesis sends schema-derived (and schema-violating) requests to
every operation and runs all its checks on each answer, as an admin and as an employer; then it
walks the workflows the OpenAPI links declare (create → read → change with the ETag → …).

What a failure here means and the few deliberate exceptions: ``docs/reliability.md``.
"""

from __future__ import annotations

import itertools
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import initialize
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.stateful.state_machine import StepInput, StepOutput
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kai_match.api.examples import PARTICIPANT_CREATE, VACANCY_CREATE
from kai_match.api.idempotency_store import KEY_SCHEMA as IDEMPOTENCY_KEY_SCHEMA
from kai_match.api.openapi_links import LINKS
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
# The deep run (SQLite, admin key: every route open to it) gets MAX_EXAMPLES, the other callers
# and PostgreSQL get OTHER_EXAMPLES, so the file stays at a few minutes on 2 cores.
MAX_EXAMPLES = 25
OTHER_EXAMPLES = 10
# Stateful: scenarios (each a chain of calls along the links) and calls per scenario.
SCENARIOS = 40
STEPS = 8

# Deliberate, narrow exceptions: one check, one operation, the extra statuses it may answer to
# schema-valid input, and why the schema cannot say more (docs/reliability.md lists them).
CURSOR = "the cursor is an opaque token the service signs; any other string is a 422"
REFERENCE = "postal codes must exist, skill and occupation names must resolve (reference data)"
PROFILE = "profile names a stored weight profile; version needs profile (cross-parameter rule)"
ETAG = "If-Match must be the current ETag (412); employer keys must send one (428)"
PAST = "a birth date must lie in the past (depends on today)"
AS_OF = "as_of reproduces an earlier list: not after today"
BULK = (
    "a CSV body needs a header of known columns; JSON rows must not mix JobPostings with "
    "plain rows; an empty body holds no rows"
)
BY_REF = (
    "a key sets only references of the systems configured on it (403); a reference names one "
    "record and a vacancy keeps its employer (409)"
)
WEBHOOK_URL = "a webhook URL must use https and resolve to a public address (SSRF guard)"
POSITIVE_DATA_EXCEPTIONS: dict[str, tuple[list[str], str]] = {
    "GET /api/v1/participants": (["422"], CURSOR),
    "GET /api/v1/employers": (["422"], CURSOR),
    "GET /api/v1/vacancies": (["422"], CURSOR),
    "GET /api/v1/placements": (["422"], CURSOR),
    "GET /api/v1/api-keys": (["422"], CURSOR),
    "GET /api/v1/audit": (["422"], CURSOR),
    "GET /api/v1/match-lists": (["422"], CURSOR),
    "GET /api/v1/weight-profiles": (["422"], CURSOR),
    "GET /api/v1/webhooks": (["422"], CURSOR),
    "GET /api/v1/webhooks/{webhook_id}/deliveries": (["422"], CURSOR),
    "GET /api/v1/participants/{participant_id}/matches": (["422"], f"{CURSOR}; {PROFILE}; {AS_OF}"),
    "GET /api/v1/vacancies/{vacancy_id}/matches": (["422"], f"{CURSOR}; {PROFILE}; {AS_OF}"),
    "GET /api/v1/matches/explain": (["422"], f"{CURSOR}; {PROFILE}; {AS_OF}"),
    "GET /api/v1/reports/fairness": (["422"], PROFILE),
    "POST /api/v1/evaluations": (["422"], PROFILE),
    "POST /api/v1/assignments": (["422"], PROFILE),
    "POST /api/v1/weight-profiles/fit": (["422"], PROFILE),
    "POST /api/v1/participants": (["422"], f"{REFERENCE}; {PAST}"),
    "PATCH /api/v1/participants/{participant_id}": (
        ["412", "422", "428"],
        f"{REFERENCE}; {PAST}; {ETAG}",
    ),
    "POST /api/v1/participants/{participant_id}/consents": (
        ["422"],
        "sharing with employers needs the person's consent to processing first (stored state)",
    ),
    "POST /api/v1/employers": (["422"], REFERENCE),
    "PATCH /api/v1/employers/{employer_id}": (["412", "422", "428"], f"{REFERENCE}; {ETAG}"),
    "POST /api/v1/vacancies": (["422"], f"{REFERENCE}; end_date must not lie before start_date"),
    "PATCH /api/v1/vacancies/{vacancy_id}": (
        ["412", "422", "428"],
        f"{REFERENCE}; end_date must not lie before start_date; {ETAG}",
    ),
    "POST /api/v1/vacancies/jobposting": (
        ["422"],
        f"{REFERENCE}; JSON-LD @type must be JobPosting and the employer must be named",
    ),
    "PATCH /api/v1/placements/{placement_id}": (
        ["412", "422", "428"],
        f"trial_end must not lie before trial_start; {ETAG}",
    ),
    "POST /api/v1/placements/{placement_id}/transitions": (
        ["412", "422", "428"],
        "reason_code only for not_hired and withdrawn, trial_end only with a trial, the date "
        f"not before the previous step (rules of the target state and the history); {ETAG}",
    ),
    "POST /api/v1/api-keys": (
        ["422"],
        "site only for counsellor keys, employer_id only for employer keys",
    ),
    "POST /api/v1/weight-profiles": (["422"], "the weights must be valid together (sums, ranges)"),
    "POST /api/v1/webhooks": (["422"], WEBHOOK_URL),
    "POST /api/v1/participants/{participant_id}/contacts": (
        ["422"],
        "a contact is recorded once it has happened: contact_on not after today",
    ),
    "PATCH /api/v1/webhooks/{webhook_id}": (["412", "422", "428"], f"{WEBHOOK_URL}; {ETAG}"),
    "POST /api/v1/matches/batch": (["422"], "exactly one of participant_ids, vacancy_ids"),
    "POST /api/v1/vacancies/bulk": (["422"], BULK),
    "POST /api/v1/vacancies/{vacancy_id}/merge": (
        ["404", "412", "422"],
        "duplicate_id must name another stored vacancy; " + ETAG,
    ),
    "POST /api/v1/employers/bulk": (["422"], BULK),
    "POST /api/v1/participants/bulk": (["422"], BULK),
    "PUT /api/v1/participants/by-ref/{system}/{ref_id}": (
        ["403", "409", "412", "422"],
        f"{REFERENCE}; {PAST}; {ETAG}; {BY_REF}",
    ),
    "PUT /api/v1/employers/by-ref/{system}/{ref_id}": (
        ["403", "409", "412", "422"],
        f"{REFERENCE}; {ETAG}; {BY_REF}",
    ),
    "PUT /api/v1/vacancies/by-ref/{system}/{ref_id}": (
        ["403", "409", "412", "422"],
        f"{REFERENCE}; end_date must not lie before start_date; {ETAG}; {BY_REF}",
    ),
    "GET /api/v1/reports/programme": (
        ["422"],
        "from must not lie after to (default today), and the window touches at most 60 months",
    ),
}
# Stateful check "deleted resource still available" (use_after_free): DELETE archives a
# participant and closes a vacancy; both stay readable (and changeable) by design.
KEPT_AFTER_DELETE = r"^/api/v1/(participants/\{participant_id\}|vacancies/\{vacancy_id\})"
_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # schemathesis' default
CONFIG = SchemathesisConfig.from_dict(
    {
        # Stateful tests follow the declared links only (no links guessed from names), with
        # schema-valid data: broken input is the stateless tests' part.
        "phases": {
            "stateful": {
                "inference": {"algorithms": []},
                "generation": {"mode": "positive"},
            }
        },
        # Every input string refuses U+0000 (PostgreSQL text cannot hold it; ``StrictModel``
        # and ``api/query_guard.py``), which the schema does not repeat on each string;
        # ``test_bad_input.py`` tests that refusal field by field.
        "generation": {"allow-x00": False},
        "operations": [
            {
                "include-name": name,
                "checks": {"positive_data_acceptance": {"expected-statuses": _ACCEPTED + extra}},
            }
            for name, (extra, _reason) in POSITIVE_DATA_EXCEPTIONS.items()
        ]
        + [
            {
                "include-path-regex": KEPT_AFTER_DELETE,
                "checks": {"use_after_free": {"enabled": False}},
            }
        ],
    }
)
_keys = itertools.count()
_USABLE_KEY = re.compile(IDEMPOTENCY_KEY_SCHEMA["pattern"])
_MAX_KEY = IDEMPOTENCY_KEY_SCHEMA["maxLength"]
# A postal code that exists (Borna): stateful scenarios replace generated ones with it, so the
# records they create exist and the links after them are followed. Stateless runs keep theirs.
KNOWN_POSTAL_CODE = "04552"


@dataclass
class Target:
    """A seeded app, the key of the caller schemathesis plays and the seeded records."""

    app: FastAPI
    key: str
    employer_id: int
    participant_id: int  # fits the employer's vacancies


# The OpenAPI document needs no database; each test sends its requests to the seeded app of
# its target (the in-process ASGI transport, no network).
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


def _seed(settings: Settings, role: str) -> tuple[str, int, int]:
    """A small world, so generated ids 1 and 2 often hit real records: the key, the ids."""
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
        ids = (employer["id"], person["id"])
        if role == "admin":
            return ADMIN_KEY, *ids
        return make_key(client, "employer", employer_id=employer["id"])["key"], *ids


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


def _world(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    backend: str,
    role: str,
) -> Iterator[Target]:
    """One seeded database and app per backend and role, shared by all operations."""
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
        cost_budget_per_minute=0,  # else most batches and reports would be 429s after a minute
        proposals_per_employer=1000,  # the employer's workflows send it a proposal each
    )
    seeded = _seed(app_settings, role)
    app = create_app(app_settings)
    with TestClient(app):  # runs the lifespan (engine, indexes) around the whole module
        yield Target(app, *seeded)
    for _ in urls:  # drop the PostgreSQL database
        pass


# Each world is a (one-value) parameter, so every item's id names backend and caller.
@pytest.fixture(scope="module", params=["sqlite-admin"])
def sqlite_admin(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    yield from _world(request, tmp_path_factory, "sqlite", "admin")


@pytest.fixture(scope="module", params=["sqlite-employer"])
def sqlite_employer(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    yield from _world(request, tmp_path_factory, "sqlite", "employer")


@pytest.fixture(
    params=[
        pytest.param("postgres-admin", marks=pytest.mark.postgres),
        pytest.param("postgres-employer", marks=pytest.mark.postgres),
    ],
    scope="module",
)
def postgres_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    yield from _world(request, tmp_path_factory, *request.param.split("-"))


def _play(target: Target) -> Target:
    """Make ``target``'s key the one the auth provider hands out (module worlds live side by side)."""
    _caller["key"] = target.key
    return target


@pytest.fixture
def deep(sqlite_admin: Target) -> Target:
    return _play(sqlite_admin)


@pytest.fixture
def as_employer(sqlite_employer: Target) -> Target:
    return _play(sqlite_employer)


@pytest.fixture
def on_postgres(postgres_world: Target) -> Target:
    return _play(postgres_world)


def _fresh_idempotency_key(case: schemathesis.Case) -> None:
    """A key names one request; reusing one for another body is a 422 by contract, which
    generated data would hit by chance. Keys the schema refuses are left to be rejected."""
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and _USABLE_KEY.fullmatch(key) and len(key) <= _MAX_KEY:
        case.headers["Idempotency-Key"] = f"st-{next(_keys)}"


# The service answers within its own deadline (30 s, then a 503); the client waits longer
# than schemathesis's 10 s, so a loaded CI machine shows slowness as that 503, not a timeout.
CLIENT_TIMEOUT_SECONDS = 60


def _contract(case: schemathesis.Case, target: Target) -> None:
    _fresh_idempotency_key(case)
    case.call_and_validate(app=target.app, timeout=CLIENT_TIMEOUT_SECONDS)


_SETTINGS = {
    "derandomize": True,
    "deadline": None,
    "database": None,
    "suppress_health_check": list(HealthCheck),
}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, **_SETTINGS)
def test_api_contract(case: schemathesis.Case, deep: Target) -> None:
    """Every operation, every check: no 500, only declared statuses and schemas, input rules."""
    _contract(case, deep)


@schema.parametrize()
@settings(max_examples=OTHER_EXAMPLES, **_SETTINGS)
def test_api_contract_as_employer(case: schemathesis.Case, as_employer: Target) -> None:
    """The same as an employer key: 403 where the role may not, its own records only."""
    _contract(case, as_employer)


@schema.parametrize()
@settings(max_examples=OTHER_EXAMPLES, **_SETTINGS)
def test_api_contract_on_postgres(case: schemathesis.Case, on_postgres: Target) -> None:
    """The same on PostgreSQL (types, bounds and errors of the other backend)."""
    _contract(case, on_postgres)


# --- stateful: the workflows the links declare -------------------------------------------------

Workflow = schema.as_state_machine()
CREATED_VACANCY = Workflow.bundles["POST /api/v1/vacancies -> 201"]
CREATED_PARTICIPANT = Workflow.bundles["POST /api/v1/participants -> 201"]
# An answer lands in the bundle of its own operation and status, whatever the nominal target.
PLACEMENT = Workflow.bundles["POST /api/v1/placements -> 201"]
OVERRIDE = "Stateful test: the workflow is tested, not the match."


def _realistic(case: schemathesis.Case) -> None:
    """Postal codes that exist, so created records exist and the links after them are walked."""
    body = case.body
    if isinstance(body, dict):
        for name in ("postal_code", "home_postal_code"):
            if isinstance(body.get(name), str) and re.fullmatch(r"[0-9]{5}", body[name]):
                body[name] = KNOWN_POSTAL_CODE


def _workflows(target: Target) -> type:
    """The state machine bound to ``target``; each scenario starts from real records.

    Random bodies seldom make a valid record (reference data), and an employer key may create
    vacancies only, so each scenario first creates a vacancy and a participant (from the
    documented examples) and a placement; an employer key reads a placement sent to it.
    """
    auth = {"Authorization": f"Bearer {target.key}"}

    class Workflows(Workflow):  # type: ignore[misc, valid-type]
        @initialize(target=CREATED_VACANCY)
        def a_vacancy(self) -> StepOutput:
            body = VACANCY_CREATE | {"employer_id": target.employer_id}
            return self.root("POST", "/api/v1/vacancies", body=body)

        @initialize(target=CREATED_PARTICIPANT)
        def a_participant(self) -> StepOutput:
            return self.root("POST", "/api/v1/participants", body=dict(PARTICIPANT_CREATE))

        @initialize(target=PLACEMENT)
        def a_placement(self) -> StepOutput:
            # Set up outside the recorded steps, without a second lifespan (no ``with``).
            admin = TestClient(target.app, headers={"Authorization": f"Bearer {ADMIN_KEY}"})
            body = {
                "participant_id": target.participant_id,
                "vacancy_id": matching_job(admin, target.employer_id)["id"],
                "override_reason": OVERRIDE,
            }
            if target.key == ADMIN_KEY:
                return self.root("POST", "/api/v1/placements", body=body)
            # An employer sees a placement once it is sent to them, and moves it from there.
            placement_id = admin.post("/api/v1/placements", json=body).json()["id"]
            for state in ("proposed", "accepted_by_participant", "sent_to_employer"):
                moved = admin.post(
                    f"/api/v1/placements/{placement_id}/transitions", json={"to": state}
                )
                assert moved.status_code == 200, moved.text
            path = "/api/v1/placements/{placement_id}"
            return self.root("GET", path, path_parameters={"placement_id": placement_id})

        def root(self, method: str, path: str, **parts: Any) -> StepOutput:
            """A first step, recorded and checked as schemathesis does its own."""
            case = schema[path][method].Case(headers=dict(auth), **parts)
            self.recorder.record_case(case=case)
            return self.step(StepInput.initial(case))

        def before_call(self, case: schemathesis.Case) -> None:
            _fresh_idempotency_key(case)
            _realistic(case)

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"app": target.app}

    return Workflows


STATEFUL_SETTINGS = settings(
    max_examples=SCENARIOS,
    stateful_step_count=STEPS,
    phases=[Phase.generate],  # a failure is reported as found: the shared world cannot rewind
    **_SETTINGS,
)


def test_workflows_as_admin(deep: Target) -> None:
    """Chains along the links: create, read, change with the answer's ETag, move, delete."""
    _workflows(deep).run(settings=STATEFUL_SETTINGS)


def test_workflows_as_employer(as_employer: Target) -> None:
    """An employer's chains: its vacancy, changed with If-Match (428 without), placements."""
    _workflows(as_employer).run(settings=STATEFUL_SETTINGS)


# --- the document itself ---------------------------------------------------------------------


def test_create_answers_link_to_the_records_routes() -> None:
    """The links the stateful tests walk are in the document, with the id and the ETag."""
    document = _SCHEMA_APP.openapi()
    paths = document["paths"]
    ids = {
        op["operationId"]: f"{m.upper()} {p}" for p, ops in paths.items() for m, op in ops.items()
    }
    created = paths["/api/v1/participants"]["post"]["responses"]["201"]["links"]
    assert {name: ids[link["operationId"]] for name, link in created.items()} == {
        "GetParticipant": "GET /api/v1/participants/{participant_id}",
        "UpdateParticipant": "PATCH /api/v1/participants/{participant_id}",
        "DeleteParticipant": "DELETE /api/v1/participants/{participant_id}",
        "RankVacancies": "GET /api/v1/participants/{participant_id}/matches",
        "ListConsents": "GET /api/v1/participants/{participant_id}/consents",
        "GiveConsent": "POST /api/v1/participants/{participant_id}/consents",
        "ProposeParticipant": "POST /api/v1/placements",
    }
    assert created["UpdateParticipant"]["parameters"] == {
        "participant_id": "$response.body#/id",
        "header.If-Match": "$response.header.ETag",
    }
    assert created["ProposeParticipant"]["requestBody"] == {"participant_id": "$response.body#/id"}
    moved = paths["/api/v1/placements/{placement_id}/transitions"]["post"]["responses"]["200"]
    assert moved["links"]["MovePlacementOn"]["parameters"] == {
        "placement_id": "$request.path.placement_id",
        "header.If-Match": "$response.header.ETag",
    }
    activate = paths["/api/v1/weight-profiles"]["post"]["responses"]["201"]["links"]
    assert ids[activate["ActivateProfile"]["operationId"]] == (
        "POST /api/v1/weight-profiles/{profile_id}/activate"
    )
    assert sum(
        len(a.get("links", {}))
        for ops in paths.values()
        for op in ops.values()
        for a in op["responses"].values()
    ) == len(LINKS)


def test_state_machine_walks_the_declared_links() -> None:
    """Every declared link is a rule of the state machine (none refused by schemathesis)."""
    rules = [name for name in vars(Workflow) if "__" in name and not name.startswith("_")]
    followed = [name for name in rules if not name.startswith("RANDOM")]
    assert len(followed) == len(LINKS)
    assert "RANDOM__POST_api_v1_participants" in Workflow.root_rules


def test_idempotency_key_is_declared_as_checked() -> None:
    """The header's schema is the rule ``check_key`` applies: 1-255 printable ASCII characters."""
    operation = _SCHEMA_APP.openapi()["paths"]["/api/v1/placements"]["post"]
    (header,) = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
    assert header["schema"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": "^[ -~]+$",
    }
