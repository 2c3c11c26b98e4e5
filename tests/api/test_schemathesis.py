"""Property-based API test: schemathesis sends schema-derived (and schema-violating) requests to
every operation and runs all its checks on each answer, as an admin and as an employer.

What a failure here means and the few deliberate exceptions: ``docs/reliability.md``.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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
    bearer,
    make_key,
    make_participant,
    matching_job,
    matching_person,
)
from tests.conftest import ADMIN_KEY

# Examples per operation and phase; with a fixed seed (derandomize) CI sees the same requests.
MAX_EXAMPLES = 10

# Deliberate, narrow exceptions (one check on one operation), each explained in
# docs/reliability.md. Nothing is switched off for the whole API.
CONFIG = SchemathesisConfig.from_dict({})


@dataclass
class Target:
    """A seeded app and the headers of the caller schemathesis plays."""

    app: FastAPI
    headers: dict[str, str]


# The OpenAPI document needs no database; each test sends its requests to the seeded app of
# its `target` (the in-process ASGI transport, no network).
_SCHEMA_APP = create_app(Settings(database_url="sqlite://", auto_migrate=False))
schema = schemathesis.openapi.from_dict(_SCHEMA_APP.openapi(), config=CONFIG)
schema.app = _SCHEMA_APP


def _seed(settings: Settings, role: str) -> dict[str, str]:
    """A small world, so generated ids 1 and 2 often hit real records; returns the headers."""
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
            return {"Authorization": f"Bearer {ADMIN_KEY}"}
        return bearer(make_key(client, "employer", employer_id=employer["id"]))


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
    headers = _seed(app_settings, role)
    app = create_app(app_settings)
    with TestClient(app):  # runs the lifespan (engine, indexes) around the whole module
        yield Target(app, headers)
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
    case.call_and_validate(headers=target.headers, app=target.app)
