"""Ranking batches: size bounds per role, a cost per batch, one audit row per person listed."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from kai_match.main import create_app
from kai_match.models import AuditEntry
from tests.builders import bearer, make_employer, make_key, matching_job, matching_person
from tests.conftest import ADMIN_KEY

BATCH = "/api/v1/matches/batch"
UNKNOWN = list(range(900_001, 900_201))  # ids nobody has: a batch within the bounds is a 404


def test_ids_and_items_are_bounded_per_role_with_422_naming_field_and_bound(client) -> None:
    partner = bearer(make_key(client, "partner"))
    counsellor = bearer(make_key(client, "counsellor", site="grimma"))
    too_big = client.post(
        BATCH, json={"participant_ids": UNKNOWN[:51], "limit": 21}, headers=partner
    )
    assert too_big.status_code == 422, too_big.text
    assert too_big.json()["errors"] == [
        {"field": "participant_ids", "message": "at most 50 for the role 'partner'"},
        {"field": "limit", "message": "at most 20 for the role 'partner'"},
    ]
    # Exactly at the bound the batch is let through (and finds none of the ids).
    at_bound = client.post(BATCH, json={"vacancy_ids": UNKNOWN[:50], "limit": 20}, headers=partner)
    assert at_bound.status_code == 404, at_bound.text
    counsellors = client.post(BATCH, json={"vacancy_ids": UNKNOWN[:101]}, headers=counsellor)
    assert counsellors.status_code == 422
    assert counsellors.json()["errors"] == [
        {"field": "vacancy_ids", "message": "at most 100 for the role 'counsellor'"}
    ]
    assert (
        client.post(BATCH, json={"vacancy_ids": UNKNOWN[:100]}, headers=counsellor).status_code
        == 404
    )
    # Admins may send the largest batch the schema allows.
    admins = client.post(BATCH, json={"participant_ids": UNKNOWN, "limit": 50})
    assert admins.status_code == 404, admins.text


def test_a_batch_pays_its_cost_and_a_refused_one_pays_nothing(settings) -> None:
    app = create_app(settings.model_copy(update={"cost_budget_per_minute": 5}))
    with TestClient(
        app, raise_server_exceptions=False, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    ) as c:
        employer = make_employer(c)
        job = matching_job(c, employer["id"])
        people = [matching_person(c)["id"] for _ in range(3)]
        partner = bearer(make_key(c, "partner"))
        for _ in range(3):  # beyond the partner's bounds: 422, charged nothing
            refused = c.post(BATCH, json={"participant_ids": UNKNOWN[:60]}, headers=partner)
            assert refused.status_code == 422
        # 3 ids × (10 + 30) / 100 → 2 units, twice; the third batch finds 1 unit left.
        body = {"participant_ids": people, "limit": 10}
        answers = [c.post(BATCH, json=body, headers=partner).status_code for _ in range(3)]
        assert answers == [200, 200, 429]
        limited = c.post(BATCH, json=body, headers=partner)
        assert "ranking batch costs 2, 1 are left" in limited.json()["detail"]
        assert int(limited.headers["Retry-After"]) >= 1
        # Single rankings are not charged: they count as requests only.
        single = c.get(f"/api/v1/vacancies/{job['id']}/matches", headers=partner)
        assert single.status_code == 200


def _batch_rows(engine) -> list[AuditEntry]:
    with Session(engine) as session:
        query = select(AuditEntry).where(AuditEntry.route == f"POST {BATCH}")
        return list(session.exec(query.order_by(col(AuditEntry.id))))


def test_a_vacancy_batch_audits_each_participant_once(client, engine) -> None:
    """Three vacancies that rank the same four people: four audit rows, not twelve."""
    employer = make_employer(client)
    jobs = [matching_job(client, employer["id"])["id"] for _ in range(3)]
    people = [matching_person(client) for _ in range(4)]
    batch = client.post(BATCH, json={"vacancy_ids": jobs, "limit": 10})
    assert batch.status_code == 200, batch.text
    results = batch.json()["results"]
    assert [r["vacancy_id"] for r in results] == jobs
    listed = [{i["participant_public_id"] for i in r["ranking"]["items"]} for r in results]
    everyone = {p["public_id"] for p in people}
    assert listed == [everyone] * 3  # every ranking lists all four

    rows = _batch_rows(engine)
    assert len(rows) == 4
    assert sorted(r.public_id for r in rows) == sorted(everyone)
    assert {(r.action, r.actor, tuple(r.fields or ())) for r in rows} == {
        ("rank", "bootstrap", ("full",))
    }
    assert len({r.request_id for r in rows}) == 1


def test_a_pseudonymous_batch_audits_each_person_once_by_their_own_id(client, engine) -> None:
    employer = make_employer(client)
    jobs = [matching_job(client, employer["id"])["id"] for _ in range(3)]
    people = [matching_person(client) for _ in range(2)]
    partner = make_key(client, "partner")
    batch = client.post(BATCH, json={"vacancy_ids": jobs, "limit": 5}, headers=bearer(partner))
    assert batch.status_code == 200, batch.text
    assert all(len(r["ranking"]["items"]) == 2 for r in batch.json()["results"])

    rows = _batch_rows(engine)
    assert sorted(r.public_id for r in rows) == sorted(p["public_id"] for p in people)
    assert {(r.key_id, tuple(r.fields or ())) for r in rows} == {(partner["id"], ("pseudonymous",))}


def test_a_participant_batch_audits_each_participant_once(client, engine) -> None:
    employer = make_employer(client)
    for _ in range(3):
        matching_job(client, employer["id"])
    people = [matching_person(client) for _ in range(2)]
    ids = [p["id"] for p in people]
    batch = client.post(BATCH, json={"participant_ids": [*ids, ids[0]], "limit": 10})
    assert batch.status_code == 200, batch.text
    assert [len(r["ranking"]["items"]) for r in batch.json()["results"]] == [3, 3]
    rows = _batch_rows(engine)
    assert sorted(r.public_id for r in rows) == sorted(p["public_id"] for p in people)
