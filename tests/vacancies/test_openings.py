"""Openings held by running trials and hires cannot be taken away by lowering the number."""

from __future__ import annotations

from tests.builders import make_employer, matching_job, matching_person


def _running_trial(client, vacancy_id: int) -> int:
    person = matching_person(client)
    created = client.post(
        "/api/v1/placements", json={"participant_id": person["id"], "vacancy_id": vacancy_id}
    )
    assert created.status_code == 201, created.text
    placement_id = created.json()["id"]
    for state in (
        "proposed",
        "accepted_by_participant",
        "sent_to_employer",
        "trial_scheduled",
        "trial_running",
    ):
        moved = client.post(f"/api/v1/placements/{placement_id}/transitions", json={"to": state})
        assert moved.status_code == 200, moved.text
    return placement_id


def test_openings_below_the_booked_number_are_refused(client):
    job = matching_job(client, make_employer(client)["id"], openings=3)
    url = f"/api/v1/vacancies/{job['id']}"
    _running_trial(client, job["id"])
    _running_trial(client, job["id"])
    before = client.get(url)

    refused = client.patch(url, json={"openings": 1, "title": "Neuer Titel"})

    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["errors"] == [
        {"field": "openings", "message": "must be at least 2 (openings booked)"}
    ]
    after = client.get(url)
    assert after.json()["openings"] == 3 and after.json()["title"] == before.json()["title"]
    assert after.headers["ETag"] == before.headers["ETag"]
    # Down to exactly the booked number is fine: the vacancy is then filled.
    lowered = client.patch(url, json={"openings": 2})
    assert lowered.status_code == 200, lowered.text
    assert lowered.json()["status"] == "filled"
