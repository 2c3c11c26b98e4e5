"""Reading a person's consent records is a read of their data: it leaves an audit entry."""

from __future__ import annotations


def _entries(client, public_id: str) -> list[dict]:
    response = client.get("/api/v1/audit", params={"public_id": public_id, "limit": 100})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_reading_consents_writes_an_audit_entry(client, world):
    person = world.participant_a
    before = len(_entries(client, person["public_id"]))

    url = f"/api/v1/participants/{person['id']}/consents"
    response = client.get(url, headers=world.headers("counsellor_a"))
    assert response.status_code == 200, response.text
    assert response.json()  # the person's consent records were shown

    entries = _entries(client, person["public_id"])
    assert len(entries) == before + 1
    entry = entries[-1]
    assert entry["action"] == "consent_read"
    assert entry["role"] == "counsellor"
    assert entry["key_id"] == world.keys["counsellor_a"]["id"]
    assert entry["route"] == "GET /api/v1/participants/{participant_id}/consents"
    assert entry["fields"] == ["full"]


def test_a_refused_consent_read_writes_no_entry(client, world):
    person = world.participant_a
    before = len(_entries(client, person["public_id"]))
    url = f"/api/v1/participants/{person['id']}/consents"
    assert client.get(url, headers=world.headers("counsellor_b")).status_code == 404
    assert len(_entries(client, person["public_id"])) == before
