"""Possible duplicates in the create answer, and merging one into the vacancy that stays."""

from __future__ import annotations

from tests.builders import bearer, make_employer, make_key, make_participant, vacancy_body


def test_a_cross_posted_vacancy_is_flagged_and_merged(client):
    own = make_employer(client, name="Müller Logistik GmbH", postal_code="04552")
    ba = client.put(
        "/api/v1/employers/by-ref/ba/kd-9",
        json={"name": "Mueller Logistik", "postal_code": "04552"},
    ).json()
    first = client.post(
        "/api/v1/vacancies",
        json=vacancy_body(employer_id=own["id"], title="Lagerhelfer (m/w/d)", postal_code="04552"),
    )
    assert first.status_code == 201, first.text
    assert first.json()["possible_duplicates"] == []
    posted = client.put(
        "/api/v1/vacancies/by-ref/ba/10000-77",
        json=vacancy_body(employer_id=ba["id"], title="Helfer/in - Lager", postal_code="04552"),
    )
    assert posted.status_code == 201, posted.text
    duplicates = posted.json()["possible_duplicates"]
    assert [d["vacancy_id"] for d in duplicates] == [first.json()["id"]]
    assert 0.7 <= duplicates[0]["score"] <= 1
    assert client.get(f"/api/v1/vacancies/{first.json()['id']}").json()["possible_duplicates"] == []

    person = make_participant(client)
    placement = client.post(
        "/api/v1/placements",
        json={
            "participant_id": person["id"],
            "vacancy_id": posted.json()["id"],
            "override_reason": "Test: the placement must follow the merge.",
        },
    )
    assert placement.status_code == 201, placement.text
    counsellor = make_key(client, "counsellor", site="grimma")
    merged = client.post(
        f"/api/v1/vacancies/{first.json()['id']}/merge",
        json={"duplicate_id": posted.json()["id"]},
        headers=bearer(counsellor),
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["external_refs"] == [{"system": "ba", "id": "10000-77"}]
    assert client.get("/api/v1/vacancies/by-ref/ba/10000-77").json()["id"] == first.json()["id"]
    assert client.get(f"/api/v1/vacancies/{posted.json()['id']}").json()["status"] == "closed"
    moved = client.get(f"/api/v1/placements/{placement.json()['id']}").json()
    assert moved["vacancy_id"] == first.json()["id"]

    itself = client.post(
        f"/api/v1/vacancies/{first.json()['id']}/merge", json={"duplicate_id": first.json()["id"]}
    )
    assert itself.status_code == 422
    assert itself.json()["errors"] == [
        {"field": "duplicate_id", "message": "must name another vacancy"}
    ]
    employer_key = make_key(client, "employer", employer_id=own["id"])
    refused = client.post(
        f"/api/v1/vacancies/{first.json()['id']}/merge",
        json={"duplicate_id": posted.json()["id"]},
        headers=bearer(employer_key),
    )
    assert refused.status_code == 403
