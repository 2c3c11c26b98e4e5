"""Ending reasons about health and family show as `personal` outside admin and counsellor views."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kai_match.models import Placement, PlacementTransition
from tests.builders import matching_job
from tests.world import World

TO_EMPLOYER = ("proposed", "accepted_by_participant", "sent_to_employer")


def _ended(client, world: World, end: str, reason: str) -> dict[str, Any]:
    """A placement of participant A at a new vacancy of employer A, sent, then ended."""
    job = matching_job(client, world.employer_a["id"])
    created = client.post(
        "/api/v1/placements",
        json={
            "participant_id": world.participant_a["id"],
            "vacancy_id": job["id"],
            "override_reason": "Pendelzeit mit Mitfahrgelegenheit ok.",
        },
    )
    assert created.status_code == 201, created.text
    placement = created.json()
    for state in (*TO_EMPLOYER, end):
        body = {"to": state} | ({"reason_code": reason} if state == end else {})
        moved = client.post(f"/api/v1/placements/{placement['id']}/transitions", json=body)
        assert moved.status_code == 200, moved.text
    return moved.json()


def _reasons(placement: dict[str, Any]) -> tuple[str | None, list[str | None]]:
    return placement["reason_code"], [h["reason_code"] for h in placement["history"]]


def test_health_and_childcare_are_personal_for_employer_partner_and_analyst(
    client, engine, world: World
):
    health = _ended(client, world, "withdrawn", "health")
    childcare = _ended(client, world, "not_hired", "childcare")
    commute = _ended(client, world, "not_hired", "commute")
    shown = {"health": health["id"], "childcare": childcare["id"], "commute": commute["id"]}

    for role in ("employer_a", "partner", "analyst"):
        headers = world.headers(role)
        for stored, placement_id in shown.items():
            read = client.get(f"/api/v1/placements/{placement_id}", headers=headers)
            assert read.status_code == 200, (role, read.text)
            expected = "commute" if stored == "commute" else "personal"
            code, history = _reasons(read.json())
            assert code == expected, role
            assert history[-1] == expected and set(history[:-1]) == {None}, role
            assert stored not in read.text or stored == "commute", role
        listed = client.get("/api/v1/placements", headers=headers)
        assert listed.status_code == 200, listed.text
        codes = {p["id"]: _reasons(p) for p in listed.json()["items"]}
        assert codes[health["id"]][0] == codes[childcare["id"]][0] == "personal", role
        assert codes[commute["id"]][0] == "commute", role
        assert "health" not in listed.text and "childcare" not in listed.text, role

    for role in ("counsellor_a", "admin"):
        headers = world.headers(role)
        for stored, placement_id in shown.items():
            read = client.get(f"/api/v1/placements/{placement_id}", headers=headers)
            assert _reasons(read.json())[0] == stored, role
            assert read.json()["history"][-1]["reason_code"] == stored, role
        listed = client.get("/api/v1/placements", headers=headers).json()["items"]
        assert {p["id"]: p["reason_code"] for p in listed} == {
            health["id"]: "health",
            childcare["id"]: "childcare",
            commute["id"]: "commute",
        }

    # The stored value stays as recorded; only the output changes.
    with engine.connect() as connection:
        stored = dict(connection.execute(select(Placement.id, Placement.reason_code)).all())
        history = set(connection.execute(select(PlacementTransition.reason_code)).scalars())
    assert stored == {
        health["id"]: "health",
        childcare["id"]: "childcare",
        commute["id"]: "commute",
    }
    assert "personal" not in history


def test_personal_is_an_output_value_only(client, world: World):
    job = matching_job(client, world.employer_a["id"])
    created = client.post(
        "/api/v1/placements",
        json={
            "participant_id": world.participant_a["id"],
            "vacancy_id": job["id"],
            "override_reason": "Pendelzeit mit Mitfahrgelegenheit ok.",
        },
    ).json()
    refused = client.post(
        f"/api/v1/placements/{created['id']}/transitions",
        json={"to": "withdrawn", "reason_code": "personal"},
    )
    assert refused.status_code == 422
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    out = schema["ReasonCodeOut"]
    assert "personal" in out["enum"] and "persönliche Gründe" in out["description"]
    assert "personal" not in schema["ReasonCode"]["enum"]
