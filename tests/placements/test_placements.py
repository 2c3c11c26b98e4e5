"""Placements: creation from a match, the state machine, capacity, roles (issue: placements)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, update

from kai_match.models import ChangeLog, Placement
from tests.builders import (
    make_employer,
    matching_job,
    matching_person,
    partner_audience,
    pseudonyms_of,
)
from tests.world import World, assert_no_personal_data

TODAY = date.today()
PATH = ("proposed", "accepted_by_participant", "sent_to_employer", "trial_scheduled")


def place(client, participant_id: int, vacancy_id: int, **extra: Any) -> dict[str, Any]:
    body = {"participant_id": participant_id, "vacancy_id": vacancy_id} | extra
    response = client.post("/api/v1/placements", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def move(client, placement_id: int, to: str, expect: int = 200, headers=None, **extra: Any):
    response = client.post(
        f"/api/v1/placements/{placement_id}/transitions",
        json={"to": to} | extra,
        headers=headers or {},
    )
    assert response.status_code == expect, response.text
    return response.json()


def walk(client, placement_id: int, states=PATH) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for state in states:
        body = move(client, placement_id, state)
    return body


def test_created_from_a_match_with_its_explanation_frozen(client):
    employer = make_employer(client)
    person = matching_person(client)
    job = matching_job(client, employer["id"])
    explained = client.get(
        "/api/v1/matches/explain", params={"participant_id": person["id"], "vacancy_id": job["id"]}
    ).json()
    response = client.post(
        "/api/v1/placements",
        json={"participant_id": person["id"], "vacancy_id": job["id"], "note": "Probetag"},
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["Location"] == f"/api/v1/placements/{created['id']}"
    assert response.headers["ETag"] == f'"placement-{created["id"]}-v1"'
    assert created["state"] == "suggested"
    assert created["score"] == explained["score"]
    assert created["components"] == explained["components"]
    assert created["weight_profile"] == {"name": "default", "version": 1}
    assert created["eligible"] is True and created["overridden_constraints"] == []
    assert created["allowed_next"] == ["proposed", "withdrawn"]
    assert [h["to_state"] for h in created["history"]] == ["suggested"]
    read = client.get(f"/api/v1/placements/{created['id']}")
    assert read.headers["ETag"] == response.headers["ETag"]
    assert read.json()["note"] == "Probetag"
    again = client.post(
        "/api/v1/placements", json={"participant_id": person["id"], "vacancy_id": job["id"]}
    )
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "vacancy_id"


def test_an_ineligible_pair_needs_an_override_reason(client):
    employer = make_employer(client)
    job = matching_job(client, employer["id"])
    weak = matching_person(client, german_level="A1")
    refused = client.post(
        "/api/v1/placements", json={"participant_id": weak["id"], "vacancy_id": job["id"]}
    )
    assert refused.status_code == 409
    problem = refused.json()
    assert "language" in problem["detail"]
    assert [e["field"] for e in problem["errors"]] == ["language", "override_reason"]
    placed = place(
        client, weak["id"], job["id"], override_reason="Sprachkurs B1 beginnt in zwei Wochen."
    )
    assert placed["eligible"] is False
    assert placed["overridden_constraints"] == ["language"]
    no_permit = matching_person(client, work_permit={"status": "prohibited"})
    locked = client.post(
        "/api/v1/placements",
        json={
            "participant_id": no_permit["id"],
            "vacancy_id": job["id"],
            "override_reason": "Bitte trotzdem vorschlagen.",
        },
    )
    assert locked.status_code == 409
    assert "work_permit" in locked.json()["detail"]


def test_the_state_machine_allows_only_its_transitions(client):
    employer = make_employer(client)
    person = matching_person(client)
    job = matching_job(client, employer["id"])
    placement = place(client, person["id"], job["id"])
    illegal = move(client, placement["id"], "hired", expect=409)
    assert "proposed, withdrawn" in illegal["detail"]
    assert illegal["errors"] == [{"field": "to", "message": "must be one of: proposed, withdrawn"}]
    body = walk(client, placement["id"])
    assert body["state"] == "trial_scheduled" and body["trial_start"] == TODAY.isoformat()
    assert body["allowed_next"] == ["trial_running", "not_hired", "withdrawn"]
    missing = move(client, placement["id"], "withdrawn", expect=422)
    assert missing["errors"] == [{"field": "reason_code", "message": "is required for withdrawn"}]
    extra = move(client, placement["id"], "trial_running", expect=422, reason_code="other")
    assert extra["errors"][0]["field"] == "reason_code"
    future = (TODAY + timedelta(days=3)).isoformat()
    assert move(client, placement["id"], "trial_running", expect=422, date=future)["errors"] == [
        {"field": "date", "message": "must not lie in the future"}
    ]
    move(
        client, placement["id"], "trial_running", trial_end=(TODAY + timedelta(days=10)).isoformat()
    )
    done = move(client, placement["id"], "completed")
    assert done["trial_end"] == TODAY.isoformat()
    ended = move(client, placement["id"], "not_hired", reason_code="commute", note="Frühschicht")
    assert ended["state"] == "not_hired" and ended["reason_code"] == "commute"
    assert ended["ended_on"] == TODAY.isoformat() and ended["allowed_next"] == []
    assert [h["to_state"] for h in ended["history"]] == [
        "suggested",
        *PATH,
        "trial_running",
        "completed",
        "not_hired",
    ]
    assert ended["history"][-1]["note"] == "Frühschicht"
    assert ended["history"][-1]["actor"] == "bootstrap"
    final = move(client, placement["id"], "withdrawn", expect=409, reason_code="other")
    assert "none (final state)" in final["detail"]


def test_booked_openings_fill_the_vacancy_and_leave_the_rankings(client, engine):
    employer = make_employer(client)
    job = matching_job(client, employer["id"], openings=1)
    first, second = matching_person(client), matching_person(client)
    a = place(client, first["id"], job["id"])
    b = place(client, second["id"], job["id"])
    walk(client, a["id"])
    walk(client, b["id"])
    ranked = client.get(f"/api/v1/participants/{second['id']}/matches").json()["items"]
    assert job["id"] in [i["vacancy_id"] for i in ranked]
    with engine.connect() as connection:
        changes_before = connection.execute(select(func.count()).select_from(ChangeLog)).scalar()
    running = move(client, a["id"], "trial_running")
    assert running["holds_opening"] is True
    with engine.connect() as connection:
        rows = connection.execute(select(ChangeLog).where(ChangeLog.id > changes_before)).all()
    assert {(r.entity, r.entity_id) for r in rows} >= {
        ("vacancy", job["id"]),
        ("participant", first["id"]),
    }
    vacancy = client.get(f"/api/v1/vacancies/{job['id']}").json()
    assert vacancy["status"] == "filled"
    full = move(client, b["id"], "trial_running", expect=409)
    assert full["errors"] == [{"field": "vacancy_id", "message": "has no openings left"}]
    ranked = client.get(f"/api/v1/participants/{second['id']}/matches").json()["items"]
    assert job["id"] not in [i["vacancy_id"] for i in ranked]
    why = client.get(
        "/api/v1/matches/explain", params={"participant_id": second["id"], "vacancy_id": job["id"]}
    ).json()
    assert {"openings", "status"} <= {f["name"] for f in why["failed_constraints"]}

    move(client, a["id"], "withdrawn", reason_code="health")
    assert client.get(f"/api/v1/vacancies/{job['id']}").json()["status"] == "open"
    ranked = client.get(f"/api/v1/participants/{second['id']}/matches").json()["items"]
    assert job["id"] in [i["vacancy_id"] for i in ranked]
    move(client, b["id"], "trial_running")
    move(client, b["id"], "completed")  # the decision is pending: the opening stays booked
    assert client.get(f"/api/v1/vacancies/{job['id']}").json()["status"] == "filled"
    hired = move(client, b["id"], "hired")
    assert hired["hired_on"] == TODAY.isoformat() and hired["holds_opening"] is True
    assert client.get(f"/api/v1/vacancies/{job['id']}").json()["status"] == "filled"


def test_a_direct_hire_books_an_opening_and_more_openings_reopen(client):
    employer = make_employer(client)
    job = matching_job(client, employer["id"], openings=1)
    person = matching_person(client)
    placement = place(client, person["id"], job["id"])
    walk(client, placement["id"], PATH[:3])
    move(client, placement["id"], "hired")
    vacancy = client.get(f"/api/v1/vacancies/{job['id']}")
    assert vacancy.json()["status"] == "filled"
    more = client.patch(
        f"/api/v1/vacancies/{job['id']}",
        json={"openings": 2},
        headers={"If-Match": vacancy.headers["ETag"]},
    )
    assert more.status_code == 200 and more.json()["status"] == "open"


def test_patch_needs_a_current_etag(client):
    employer = make_employer(client)
    placement = place(
        client, matching_person(client)["id"], matching_job(client, employer["id"])["id"]
    )
    url = f"/api/v1/placements/{placement['id']}"
    etag = client.get(url).headers["ETag"]
    ok = client.patch(url, json={"note": "Neu"}, headers={"If-Match": etag})
    assert ok.status_code == 200 and ok.json()["note"] == "Neu"
    assert ok.headers["ETag"] != etag
    stale = client.patch(url, json={"note": "Alt"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    stale_move = client.post(
        f"{url}/transitions", json={"to": "proposed"}, headers={"If-Match": etag}
    )
    assert stale_move.status_code == 412


def test_roles_see_and_move_what_they_may(client, world: World):
    job = matching_job(client, world.employer_a["id"])
    person = world.participant_a
    placement = place(
        client,
        person["id"],
        job["id"],
        note="Frau Haddad anrufen",
        override_reason="Pendelzeit mit Mitfahrgelegenheit ok.",
    )
    url = f"/api/v1/placements/{placement['id']}"
    employer, other = world.headers("employer_a"), world.headers("employer_b")
    assert client.get(url, headers=employer).status_code == 404  # not sent to them yet
    assert client.get("/api/v1/placements", headers=employer).json()["items"] == []
    assert client.get(url, headers=world.headers("counsellor_b")).status_code == 404
    counsellor = world.headers("counsellor_a")
    for state in PATH[:3]:
        move(client, placement["id"], state, headers=counsellor)
    seen = client.get(url, headers=employer)
    assert seen.status_code == 200
    body = seen.json()
    assert "participant_id" not in body and "note" not in body and "override_reason" not in body
    known_as = pseudonyms_of(client, person["id"])
    assert body["participant_public_id"] == known_as[f"employer:{world.employer_a['id']}"]
    assert body["participant_public_id"] != person["public_id"]
    assert body["allowed_next"] == ["trial_scheduled", "hired", "not_hired"]
    assert_no_personal_data(seen.text)
    assert client.get(url, headers=other).status_code == 404
    denied = move(
        client, placement["id"], "withdrawn", expect=403, headers=employer, reason_code="other"
    )
    assert denied["errors"][0]["field"] == "to"
    move(client, placement["id"], "trial_scheduled", headers=employer, date=TODAY.isoformat())
    for role in ("partner", "analyst"):
        listed = client.get("/api/v1/placements", headers=world.headers(role))
        assert [p["id"] for p in listed.json()["items"]] == [placement["id"]]
        assert_no_personal_data(listed.text)
        assert "Frau Haddad" not in listed.text
        move(client, placement["id"], "trial_running", expect=403, headers=world.headers(role))
    refused = client.get(
        "/api/v1/placements",
        params={"participant_id": person["id"]},
        headers=world.headers("partner"),
    )
    assert refused.status_code == 403
    partner = pseudonyms_of(client, person["id"])[partner_audience(world.keys["partner"])]
    by_pseudonym = client.get(
        "/api/v1/placements",
        params={"participant_public_id": partner},
        headers=world.headers("partner"),
    )
    assert [p["participant_public_id"] for p in by_pseudonym.json()["items"]] == [partner]


def test_follow_ups_after_a_hire_and_the_due_list(client, engine, world: World):
    job = matching_job(client, world.employer_a["id"])
    placement = place(
        client, world.participant_a["id"], job["id"], override_reason="Testfall ohne Pendel."
    )
    early = client.post(
        f"/api/v1/placements/{placement['id']}/follow-ups",
        json={"month": 3, "still_employed": True, "checked_on": TODAY.isoformat()},
    )
    assert early.status_code == 409 and early.json()["errors"][0]["field"] == "state"
    walk(client, placement["id"], PATH[:3])
    move(client, placement["id"], "hired")
    hired_on = TODAY - timedelta(days=200)  # recorded long ago
    with engine.begin() as connection:
        connection.execute(
            update(Placement).where(Placement.id == placement["id"]).values(hired_on=hired_on)
        )
    counsellor = world.headers("counsellor_a")
    due = client.get("/api/v1/follow-ups/due", headers=counsellor).json()
    assert due["site"] == "grimma"
    assert [(i["placement_id"], i["month"]) for i in due["items"]] == [
        (placement["id"], 3),
        (placement["id"], 6),
    ]
    assert (
        client.get("/api/v1/follow-ups/due", headers=world.headers("counsellor_b")).json()["items"]
        == []
    )
    assert (
        client.get(
            "/api/v1/follow-ups/due",
            params={"site": "grimma"},
            headers=world.headers("counsellor_b"),
        ).status_code
        == 403
    )
    url = f"/api/v1/placements/{placement['id']}/follow-ups"
    too_soon = client.post(
        url, json={"month": 12, "still_employed": True, "checked_on": TODAY.isoformat()}
    )
    assert too_soon.status_code == 422 and too_soon.json()["errors"][0]["field"] == "checked_on"
    recorded = client.post(
        url,
        json={"month": 3, "still_employed": True, "checked_on": TODAY.isoformat()},
        headers=counsellor,
    )
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["follow_ups"][0]["month"] == 3
    twice = client.post(
        url, json={"month": 3, "still_employed": True, "checked_on": TODAY.isoformat()}
    )
    assert twice.status_code == 409
    client.post(url, json={"month": 6, "still_employed": False, "checked_on": TODAY.isoformat()})
    later = (TODAY + timedelta(days=400)).isoformat()
    assert client.get("/api/v1/follow-ups/due", params={"as_of": later}).json()["items"] == []


def test_export_lists_placements_and_erasure_clears_their_notes(client, engine, world: World):
    job = matching_job(client, world.employer_a["id"])
    person = world.participant_a
    placement = place(
        client,
        person["id"],
        job["id"],
        note="Amina Haddad ruft zurück",
        override_reason="Haddad hat Mitfahrgelegenheit.",
    )
    move(client, placement["id"], "proposed", note="Haddad einverstanden")
    exported = client.get(f"/api/v1/participants/{person['id']}/export").json()
    assert len(exported["related"]["placement"]) == 1
    assert len(exported["related"]["placement_transition"]) == 2
    assert (
        client.delete(f"/api/v1/participants/{person['id']}", params={"erase": "true"}).status_code
        == 204
    )
    read = client.get(f"/api/v1/placements/{placement['id']}").json()
    assert "Haddad" not in str(read)
