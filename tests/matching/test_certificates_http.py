"""Certificates over HTTP (issue 14, item 3): a self-reported "Stapler" meets a must
"Staplerschein" only with the flag "Nachweis fehlt"; a certified one without; a pallet truck
never stands in for the forklift permit. SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from tests.builders import matching_job, matching_person
from tests.world import World

C1 = {"german_level": "C1"}  # the world's people never qualify, so each list holds ours alone
JOB_C1 = {"min_german_level": "C1"}
FORKLIFT_PERMIT = [{"name": "Staplerschein", "importance": "must", "level": 4}]


def _explain(client, participant_id: int, vacancy_id: int, **params) -> dict:
    response = client.get(
        "/api/v1/matches/explain",
        params={"participant_id": participant_id, "vacancy_id": vacancy_id} | params,
    )
    assert response.status_code == 200, response.text
    return response.json()


def _person(client, name: str, level: int, source: str) -> dict:
    return matching_person(client, skills=[{"name": name, "level": level, "source": source}], **C1)


def test_a_self_reported_forklift_passes_a_must_permit_with_proof_missing(client, world: World):
    job = matching_job(client, world.employer_a["id"], skills=FORKLIFT_PERMIT, **JOB_C1)
    assert job["skills"][0]["certificate"] is True
    told = _person(client, "Stapler", 1, "self_reported")
    assert told["skills"][0]["certificate"] is True
    seen = _person(client, "Gabelstaplerschein", 1, "certified")
    pallet = _person(client, "Hubwagen", 4, "certified")
    assert pallet["skills"][0]["certificate"] is False

    why = _explain(client, told["id"], job["id"])
    assert why["eligible"] is True
    assert ("certificate_unproven", "Nachweis fehlt: Gabelstapler fahren") in [
        (f["code"], f["reason"]) for f in why["flags"]
    ]
    # Held is held: level 1 of 4 is no shortfall for a certificate, only the source counts.
    assert why["components"]["skills"]["value"] == pytest.approx(0.7)
    english = _explain(client, told["id"], job["id"], lang="en")
    assert "Proof missing: " in next(
        f["reason"] for f in english["flags"] if f["code"] == "certificate_unproven"
    )

    ranking = client.get(f"/api/v1/vacancies/{job['id']}/matches").json()
    assert [item["participant_id"] for item in ranking["items"]] == [seen["id"], told["id"]]
    assert [[f["code"] for f in item["flags"]] for item in ranking["items"]] == [
        [],
        ["certificate_unproven"],
    ]

    refused = _explain(client, pallet["id"], job["id"])
    assert refused["eligible"] is False
    assert [f["name"] for f in refused["failed_constraints"]] == ["must_skill"]
    assert refused["failed_constraints"][0]["reason"] == (
        "Pflichtkenntnis fehlt: Gabelstapler fahren"
    )
