"""Data protection: consent records, withdrawal, export (Art. 15), erasure (Art. 17), retention."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import JSON, Date, String, Text, select, text, update
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from kai_match.config import get_settings
from kai_match.models import Participant, metadata
from kai_match.models.common import utcnow
from tests.builders import (
    bearer,
    make_key,
    make_participant,
    matching_job,
    matching_person,
    pseudonyms_of,
)
from tests.world import BIRTH_DATE, World

SECRETS = ("Amina", "Haddad", BIRTH_DATE, "amina@example.org", "0176 5550123", "Frau Berger")


def personal_values_in_database(engine: Engine, needles=SECRETS) -> list[tuple[str, str, str]]:
    """(table, column, needle) for every text, varchar, JSON or date value holding a needle."""
    found = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON | Date)]
            for column in columns:
                for (value,) in connection.execute(select(column)):
                    if value is None:
                        continue
                    as_text = value if isinstance(value, str) else json.dumps(value, default=str)
                    found += [(table.name, column.name, n) for n in needles if n in as_text]
    return found


def test_consents_are_recorded_and_sharing_needs_processing(client):
    person = make_participant(client, consent={"processing": False})
    url = f"/api/v1/participants/{person['id']}/consents"
    refused = client.post(url, json={"purpose": "share_with_employers"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "purpose", "message": "requires consent to processing"}
    ]
    given = client.post(url, json={"purpose": "processing", "given_on": "2026-11-02"})
    assert given.status_code == 201, given.text
    assert given.json() | {"recorded_at": None} == {
        "id": given.json()["id"],
        "purpose": "processing",
        "legal_basis": "consent",
        "given_on": "2026-11-02",
        "withdrawn_on": None,
        "recorded_at": None,
        "recorded_by": "bootstrap",
    }
    assert client.post(url, json={"purpose": "share_with_employers"}).status_code == 201
    profile = client.get(f"/api/v1/participants/{person['id']}").json()
    assert profile["consent"] == {
        "processing": True,
        "share_with_employers": True,
        "given_on": "2026-11-02",
    }


def test_patch_with_consent_writes_records_too(client):
    person = make_participant(client)  # created with both consents: two records
    url = f"/api/v1/participants/{person['id']}"
    records = client.get(f"{url}/consents").json()
    assert {(r["purpose"], r["withdrawn_on"]) for r in records} == {
        ("processing", None),
        ("share_with_employers", None),
    }
    client.patch(url, json={"consent": {"processing": True, "share_with_employers": False}})
    records = client.get(f"{url}/consents").json()
    share = next(r for r in records if r["purpose"] == "share_with_employers")
    assert share["withdrawn_on"] is not None


def test_withdrawal_sets_flags_and_writes_the_change_log(client, engine):
    person = make_participant(client)
    with engine.connect() as connection:
        before = connection.execute(text("SELECT count(*) FROM change_log")).scalar_one()
    response = client.post(
        f"/api/v1/participants/{person['id']}/consents/withdrawal",
        json={"purpose": "processing"},
    )
    assert response.status_code == 200, response.text
    assert all(r["withdrawn_on"] for r in response.json())
    profile = client.get(f"/api/v1/participants/{person['id']}").json()
    assert profile["consent"]["processing"] is False
    assert profile["consent"]["share_with_employers"] is False
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT entity, entity_id FROM change_log ORDER BY id")
        ).all()
    assert len(rows) == before + 1 and tuple(rows[-1]) == ("participant", person["id"])


def test_withdrawn_consent_removes_the_person_from_all_rankings(client, world: World):
    person = matching_person(client)
    job = matching_job(client, world.employer_a["id"])
    vacancy_url = f"/api/v1/vacancies/{job['id']}/matches"
    person_url = f"/api/v1/participants/{person['id']}/matches"
    employer = world.headers("employer_a")

    def listed(url, headers=None) -> set[str]:
        response = client.get(url, headers=headers or {})
        assert response.status_code == 200, response.text
        return {i["participant_public_id"] for i in response.json()["items"]}

    assert person["public_id"] in listed(vacancy_url)
    shown_to_employer = listed(vacancy_url, employer)
    known_as = pseudonyms_of(client, person["id"])[f"employer:{world.employer_a['id']}"]
    assert known_as in shown_to_employer
    assert listed(person_url) == {person["public_id"]}

    withdraw = f"/api/v1/participants/{person['id']}/consents/withdrawal"
    assert client.post(withdraw, json={"purpose": "share_with_employers"}).status_code == 200
    assert known_as not in listed(vacancy_url, employer)
    assert person["public_id"] in listed(vacancy_url)  # counsellors still see the match

    assert client.post(withdraw, json={"purpose": "processing"}).status_code == 200
    assert person["public_id"] not in listed(vacancy_url)
    assert listed(person_url) == set()


def test_export_holds_everything_including_the_audit_trail(client, world: World):
    counsellor = world.headers("counsellor_a")
    person = world.participant_a
    url = f"/api/v1/participants/{person['id']}"
    client.get(url, headers=counsellor)
    client.patch(url, json={"german_level": "B1"}, headers=counsellor)
    response = client.get(f"{url}/export", headers=counsellor)
    assert response.status_code == 200, response.text
    export = response.json()
    assert export["participant"]["first_name"] == "Amina"
    assert export["participant"]["skills"][0]["name"] == "Kommissionieren"
    assert {c["purpose"] for c in export["consents"]} == {"processing", "share_with_employers"}
    entries = [(e["action"], e["role"], e["route"]) for e in export["audit"]]
    assert ("create", "admin", "POST /api/v1/participants") in entries
    assert ("read", "counsellor", "GET /api/v1/participants/{participant_id}") in entries
    assert ("update", "counsellor", "PATCH /api/v1/participants/{participant_id}") in entries
    assert entries[-1][0] == "export"
    update_entry = next(e for e in export["audit"] if e["action"] == "update")
    assert update_entry["fields"] == ["german_level"]
    assert update_entry["key_id"] == world.keys["counsellor_a"]["id"]
    assert all(e["public_id"] == person["public_id"] for e in export["audit"])
    assert "Amina" not in json.dumps(export["audit"])
    assert client.get(f"{url}/export", headers=world.headers("analyst")).status_code == 403


def test_erasure_leaves_no_personal_data_anywhere(client, engine, world: World):
    person = make_participant(
        client,
        email="amina@example.org",
        phone="0176 5550123",
        counsellor="Frau Berger",
        skills=[{"name": "Kommissionieren bei Haddad & Söhne", "level": 3}],
        occupations=[{"name": "Lager bei Amina Haddad", "years": 2}],
    )
    url = f"/api/v1/participants/{person['id']}"
    client.get(f"{url}/export")
    assert personal_values_in_database(engine)  # the scan does find them while stored

    counsellor = world.headers("counsellor_a")
    refused = client.delete(url, params={"erase": True}, headers=counsellor)
    assert refused.status_code == 403
    assert client.delete(url, params={"erase": True}).status_code == 204

    # world.participant_a is another "Amina Haddad": erase her as well, then nothing is left.
    assert client.delete(f"/api/v1/participants/{world.participant_a['id']}?erase=true").is_success
    assert personal_values_in_database(engine) == []

    after = client.get(url).json()
    assert after["public_id"] == person["public_id"]
    assert after["status"] == "archived" and after["age_band"] is None
    assert after["skills"] and all("name" not in s for s in after["skills"])
    assert client.patch(url, json={"german_level": "B2"}).status_code == 409
    listed = client.get("/api/v1/participants").json()["items"]
    assert person["public_id"] not in {p["public_id"] for p in listed}
    audit = client.get("/api/v1/audit", params={"public_id": person["public_id"]}).json()
    assert [e["action"] for e in audit["items"]][-2:] == ["erase", "read"]


def test_export_lists_the_pseudonyms_and_erasure_makes_them_unlinkable(
    client, engine, world: World
):
    person = matching_person(client)
    job = matching_job(client, world.employer_a["id"])
    employer, partner = world.headers("employer_a"), world.headers("partner")
    client.get(f"/api/v1/vacancies/{job['id']}/matches", headers=employer)
    batch = client.post(
        "/api/v1/matches/batch",
        json={"vacancy_ids": [job["id"]]},
        headers=partner | {"Idempotency-Key": "pull-before-erasure"},
    )
    assert batch.status_code == 200, batch.text
    known_as = pseudonyms_of(client, person["id"])
    audiences = [f"employer:{world.employer_a['id']}", f"partner:key:{world.keys['partner']['id']}"]
    assert sorted(known_as) == sorted(audiences)
    assert known_as[audiences[1]] in batch.text and person["public_id"] not in batch.text

    url = f"/api/v1/participants/{person['id']}"
    export = client.get(f"{url}/export").json()
    assert [(p["audience"], p["pseudonym"]) for p in export["pseudonyms"]] == sorted(
        known_as.items()
    )
    assert export["participant"]["pseudonyms"] == export["pseudonyms"]
    assert "participant_pseudonym" not in export["related"]

    assert client.delete(url, params={"erase": True}).status_code == 204
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT pseudonym FROM participant_pseudonym WHERE participant_id = :p"),
            {"p": person["id"]},
        ).all()
        stored = connection.execute(text("SELECT key FROM idempotency_key")).scalars().all()
    assert rows == []
    assert "pull-before-erasure" not in stored  # the stored answer named a pseudonym
    assert client.get(url).json()["public_id"] == person["public_id"]  # admins: own id stays
    assert client.get(f"{url}/export").json()["pseudonyms"] == []
    # An audience shown the erased profile again gets an id unrelated to the one it held.
    again = client.get(url, headers=world.headers("analyst")).json()["public_id"]
    assert again not in set(known_as.values()) | {person["public_id"]}
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT audience, pseudonym FROM participant_pseudonym WHERE participant_id = :p"),
            {"p": person["id"]},
        ).all()
    assert [tuple(r) for r in rows] == [("analyst", again)]


def test_retention_run_erases_profiles_archived_too_long(client, engine, database_url, monkeypatch):
    old = make_participant(client)
    recent = make_participant(client, first_name="Olena", last_name="Kovalenko")
    active = make_participant(client, first_name="Samir", last_name="Haddad")
    for person in (old, recent):
        assert client.delete(f"/api/v1/participants/{person['id']}").status_code == 204
    with engine.begin() as connection:
        connection.execute(
            update(Participant.__table__)
            .where(Participant.__table__.c.id == old["id"])
            .values(archived_at=utcnow() - timedelta(days=800))
        )

    from kai_match.cli import app as cli

    monkeypatch.setenv("KAI_DATABASE_URL", database_url)
    monkeypatch.setenv("KAI_RETENTION_DAYS", "730")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        dry = runner.invoke(cli, ["retention", "run", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert old["public_id"] in dry.output and recent["public_id"] not in dry.output
        assert client.get(f"/api/v1/participants/{old['id']}").json()["first_name"] == "Amina"
        done = runner.invoke(cli, ["retention", "run"])
        assert done.exit_code == 0, done.output
        assert "1 profiles" in done.output
    finally:
        get_settings.cache_clear()
    assert "first_name" not in client.get(f"/api/v1/participants/{old['id']}").json()
    assert client.get(f"/api/v1/participants/{recent['id']}").json()["first_name"] == "Olena"
    assert client.get(f"/api/v1/participants/{active['id']}").json()["first_name"] == "Samir"
    audit = client.get("/api/v1/audit", params={"public_id": old["public_id"]}).json()["items"]
    assert ("retention", "erase") in [(e["actor"], e["action"]) for e in audit]


def test_audit_log_filters_and_pages(client, world: World):
    counsellor = world.keys["counsellor_a"]
    person = world.participant_a
    since = client.get("/api/v1/audit").json()["items"][-1]["at"]
    response = client.get(
        f"/api/v1/participants/{person['id']}",
        headers=bearer(counsellor) | {"X-Request-ID": "6f1c2b3a4d5e4f60a1b2c3d4e5f60718"},
    )
    assert response.status_code == 200
    mine = client.get("/api/v1/audit", params={"key_id": counsellor["id"]}).json()["items"]
    assert len(mine) == 1
    assert mine[0] | {"id": 0, "at": ""} == {
        "id": 0,
        "at": "",
        "request_id": "6f1c2b3a4d5e4f60a1b2c3d4e5f60718",
        "actor": f"key:{counsellor['id']}",
        "key_id": counsellor["id"],
        "role": "counsellor",
        "action": "read",
        "route": "GET /api/v1/participants/{participant_id}",
        "public_id": person["public_id"],
        "fields": ["full"],
    }
    by_person = client.get("/api/v1/audit", params={"public_id": person["public_id"]}).json()
    assert [e["action"] for e in by_person["items"]] == ["create", "read"]
    recent = client.get("/api/v1/audit", params={"since": since}).json()["items"]
    assert recent and all(e["at"] >= since for e in recent)
    seen, cursor = [], None
    while True:
        page = client.get(
            "/api/v1/audit", params={"limit": 2} | ({"cursor": cursor} if cursor else {})
        ).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) >= 4
    analyst = make_key(client, "analyst")
    assert client.get("/api/v1/audit", headers=bearer(analyst)).status_code == 403
