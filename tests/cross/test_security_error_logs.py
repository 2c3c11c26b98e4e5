"""A failed write logs no personal data: neither SQLAlchemy's bound parameters nor the
database's own message (PostgreSQL's DETAIL repeats the failing row), on both backends."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from kai_match.models import ParticipantPersonal
from tests.builders import participant_body

# A real constraint of the test database refuses this first name, so the insert of the personal
# row (name, birth date, e-mail) fails inside the database, not in the code.
REFUSED = "Aminata-Refused"
LAST_NAME = "Haddad-Secretvalue"
EMAIL = "aminata.refused@example.org"
BIRTH_DATE = "1994-03-12"
PERSONAL_VALUES = (REFUSED, LAST_NAME, EMAIL, BIRTH_DATE, "1994, 3, 12")


@pytest.fixture
def refusing_database(engine) -> Iterator[None]:
    if engine.dialect.name == "sqlite":
        create = (
            "CREATE TRIGGER security_test_refuse BEFORE INSERT ON participant_personal "
            f"WHEN NEW.first_name = '{REFUSED}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
        drop = "DROP TRIGGER IF EXISTS security_test_refuse"
    else:
        create = (
            "ALTER TABLE participant_personal ADD CONSTRAINT security_test_refuse "
            f"CHECK (first_name <> '{REFUSED}')"
        )
        drop = "ALTER TABLE participant_personal DROP CONSTRAINT IF EXISTS security_test_refuse"
    with engine.begin() as connection:
        connection.exec_driver_sql(create)
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(drop)


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """Log lines as the app renders them (its formatter is configured at start-up)."""
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(root.handlers[0].formatter)
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def test_a_failed_insert_logs_no_name_birth_date_or_email(client, refusing_database, captured_logs):
    body = participant_body(
        first_name=REFUSED, last_name=LAST_NAME, email=EMAIL, birth_date=BIRTH_DATE
    )
    response = client.post("/api/v1/participants", json=body)

    assert response.status_code == 500
    logged = captured_logs.getvalue()
    assert "IntegrityError" in logged  # the failure itself is logged, with its type
    assert '"route": "/api/v1/participants"' in logged
    for value in PERSONAL_VALUES:
        assert value not in logged, value


def test_a_database_error_in_a_server_log_shows_no_values(client, engine, captured_logs):
    # The ASGI server logs an exception that escaped the app with the stdlib logger.
    with pytest.raises(IntegrityError) as caught, engine.begin() as connection:
        connection.execute(
            ParticipantPersonal.__table__.insert(),
            {
                "participant_id": 2_000_000,  # no such participant: the foreign key refuses it
                "first_name": REFUSED,
                "last_name": LAST_NAME,
                "birth_date": date.fromisoformat(BIRTH_DATE),
                "email": EMAIL,
            },
        )
    logging.getLogger("uvicorn.error").error("Exception in ASGI application", exc_info=caught.value)

    logged = captured_logs.getvalue()
    assert "Exception in ASGI application" in logged
    assert "IntegrityError" in logged
    for value in PERSONAL_VALUES:
        assert value not in logged, value
