"""Idempotency-Key across a crash: the answer is committed with the work (issue 18, item 2).

The crash is the moment between the route's commit and the middleware storing the answer:
``_settle`` never runs, as when the process dies there. A retry after the in-flight timeout
must replay the first answer, not run the work again (a second participant, a 409 for a
transition that succeeded).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlmodel import Session

from kai_match.api import idempotency
from kai_match.models import IdempotencyKey, Participant, PlacementTransition
from kai_match.models.common import utcnow
from tests.builders import (
    make_employer,
    make_placement,
    matching_job,
    matching_person,
    participant_body,
)

KEY = {"Idempotency-Key": "crash-between-commit-and-answer"}


def count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def dies_before_storing_the_answer(monkeypatch):
    """The middleware's own store (after the response is rendered) never happens."""
    monkeypatch.setattr(idempotency, "_settle", lambda claim, messages: None)


def _after_the_in_flight_timeout(engine) -> None:
    with Session(engine) as session:
        session.exec(update(IdempotencyKey).values(created_at=utcnow() - timedelta(minutes=5)))
        session.commit()


def test_a_create_retried_after_a_crash_is_replayed_not_repeated(
    client, engine, dies_before_storing_the_answer
):
    first = client.post("/api/v1/participants", json=participant_body(), headers=KEY)
    assert first.status_code == 201, first.text
    _after_the_in_flight_timeout(engine)
    retry = client.post("/api/v1/participants", json=participant_body(), headers=KEY)
    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["ETag"] == first.headers["ETag"]
    assert count(engine, Participant) == 1


def test_a_transition_retried_after_a_crash_answers_its_first_success(client, engine, monkeypatch):
    person = matching_person(client)
    job = matching_job(client, make_employer(client)["id"])
    placement = make_placement(client, person["id"], job["id"])
    url = f"/api/v1/placements/{placement['id']}/transitions"
    events_before = count(engine, PlacementTransition)
    monkeypatch.setattr(idempotency, "_settle", lambda claim, messages: None)
    first = client.post(url, json={"to": "proposed"}, headers=KEY)
    assert first.status_code == 200, first.text
    _after_the_in_flight_timeout(engine)
    retry = client.post(url, json={"to": "proposed"}, headers=KEY)
    assert retry.status_code == 200, retry.text
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["state"] == "proposed" and retry.json() == first.json()
    assert count(engine, PlacementTransition) == events_before + 1


def test_a_request_that_failed_leaves_the_key_free_and_nothing_done(client, engine):
    """No commit, no stored answer for a 5xx: the retry runs (nothing was done)."""
    bad = participant_body(postal_code="99999")
    refused = client.post("/api/v1/participants", json=bad, headers=KEY)
    assert refused.status_code == 422
    assert count(engine, Participant) == 0
    # A 422 is an answer worth replaying (the request itself is wrong), stored without work.
    again = client.post("/api/v1/participants", json=bad, headers=KEY)
    assert again.status_code == 422 and again.headers["Idempotent-Replayed"] == "true"


def test_a_caller_refused_by_the_role_rule_claims_no_key(client, engine, world):
    employer = world.headers("employer_a")
    refused = client.post("/api/v1/participants", json=participant_body(), headers=employer | KEY)
    assert refused.status_code == 403
    assert count(engine, IdempotencyKey) == 0
