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
