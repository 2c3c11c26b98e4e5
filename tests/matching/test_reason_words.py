"""Reason texts use words, not codes (issue 14, item 6): an occupational field by its label."""

from __future__ import annotations

from tests.builders import matching_job, matching_person
from tests.world import World


def test_a_wished_field_is_named_in_words(client, world: World):
    job = matching_job(
        client,
        world.employer_a["id"],
        occupation={"name": "Fachkraft für Lagerlogistik"},
        min_german_level="C1",
    )
    person = matching_person(
        client,
        german_level="C1",
        preferences={"placement_types": ["job"], "fields_wanted": ["logistics"]},
    )
    for lang, words in (
        ("de", "Wunschfeld Lager & Logistik"),
        ("en", "preferred field Warehouse & logistics"),
    ):
        why = client.get(
            "/api/v1/matches/explain",
            params={"participant_id": person["id"], "vacancy_id": job["id"], "lang": lang},
        ).json()
        reason = why["components"]["preferences"]["reason"]
        assert words in reason, reason
        assert "logistics" not in reason.replace("& logistics", "")


def test_a_vacancy_without_an_occupation_takes_its_field_from_the_title(client, world: World):
    """A "Reinigungskraft" posted without an occupation code is cleaning, not "not wished"."""
    person = matching_person(
        client,
        german_level="C1",
        preferences={"placement_types": ["job"], "fields_wanted": ["cleaning"]},
    )
    jobs = {
        title: matching_job(
            client, world.employer_a["id"], title=title, occupation=None, min_german_level="C1"
        )
        for title in ("Reinigungskraft (m/w/d)", "Helfer gesucht")
    }
    reasons = {
        title: client.get(
            "/api/v1/matches/explain",
            params={"participant_id": person["id"], "vacancy_id": job["id"]},
        ).json()["components"]["preferences"]
        for title, job in jobs.items()
    }
    assert "Wunschfeld Reinigung" in reasons["Reinigungskraft (m/w/d)"]["reason"]
    # A generic title names no field: unknown, so neither wished nor not (counted neutral).
    assert "Berufsfeld nicht angegeben" in reasons["Helfer gesucht"]["reason"]
    assert reasons["Reinigungskraft (m/w/d)"]["value"] > reasons["Helfer gesucht"]["value"]


def test_the_permit_document_is_named_as_recorded(client, world: World):
    """A Duldung is no Aufenthaltstitel: the reason says which document ends."""
    job = matching_job(client, world.employer_a["id"], min_german_level="C1")
    person = matching_person(
        client,
        german_level="C1",
        work_permit={"status": "permitted", "valid_until": "2026-01-31", "document": "toleration"},
    )
    assert person["work_permit"]["document"] == "toleration"
    why = client.get(
        "/api/v1/matches/explain",
        params={"participant_id": person["id"], "vacancy_id": job["id"]},
    ).json()
    reasons = [f["reason"] for f in why["failed_constraints"] if f["name"] == "work_permit"]
    assert len(reasons) == 1 and reasons[0].startswith("Duldung gültig bis 31.01.2026"), reasons
    assert reasons[0].endswith("passt, sobald die Duldung verlängert ist")
    bad = client.patch(
        f"/api/v1/participants/{person['id']}",
        json={"work_permit": {"status": "permitted", "document": "passport"}},
        headers={"If-Match": client.get(f"/api/v1/participants/{person['id']}").headers["ETag"]},
    )
    assert bad.status_code == 422
    assert "work_permit.document" in bad.text
