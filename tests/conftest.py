"""Test fixtures: one suite, run against SQLite and (where available) PostgreSQL.

PostgreSQL tests use ``KAI_TEST_POSTGRES_URL`` (``.ci/run`` sets it and ``KAI_REQUIRE_POSTGRES=1``,
which turns a missing server into a failure instead of a skip). Each test session creates a
database of its own on that server and drops it at the end; each test starts from empty tables.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from kai_match.config import Settings
from kai_match.db import make_engine, normalise_url
from kai_match.main import create_app
from kai_match.migrate import upgrade
from kai_match.models import metadata

# The `world` fixture (two employers, two sites, a key for every role) is shared by every domain.
pytest_plugins = ["tests.world"]

POSTGRES_URL = os.environ.get("KAI_TEST_POSTGRES_URL")
# The `client` fixture sends this bootstrap admin key unless a test passes other headers.
ADMIN_KEY = "kai-test-bootstrap-admin-key-0123456789"
REQUIRE_POSTGRES = os.environ.get("KAI_REQUIRE_POSTGRES") == "1"


def _postgres_unavailable_reason() -> str | None:
    if not POSTGRES_URL:
        return "PostgreSQL tests need KAI_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)"
    try:
        engine = create_engine(normalise_url(POSTGRES_URL), connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # pragma: no cover - depends on the machine
        return f"PostgreSQL at KAI_TEST_POSTGRES_URL is not reachable: {type(exc).__name__}"
    return None


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A fresh, migrated database on the PostgreSQL server, dropped after the session."""
    reason = _postgres_unavailable_reason()
    if reason:
        if REQUIRE_POSTGRES:
            pytest.fail(reason + " — and KAI_REQUIRE_POSTGRES=1 makes these tests mandatory")
        pytest.skip(reason)
    with migrated_postgres_database("kai_test") as url:
        yield url


@contextlib.contextmanager
def migrated_postgres_database(prefix: str) -> Iterator[str]:
    """A new database on the test server, migrated to head; dropped afterwards."""
    assert POSTGRES_URL is not None
    admin_url = make_url(normalise_url(POSTGRES_URL))
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(Settings(database_url=f"sqlite:///{path}"))
    upgrade(engine)
    engine.dispose()  # the last connection to close folds the WAL back into the file
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated database on the backend under test."""
    if request.param == "sqlite":
        path = tmp_path / "kai.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_server_url")
    _truncate_all(url)
    return url


def _truncate_all(url: str) -> None:
    engine = create_engine(normalise_url(url))
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        environment="test",
        auto_migrate=False,
        log_json=True,
        page_limit_max=100,
        bootstrap_admin_key=ADMIN_KEY,
        rate_limit_per_minute=0,  # tests/access/test_auth.py tests the limit with its own settings
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client of a fresh app, authenticated as admin (bootstrap key) by default."""
    with TestClient(
        create_app(settings),
        raise_server_exceptions=False,
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
    ) as test_client:
        yield test_client


@pytest.fixture
def engine(client: TestClient) -> Engine:
    """The engine of the app under test, for checks straight against the database."""
    return client.app.state.engine
