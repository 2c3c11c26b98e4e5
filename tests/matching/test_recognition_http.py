"""Regulated occupations over HTTP (issue 14, item 5): a nurse whose recognition is pending is
flagged with the expected date for a Pflegefachkraft job, one without recognition is clearly
excluded, a partial recognition points to helper roles. SQLite and PostgreSQL.
"""

from __future__ import annotations

from tests.builders import matching_job, matching_person
from tests.world import World

C1 = {"german_level": "C1"}  # the world's people never qualify, so each list holds ours alone
NURSE_ISCO = "2221"


def _explain(client, participant_id: int, vacancy_id: int, **params) -> dict:
    response = client.get(
        "/api/v1/matches/explain",
        params={"participant_id": participant_id, "vacancy_id": vacancy_id} | params,
    )
    assert response.status_code == 200, response.text
    return response.json()


def _nurse(client, recognition: str, expected: str | None = None) -> dict:
    occupation = {"code": NURSE_ISCO, "years": 6, "recognition": recognition}
    if expected:
        occupation["recognition_expected"] = expected
    return matching_person(client, occupations=[occupation], **C1)


def test_recognition_gates_a_regulated_nursing_job(client, world: World):
    listed = client.get("/api/v1/taxonomy/regulated-occupations")
    assert listed.status_code == 200
    keys = [item["key"] for item in listed.json()["items"]]
    assert "pflegefachkraft" in keys and "erzieher" in keys
    job = matching_job(
        client,
        world.employer_a["id"],
        title="Pflegefachkraft (m/w/d)",
        skills=[],
        regulated_occupation="pflegefachkraft",
        min_german_level="C1",
    )
    assert job["regulated_occupation"] == "pflegefachkraft"
    pending = _nurse(client, "pending", "2027-04-15")
    assert pending["occupations"][0]["recognition_expected"] == "2027-04-15"
    full = _nurse(client, "full")
    none = _nurse(client, "none")
    partial = _nurse(client, "partial")

    why = _explain(client, pending["id"], job["id"])
    assert why["eligible"] is True
    assert ("recognition_pending", "Anerkennung beantragt, Bescheid erwartet am 15.04.2027") in [
        (f["code"], f["reason"]) for f in why["flags"]
    ]
    refused = _explain(client, none["id"], job["id"])
    assert [(f["name"], f["reason"]) for f in refused["failed_constraints"]] == [
        (
            "recognition",
            "Reglementierter Beruf: Abschluss nicht anerkannt – Anerkennung beantragen",
        )
    ]
    helper = _explain(client, partial["id"], job["id"], lang="en")
    assert [(f["name"], f["reason"]) for f in helper["failed_constraints"]] == [
        (
            "recognition",
            "Regulated occupation: qualification only partly recognised – "
            "possible as a helper or assistant",
        )
    ]
    ranking = client.get(f"/api/v1/vacancies/{job['id']}/matches").json()
    assert sorted(item["participant_id"] for item in ranking["items"]) == sorted(
        [full["id"], pending["id"]]
    )


def test_unknown_regulated_occupations_and_stray_dates_are_refused(client, world: World):
    bad = client.post(
        "/api/v1/vacancies",
        json={
            "employer_id": world.employer_a["id"],
            "title": "Pflege",
            "type": "job",
            "min_german_level": "B1",
            "postal_code": "04552",
            "openings": 1,
            "regulated_occupation": "pilot",
        },
    )
    assert bad.status_code == 422
    assert "regulated_occupation" in bad.text
    stray = client.post(
        "/api/v1/participants",
        json={
            "site": "grimma",
            "first_name": "A",
            "last_name": "B",
            "birth_date": "1990-01-01",
            "german_level": "A2",
            "home_postal_code": "04552",
            "occupations": [
                {"code": NURSE_ISCO, "recognition": "full", "recognition_expected": "2027-01-01"}
            ],
        },
    )
    assert stray.status_code == 422
    assert "recognition_expected is only for a pending recognition" in stray.text
