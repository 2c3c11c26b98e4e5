"""Contacts and their cadence over HTTP (issue 16, item 5): record, list, overdue per site;
notes are personal data (audited, exported, erased, never shown outside counselling)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from kai_match.models import AuditEntry, Participant
from tests.builders import bearer, make_key, make_participant, matching_job
from tests.placements.test_placements import move, place
from tests.world import World

TODAY = date.today()
NOTE = "Amina Haddad: Kita-Platz ab März, Probearbeit möglich"


def contact(client, participant_id: int, days_ago: int, expect: int = 201, headers=None, **body):
    response = client.post(
        f"/api/v1/participants/{participant_id}/contacts",
        json={
            "contact_on": (TODAY - timedelta(days=days_ago)).isoformat(),
            "channel": "phone",
            "topic": "counselling",
        }
        | body,
        headers=headers or {},
    )
    assert response.status_code == expect, response.text
    return response.json()


def created_days_ago(engine, participant_id: int, days: int) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(Participant)
            .where(Participant.id == participant_id)
            .values(created_at=datetime.now(UTC) - timedelta(days=days))
        )


def test_contacts_are_recorded_listed_and_set_the_next_due_day(client, engine, world: World):
    person = world.participant_a
    # The course (its end is the B1 date here) ends long after the next cadence day, so the
    # cadence decides whatever today's date is.
    later = {"expected_b1_date": (TODAY + timedelta(days=200)).isoformat()}
    assert client.patch(f"/api/v1/participants/{person['id']}", json=later).status_code == 200
    first = contact(client, person["id"], 50, channel="in_person", topic="course")
    assert first["next_contact_on"] == (TODAY + timedelta(days=-8)).isoformat()
    assert first["next_contact_reason"] == "cadence"
    body = contact(client, person["id"], 10, note=NOTE)
    assert [(c["contact_on"], c["channel"], c["topic"], c["note"]) for c in body["items"]] == [
        ((TODAY - timedelta(days=10)).isoformat(), "phone", "counselling", NOTE),
        ((TODAY - timedelta(days=50)).isoformat(), "in_person", "course", None),
    ]
    assert body["items"][0]["recorded_by"] == "bootstrap"
    assert (body["next_contact_on"], body["next_contact_reason"]) == (
        (TODAY + timedelta(days=32)).isoformat(),
        "cadence",
    )
    counsellor = bearer(make_key(client, "counsellor", site="grimma"))
    listed = client.get(f"/api/v1/participants/{person['id']}/contacts", headers=counsellor)
    assert listed.status_code == 200 and listed.json() == body
    other_site = bearer(make_key(client, "counsellor", site="borna"))
    hidden = client.get(f"/api/v1/participants/{person['id']}/contacts", headers=other_site)
    assert hidden.status_code == 404
    with engine.connect() as connection:
        actions = connection.execute(
            select(AuditEntry.action, AuditEntry.fields).order_by(AuditEntry.id)
        ).all()
    assert ("contact_create", ["channel", "contact_on", "note", "topic"]) in [
        (a, list(f)) for a, f in actions
    ]
    assert ("contacts", ["full"]) in [(a, list(f)) for a, f in actions]


def test_a_trial_brings_the_next_contact_forward(client, world: World):
    person = world.participant_a
    contact(client, person["id"], 1)
    job = matching_job(client, world.employer_a["id"])
    placement = place(client, person["id"], job["id"], override_reason="Test: the cadence only.")
    for state in ("proposed", "accepted_by_participant", "sent_to_employer"):
        move(client, placement["id"], state)
    start, end = TODAY + timedelta(days=10), TODAY + timedelta(days=24)
    move(
        client,
        placement["id"],
        "trial_scheduled",
        date=start.isoformat(),
        trial_end=end.isoformat(),
    )
    listed = client.get(f"/api/v1/participants/{person['id']}/contacts").json()
    assert (listed["next_contact_on"], listed["next_contact_reason"]) == (
        (start - timedelta(days=3)).isoformat(),
        "trial_start",
    )


def test_bad_contacts_are_refused_naming_the_field(client, world: World):
    pid = world.participant_a["id"]
    future = contact(client, pid, -1, expect=422)
    assert future["errors"] == [{"field": "contact_on", "message": "must not lie in the future"}]
    bad = contact(client, pid, 0, expect=422, channel="pigeon", note="x" * 501)
    assert {e["field"] for e in bad["errors"]} == {"channel", "note"}
    unknown = client.post(
        f"/api/v1/participants/{pid}/contacts",
        json={"contact_on": TODAY.isoformat(), "channel": "phone", "topic": "course", "mood": 1},
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "mood"


def test_the_overdue_list_per_site(client, engine):
    never = make_participant(client, site="grimma", expected_b1_date=None)
    lapsed = make_participant(client, site="grimma", expected_b1_date=None)
    fresh = make_participant(client, site="grimma", expected_b1_date=None)
    course = make_participant(
        client, site="grimma", expected_b1_date=(TODAY + timedelta(days=3)).isoformat()
    )
    elsewhere = make_participant(client, site="borna", expected_b1_date=None)
    for person, days in ((never, 60), (lapsed, 100), (fresh, 100), (course, 100), (elsewhere, 90)):
        created_days_ago(engine, person["id"], days)
    contact(client, lapsed["id"], 45)
    contact(client, fresh["id"], 5)
    contact(client, course["id"], 20)

    report = client.get("/api/v1/contacts/overdue", params={"site": "grimma"})
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["as_of"] == TODAY.isoformat() and body["site"] == "grimma"
    assert [
        (i["participant_id"], i["next_contact_reason"], i["days_overdue"], i["last_contact_on"])
        for i in body["items"]
    ] == [
        (never["id"], "intake", 18, None),
        (course["id"], "course_end", 4, (TODAY - timedelta(days=20)).isoformat()),
        (lapsed["id"], "cadence", 3, (TODAY - timedelta(days=45)).isoformat()),
    ]
    everyone = client.get("/api/v1/contacts/overdue").json()
    assert [i["participant_id"] for i in everyone["items"]] == [
        elsewhere["id"],  # 48 days overdue
        never["id"],
        course["id"],
        lapsed["id"],
    ]
    later = client.get(
        "/api/v1/contacts/overdue",
        params={"site": "grimma", "as_of": (TODAY + timedelta(days=40)).isoformat()},
    ).json()
    assert fresh["id"] in [i["participant_id"] for i in later["items"]]
    borna = bearer(make_key(client, "counsellor", site="borna"))
    own = client.get("/api/v1/contacts/overdue", headers=borna).json()
    assert own["site"] == "borna"
    assert [i["participant_id"] for i in own["items"]] == [elsewhere["id"]]
    refused = client.get("/api/v1/contacts/overdue", params={"site": "grimma"}, headers=borna)
    assert refused.status_code == 403
    assert refused.json()["errors"] == [{"field": "site", "message": "must be borna"}]


def test_notes_are_exported_erased_and_never_shown_outside_counselling(client, world: World):
    person = world.participant_a
    contact(client, person["id"], 3, note=NOTE)
    exported = client.get(f"/api/v1/participants/{person['id']}/export").json()
    rows = exported["related"]["contact"]
    assert [(r["note"], r["channel"], r["topic"]) for r in rows] == [(NOTE, "phone", "counselling")]
    outsiders = {role: world.headers(role) for role in ("employer_a", "partner", "analyst")}
    reads = (
        f"/api/v1/participants/{person['id']}",
        f"/api/v1/participants/{person['id']}/contacts",
        f"/api/v1/participants/{person['id']}/export",
        "/api/v1/participants",
        "/api/v1/contacts/overdue",
        f"/api/v1/vacancies/{world.vacancy_a['id']}/matches",
    )
    for role, headers in outsiders.items():
        for path in reads:
            answer = client.get(path, headers=headers)
            assert "Kita-Platz" not in answer.text, (role, path)
        denied = client.get(f"/api/v1/participants/{person['id']}/contacts", headers=headers)
        assert denied.status_code == 403, role
    erased = client.delete(f"/api/v1/participants/{person['id']}", params={"erase": "true"})
    assert erased.status_code == 204
    after = client.get(f"/api/v1/participants/{person['id']}/contacts").json()
    assert [(c["note"], c["channel"]) for c in after["items"]] == [(None, "phone")]
    assert "Kita-Platz" not in client.get(f"/api/v1/participants/{person['id']}/export").text
    archived = contact(client, person["id"], 0, expect=409)
    assert archived["errors"][0]["field"] == "participant_id"


def test_the_course_commitment_sets_the_course_end_contact(client, engine):
    """A week before the course in the person's week ends, whatever the expected B1 date."""
    course = {
        "kind": "course",
        "when": "Mo–Fr 08:30–12:45",
        "valid_until": (TODAY + timedelta(days=3)).isoformat(),
    }
    learner = make_participant(
        client,
        site="wurzen",
        expected_b1_date=(TODAY + timedelta(days=200)).isoformat(),
        availability={"shifts": ["day"], "commitments": [course]},
    )
    created_days_ago(engine, learner["id"], 30)
    contact(client, learner["id"], 20)
    report = client.get("/api/v1/contacts/overdue", params={"site": "wurzen"}).json()
    assert [
        (i["participant_id"], i["next_contact_reason"], i["days_overdue"]) for i in report["items"]
    ] == [(learner["id"], "course_end", 4)]
