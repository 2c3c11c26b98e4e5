"""The Art. 15 export lists stored Idempotency-Key answers that name the person (issue 17.16).

Decision: they are copies of the person's data kept for retries (at least 24 hours), so the
export lists each one (method, path, when stored, when purged at the latest) without copying its
body, which may name other people (a batch ranking); erasure deletes them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.builders import participant_body


def test_export_lists_stored_answers_naming_the_person_without_their_bodies(client):
    key = {"Idempotency-Key": "export-lists-me"}
    created = client.post("/api/v1/participants", json=participant_body(), headers=key)
    assert created.status_code == 201
    person = created.json()
    other = {"Idempotency-Key": "someone-else"}
    assert client.post("/api/v1/participants", json=participant_body(), headers=other).status_code

    export = client.get(f"/api/v1/participants/{person['id']}/export")
    assert export.status_code == 200, export.text
    stored = export.json()["stored_answers"]
    assert [(s["method"], s["path"]) for s in stored] == [("POST", "/api/v1/participants")]
    kept = datetime.fromisoformat(stored[0]["deleted_after"]) - datetime.fromisoformat(
        stored[0]["stored_at"]
    )
    assert kept == timedelta(hours=24)
    assert "response_body" not in export.text and "body" not in stored[0]

    erased = client.delete(f"/api/v1/participants/{person['id']}", params={"erase": True})
    assert erased.status_code == 204
    after = client.get(f"/api/v1/participants/{person['id']}/export").json()
    assert after["stored_answers"] == []
