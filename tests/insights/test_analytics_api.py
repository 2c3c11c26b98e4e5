"""Analyst routes on recorded placements: evaluations, learned drafts, assignment proposals."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import (
    PICKING,
    bearer,
    make_employer,
    make_key,
    matching_job,
    matching_person,
    pseudonyms_of,
)

SENT = ("proposed", "accepted_by_participant", "sent_to_employer")
ENDINGS = {
    "hired": (*SENT, "hired"),
    "not_hired": (*SENT, "not_hired"),
    "withdrawn": ("withdrawn",),
}


def _place(client, participant_id: int, vacancy_id: int, outcome: str) -> int:
    created = client.post(
        "/api/v1/placements", json={"participant_id": participant_id, "vacancy_id": vacancy_id}
    )
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    for state in ENDINGS[outcome]:
        body: dict[str, Any] = {"to": state}
        if state in ("not_hired", "withdrawn"):
            body["reason_code"] = "other"
        response = client.post(f"/api/v1/placements/{pid}/transitions", json=body)
        assert response.status_code == 200, response.text
    return pid


@pytest.fixture
def outcomes(client) -> dict[str, Any]:
    """Two vacancies, each with a hire, a candidate not hired and one who withdrew."""
    employer = make_employer(client)
    jobs = [matching_job(client, employer["id"], openings=3) for _ in range(2)]
    near = matching_person(client, home_postal_code="04552")
    farther = matching_person(client, home_postal_code="04564", german_level="B2")
    far = matching_person(client, home_postal_code="04668")
    for job in jobs:
        _place(client, near["id"], job["id"], "hired")
        _place(client, farther["id"], job["id"], "not_hired")
        _place(client, far["id"], job["id"], "withdrawn")
    return {"jobs": jobs, "people": [near, farther, far]}


def test_evaluate_the_active_profile(client, outcomes) -> None:
    response = client.post("/api/v1/evaluations", json={"k": 3, "resamples": 200})
    assert response.status_code == 200, response.text
    ev = response.json()["evaluation"]
    assert ev["name"] == "default" and ev["vacancies"] == 2 and ev["candidates"] == 6
    assert ev["successes"] == 2
    assert set(ev["metrics"]) == {"ndcg", "precision", "mrr", "auc", "coverage"}
    for m in ev["metrics"].values():
        assert m["low"] <= m["mean"] <= m["high"]


def test_compare_two_profiles_names_movers_by_pseudonym(client, outcomes) -> None:
    # Next door like "near" but less skilled: ranked last by default, second on commute alone.
    nearby = matching_person(client, skills=[{"skill_id": PICKING, "level": 1}])
    for job in outcomes["jobs"]:
        _place(client, nearby["id"], job["id"], "not_hired")
    draft = client.post(
        "/api/v1/weight-profiles",
        json={
            "name": "commute-only",
            "weights": {
                "language": 0,
                "skills": 0,
                "occupation": 0,
                "commute": 1,
                "preferences": 0,
            },
        },
    )
    assert draft.status_code == 201, draft.text
    analyst = bearer(make_key(client, "analyst"))
    response = client.post(
        "/api/v1/evaluations",
        json={"profile": "commute-only", "baseline": "default", "success": "hired"},
        headers=analyst,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["a"]["name"] == "default" and body["b"]["name"] == "commute-only"
    assert set(body["difference"]) == set(body["a"]["metrics"])
    people = [*outcomes["people"], nearby]
    analysts = {pseudonyms_of(client, p["id"]).get("analyst"): p for p in people}
    moved = {(m["participant_public_id"], m["rank_a"], m["rank_b"]) for m in body["movers"]}
    assert (pseudonyms_of(client, nearby["id"])["analyst"], 4, 2) in moved
    public = {p["public_id"] for p in people}
    for mover in body["movers"]:
        assert mover["participant_public_id"] in analysts  # the analysts' own pseudonyms
        assert mover["participant_public_id"] not in public
        assert "participant_id" not in mover
    as_admin = client.post(
        "/api/v1/evaluations", json={"profile": "commute-only", "baseline": "default"}
    ).json()
    assert {m["participant_public_id"] for m in as_admin["movers"]} <= public


def test_evaluation_without_outcomes_is_empty_not_an_error(client) -> None:
    response = client.post("/api/v1/evaluations", json={})
    assert response.status_code == 200, response.text
    assert response.json()["evaluation"]["vacancies"] == 0


def test_unknown_profile_is_a_field_error(client) -> None:
    response = client.post("/api/v1/evaluations", json={"profile": "nope"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "profile"


def test_fit_returns_a_draft_and_stores_it_only_inactive(client, outcomes) -> None:
    response = client.post("/api/v1/weight-profiles/fit", json={"k": 3})
    assert response.status_code == 200, response.text
    body = response.json()
    assert abs(sum(body["weights"].values()) - 1) < 1e-3
    assert all(w >= 0 for w in body["weights"].values())
    assert body["comparison"]["a"]["name"] == "default"
    assert "stored" not in body
    before = client.get("/api/v1/weight-profiles").json()["items"]
    stored = client.post("/api/v1/weight-profiles/fit", json={"name": "learned", "store": True})
    assert stored.status_code == 200, stored.text
    record = stored.json()["stored"]
    assert record["name"] == "learned" and record["active"] is False
    after = client.get("/api/v1/weight-profiles").json()["items"]
    assert len(after) == len(before) + 1
    assert [p["name"] for p in after if p["active"]] == ["default"]


def test_fit_without_outcomes_is_a_conflict(client) -> None:
    response = client.post("/api/v1/weight-profiles/fit", json={})
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "outcomes"


def test_assignment_proposal_books_nothing(client, outcomes) -> None:
    employer = make_employer(client)
    jobs = [matching_job(client, employer["id"], openings=1) for _ in range(2)]
    people = [matching_person(client) for _ in range(3)]
    before = client.get("/api/v1/placements").json()["items"]
    response = client.post(
        "/api/v1/assignments",
        json={"participant_ids": [p["id"] for p in people], "vacancy_ids": [j["id"] for j in jobs]},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["assignments"]) == 2 and body["openings"] == 2
    assert body["total_optimal"] >= body["total_greedy"]
    assert body["total_optimal"] == pytest.approx(body["lp_bound"], rel=1e-6)
    assert len(body["unassigned_participant_ids"]) == 1
    assert client.get("/api/v1/placements").json()["items"] == before


def test_counsellors_assign_their_own_site_only(client) -> None:
    employer = make_employer(client)
    job = matching_job(client, employer["id"])
    person = matching_person(client, site="grimma")
    body = {"participant_ids": [person["id"]], "vacancy_ids": [job["id"]]}
    own = bearer(make_key(client, "counsellor", site="grimma"))
    other = bearer(make_key(client, "counsellor", site="wurzen"))
    assert client.post("/api/v1/assignments", json=body, headers=own).status_code == 200
    assert client.post("/api/v1/assignments", json=body, headers=other).status_code == 404
    analyst = bearer(make_key(client, "analyst"))
    assert client.post("/api/v1/assignments", json=body, headers=analyst).status_code == 403


def test_withdrawn_consent_and_erasure_leave_every_later_evaluation(client, outcomes) -> None:
    """A person who withdrew consent to processing, or was erased, is not evaluated on again."""
    near, farther, _ = outcomes["people"]

    def evaluated() -> dict[str, Any]:
        response = client.post("/api/v1/evaluations", json={"k": 3, "resamples": 200})
        assert response.status_code == 200, response.text
        return response.json()["evaluation"]

    before = evaluated()
    assert (before["candidates"], before["successes"]) == (6, 2)
    withdrawn = client.post(
        f"/api/v1/participants/{near['id']}/consents/withdrawal", json={"purpose": "processing"}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    after = evaluated()
    assert (after["candidates"], after["successes"]) == (4, 0)
    erased = client.delete(f"/api/v1/participants/{farther['id']}", params={"erase": True})
    assert erased.status_code == 204, erased.text
    assert evaluated()["candidates"] == 2
