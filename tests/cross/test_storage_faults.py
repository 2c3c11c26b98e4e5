"""A disk that is full or a database that became read-only (issue 18, item 10).

Reads keep working while every write fails; the answer names the condition (507 disk full,
503 read-only) instead of "cannot be reached", nothing is half-written, and ``/ready`` turns
503 naming it. SQLite's full disk is provoked with ``max_page_count`` (the database may not
grow), read-only with ``query_only``; PostgreSQL's read-only with a read-only session (as on a
standby).
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlmodel import Session

from kai_match.api import storage_health
from kai_match.models import Participant, ParticipantPersonal
from tests.builders import participant_body


def _count(engine, model) -> int:
    """Counted over a connection of its own, not one the fault is injected into."""
    plain = create_engine(engine.url)
    try:
        with Session(plain) as session:
            return session.exec(select(func.count()).select_from(model)).one()[0]
    finally:
        plain.dispose()


def _on_every_connection(engine, statement: str) -> None:
    @event.listens_for(engine, "connect")
    def _apply(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(statement)
        cursor.close()
        dbapi_connection.commit()  # PostgreSQL's SET is transactional


def _assert_write_refused(client, engine, status: int, condition: str) -> None:
    before = _count(engine, Participant), _count(engine, ParticipantPersonal)
    refused = client.post("/api/v1/participants", json=participant_body(first_name="Voll"))
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    body = refused.json()
    assert body["errors"] == [{"field": "database", "message": condition}]
    assert "cannot be reached" not in body["detail"]
    assert int(refused.headers["Retry-After"]) > 0
    assert (_count(engine, Participant), _count(engine, ParticipantPersonal)) == before
    ready = client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["errors"] == [{"field": "database", "message": condition}]


@pytest.fixture
def sqlite_only(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's pragmas provoke the fault; PostgreSQL has its own test")


def test_a_full_sqlite_disk_is_a_507_and_not_ready(client, engine, sqlite_only, monkeypatch):
    assert client.post("/api/v1/participants", json=participant_body()).status_code == 201
    with engine.connect() as connection:
        pages = connection.execute(text("PRAGMA page_count")).scalar_one()
    _on_every_connection(engine, f"PRAGMA max_page_count={pages}")
    created = 1
    for index in range(500):  # the free room of the last pages runs out after a few
        answer = client.post("/api/v1/participants", json=participant_body(first_name=f"P{index}"))
        if answer.status_code != 201:
            break
        created += 1
    assert answer.status_code == 507, answer.text
    assert answer.json()["errors"] == [{"field": "database", "message": "disk_full"}]
    assert "disk is full" in answer.json()["detail"]
    assert _count(engine, Participant) == _count(engine, ParticipantPersonal) == created
    assert client.get("/ready").json()["errors"][0]["message"] == "disk_full"
    assert client.get("/api/v1/vacancies").status_code == 200  # reads still work ...
    audited = client.get("/api/v1/participants")  # ... except those that must leave an audit row
    assert audited.status_code == 507
    # The fault is remembered for a while, then readiness looks again.
    monkeypatch.setattr(storage_health, "FAULT_WINDOW_SECONDS", 0.0)
    assert client.get("/ready").status_code == 200


def test_a_read_only_sqlite_database_is_named(client, engine, sqlite_only):
    _on_every_connection(engine, "PRAGMA query_only=1")
    _assert_write_refused(client, engine, 503, "read_only")


def test_little_free_space_makes_sqlite_not_ready(client, sqlite_only, monkeypatch):
    class Usage:
        free = 1024

    monkeypatch.setattr(storage_health.shutil, "disk_usage", lambda path: Usage())
    ready = client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["errors"] == [{"field": "database", "message": "disk_full"}]


def test_a_read_only_postgresql_session_is_named(client, engine, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's read-only transactions (SQLSTATE 25006)")
    assert client.post("/api/v1/participants", json=participant_body()).status_code == 201
    engine.dispose()  # new connections only from here on
    _on_every_connection(engine, "SET default_transaction_read_only = on")
    _assert_write_refused(client, engine, 503, "read_only")
