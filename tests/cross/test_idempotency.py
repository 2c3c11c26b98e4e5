"""Idempotency-Key on POST, ETags and If-Match (issue: placements, HTTP conventions)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlmodel import Session

from kai_match.api.idempotency_store import fingerprint, purge_expired
from kai_match.models import Employer, IdempotencyKey
from kai_match.models.common import utcnow
from tests.builders import bearer, employer_body, make_key, participant_body
from tests.world import World

KEY = {"Idempotency-Key": "3f0c2a8e-5b7d-4c1e-9a6f-2d8b1e4c7a90"}


def count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_retry_gets_the_stored_answer_and_writes_nothing(client, engine):
    first = client.post("/api/v1/employers", json=employer_body(), headers=KEY)
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    # The same JSON with other spacing and key order is the same request.
    reordered = dict(reversed(list(employer_body().items())))
    again = client.post("/api/v1/employers", json=reordered, headers=KEY)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["content-type"] == first.headers["content-type"]
    assert count(engine, Employer) == 1
    assert count(engine, IdempotencyKey) == 1
    without = client.post("/api/v1/employers", json=employer_body())
    assert without.status_code == 201 and count(engine, Employer) == 2


def test_the_same_key_with_another_body_is_refused(client, engine):
    assert client.post("/api/v1/employers", json=employer_body(), headers=KEY).status_code == 201
    other = client.post("/api/v1/employers", json=employer_body(name="Andere GmbH"), headers=KEY)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    elsewhere = client.post("/api/v1/weight-profiles", json={"name": "x"}, headers=KEY)
    assert elsewhere.status_code == 422
    assert count(engine, Employer) == 1


def test_a_request_still_in_flight_is_a_409(client, engine):
    with Session(engine) as session:
        session.add(
            IdempotencyKey(
                principal="bootstrap",
                key=KEY["Idempotency-Key"],
                method="POST",
                path="/api/v1/employers",
                body_hash="0" * 64,
                state="in_flight",
            )
        )
        session.commit()
    response = client.post("/api/v1/employers", json=employer_body(), headers=KEY)
    assert response.status_code in (409, 422)  # other body hash: 422; same: 409
    with Session(engine) as session:
        session.exec(update(IdempotencyKey).values(body_hash=_hash(employer_body())))
        session.commit()
    busy = client.post("/api/v1/employers", json=employer_body(), headers=KEY)
    assert busy.status_code == 409
    assert busy.json()["errors"] == [{"field": "Idempotency-Key", "message": "is in flight"}]
    assert count(engine, Employer) == 0
    # An abandoned claim (older than the in-flight timeout) is taken over and run.
    with Session(engine) as session:
        session.exec(update(IdempotencyKey).values(created_at=utcnow() - timedelta(minutes=5)))
        session.commit()
    taken = client.post("/api/v1/employers", json=employer_body(), headers=KEY)
    assert taken.status_code == 201 and count(engine, Employer) == 1


def _hash(body) -> str:
    return fingerprint(json.dumps(body).encode())


def test_keys_belong_to_their_caller_and_conflicts_are_not_stored(client, engine, world: World):
    partner = world.headers("partner")
    body = {"participant_ids": [world.participant_a["id"]], "limit": 1}
    mine = client.post("/api/v1/matches/batch", json=body, headers=partner | KEY)
    assert mine.status_code == 200
    other = make_key(client, "partner", label="Jobcenter 2")
    theirs = client.post("/api/v1/matches/batch", json=body, headers=bearer(other) | KEY)
    assert theirs.status_code == 200 and "Idempotent-Replayed" not in theirs.headers
    # A domain conflict (409) frees the key: the retry runs for real.
    before = count(engine, IdempotencyKey)
    url = f"/api/v1/employers/{world.employer_a['id']}"
    conflict_key = {"Idempotency-Key": "delete-is-not-post"}
    assert client.delete(url, headers=conflict_key).status_code == 409  # DELETE: no key kept
    assert count(engine, IdempotencyKey) == before
    duplicate = {"participant_id": world.participant_a["id"], "vacancy_id": world.vacancy_a["id"]}
    duplicate["override_reason"] = "Idempotenz-Test, Pendelzeit egal."
    assert client.post("/api/v1/placements", json=duplicate).status_code == 201
    retry_key = {"Idempotency-Key": "placement-twice"}
    refused = client.post("/api/v1/placements", json=duplicate, headers=retry_key)
    assert refused.status_code == 409
    assert count(engine, IdempotencyKey) == before
    assert client.post("/api/v1/placements", json=duplicate, headers=retry_key).status_code == 409


def test_bad_keys_and_expiry(client, engine):
    long_key = {"Idempotency-Key": "x" * 256}
    refused = client.post("/api/v1/employers", json=employer_body(), headers=long_key)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "Idempotency-Key"
    assert client.post("/api/v1/employers", json=employer_body(), headers=KEY).status_code == 201
    with Session(engine) as session:
        assert purge_expired(session=session, ttl=timedelta(hours=24)) == 0
        session.exec(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25)))
        session.commit()
    # An expired key is free again: the request runs anew.
    again = client.post("/api/v1/employers", json=employer_body(), headers=KEY)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert count(engine, Employer) == 2
    with Session(engine) as session:
        session.exec(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25)))
        session.commit()
        assert purge_expired(session=session, ttl=timedelta(hours=24)) == 1


def test_every_post_documents_the_header(client):
    spec = client.app.openapi()
    for path, operations in spec["paths"].items():
        if path.startswith("/api/v1") and "post" in operations:
            names = [p["name"] for p in operations["post"].get("parameters", [])]
            assert "Idempotency-Key" in names, path
        for method, operation in operations.items():
            if method != "post":
                names = [p["name"] for p in operation.get("parameters", [])]
                assert "Idempotency-Key" not in names, (method, path)


def test_if_match_is_required_from_employer_keys(client, world: World):
    employer = world.headers("employer_a")
    url = f"/api/v1/vacancies/{world.vacancy_a['id']}"
    missing = client.patch(url, json={"openings": 3}, headers=employer)
    assert missing.status_code == 428
    assert missing.json()["errors"][0]["field"] == "If-Match"
    star = client.patch(url, json={"openings": 3}, headers=employer | {"If-Match": "*"})
    assert star.status_code == 428
    etag = client.get(url, headers=employer).headers["ETag"]
    ok = client.patch(url, json={"openings": 3}, headers=employer | {"If-Match": etag})
    assert ok.status_code == 200
    stale = client.patch(url, json={"openings": 4}, headers=employer | {"If-Match": etag})
    assert stale.status_code == 412
    assert client.patch(url, json={"openings": 4}).status_code == 200  # admins may omit it
    other = client.patch(
        f"/api/v1/vacancies/{world.vacancy_b['id']}", json={"openings": 3}, headers=employer
    )
    assert other.status_code == 404  # out of reach comes before the missing header
    employer_url = f"/api/v1/employers/{world.employer_a['id']}"
    assert client.patch(employer_url, json={"support": []}, headers=employer).status_code == 428


def test_secrets_are_not_kept_and_erasure_forgets_stored_answers(client, engine):
    created = client.post("/api/v1/api-keys", json={"role": "partner"}, headers=KEY)
    assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
    assert count(engine, IdempotencyKey) == 0  # the secret is shown once, never stored
    person = client.post("/api/v1/participants", json=participant_body(), headers=KEY)
    assert person.status_code == 201
    assert count(engine, IdempotencyKey) == 1
    erased = client.delete(f"/api/v1/participants/{person.json()['id']}", params={"erase": "true"})
    assert erased.status_code == 204
    assert count(engine, IdempotencyKey) == 0
