"""Caps on open proposals (issue 16, item 2): per opening and per firm, the ranking flag, the
report of unanswered proposals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update

from kai_match.main import create_app
from kai_match.models import Placement
from tests.builders import bearer, make_employer, make_key, matching_job, matching_person
from tests.conftest import ADMIN_KEY
from tests.placements.test_placements import move, place

TODAY = date.today()
ACCEPTED = ("proposed", "accepted_by_participant")


def accepted(client, vacancy_id: int, **person: Any) -> dict[str, Any]:
    """A placement one step before the firm gets it."""
    placement = place(client, matching_person(client, **person)["id"], vacancy_id)
    for state in ACCEPTED:
        move(client, placement["id"], state)
    return placement


def send(client, placement_id: int, expect: int = 200) -> dict[str, Any]:
    return move(client, placement_id, "sent_to_employer", expect=expect)


def test_a_fourth_open_proposal_for_one_opening_is_refused(client):
    job = matching_job(client, make_employer(client)["id"], openings=1)
    placements = [accepted(client, job["id"]) for _ in range(4)]
    for p in placements[:3]:
        assert send(client, p["id"])["state"] == "sent_to_employer"
    refused = send(client, placements[3]["id"], expect=409)
    assert refused["detail"] == (
        f"Vacancy {job['id']} has 3 open proposals for 1 opening (cap 3 per opening); wait for "
        "the firm's answers or withdraw one."
    )
    assert refused["errors"] == [
        {"field": "vacancy_id", "message": "has 3 open proposals, cap 3 (3 per opening)"}
    ]
    still = client.get(f"/api/v1/placements/{placements[3]['id']}").json()
    assert still["state"] == "accepted_by_participant" and still["sent_on"] is None
    # An answer frees a place: the firm declined one, the fourth may go.
    move(client, placements[0]["id"], "not_hired", reason_code="employer_declined")
    assert send(client, placements[3]["id"])["state"] == "sent_to_employer"
    # A trial is an answer too; the cap counts unanswered proposals only.
    move(client, placements[1]["id"], "trial_scheduled")
    fifth = accepted(client, job["id"])
    assert send(client, fifth["id"])["state"] == "sent_to_employer"
    sixth = accepted(client, job["id"])
    assert send(client, sixth["id"], expect=409)["errors"][0]["field"] == "vacancy_id"


def test_the_cap_grows_with_the_openings_and_follows_the_settings(settings):
    app = create_app(settings.model_copy(update={"proposals_per_opening": 1}))
    with TestClient(app, headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as client:
        job = matching_job(client, make_employer(client)["id"], openings=2)
        first, second, third = (accepted(client, job["id"]) for _ in range(3))
        send(client, first["id"])
        send(client, second["id"])
        refused = send(client, third["id"], expect=409)
        assert refused["detail"].startswith(
            f"Vacancy {job['id']} has 2 open proposals for 2 openings (cap 1 per opening)"
        )


def test_a_firm_gets_at_most_ten_open_proposals_over_its_vacancies(client):
    employer = make_employer(client)
    jobs = [matching_job(client, employer["id"], openings=1) for _ in range(4)]
    placements = [accepted(client, jobs[i // 3]["id"]) for i in range(11)]
    for p in placements[:10]:
        send(client, p["id"])
    refused = send(client, placements[10]["id"], expect=409)
    assert refused["detail"] == (
        f"Employer {employer['id']} has 10 open proposals (cap 10 per employer); wait for the "
        "firm's answers or withdraw one."
    )
    assert refused["errors"] == [
        {"field": "employer_id", "message": "has 10 open proposals, cap 10 per employer"}
    ]
    other_firm = matching_job(client, make_employer(client)["id"])
    assert send(client, accepted(client, other_firm["id"])["id"])["state"] == "sent_to_employer"
    move(client, placements[9]["id"], "withdrawn", reason_code="participant_declined")
    assert send(client, placements[10]["id"])["state"] == "sent_to_employer"


def test_rankings_flag_a_vacancy_at_its_cap_for_counsellors(client):
    employer = make_employer(client)
    crowded = matching_job(client, employer["id"], openings=1, title="Lager voll")
    quiet = matching_job(client, employer["id"], openings=1, title="Lager frei")
    for _ in range(2):
        send(client, accepted(client, crowded["id"])["id"])
    send(client, accepted(client, quiet["id"])["id"])
    seeker = matching_person(client)
    full = {"code": "proposals_open", "reason": "bereits 3 offene Vorschläge"}

    def items(path: str, headers=None, **params) -> list[tuple[int, list[dict[str, str]]]]:
        response = client.get(path, params=params, headers=headers or {})
        assert response.status_code == 200, response.text
        return [(i["vacancy_id"], i["flags"]) for i in response.json()["items"]]

    seekers = f"/api/v1/participants/{seeker['id']}/matches"
    assert [v for v, fs in items(seekers) if full in fs] == []  # 2 open of 3
    send(client, accepted(client, crowded["id"])["id"])
    listed = items(seekers)
    assert {quiet["id"], crowded["id"]} <= {v for v, _ in listed}
    assert [v for v, fs in listed if any(f["code"] == "proposals_open" for f in fs)] == [
        crowded["id"]
    ]
    assert full in dict(listed)[crowded["id"]]
    english = dict(items(seekers, lang="en"))[crowded["id"]]
    assert {"code": "proposals_open", "reason": "already 3 open proposals"} in english
    counsellor = bearer(make_key(client, "counsellor", site="grimma"))
    candidates = items(f"/api/v1/vacancies/{crowded['id']}/matches", headers=counsellor)
    assert len(candidates) == 5 and all(full in fs for _, fs in candidates)
    # Partners are not shown the count (nor is the firm, which knows its own proposals).
    partner = bearer(make_key(client, "partner"))
    employer_key = bearer(make_key(client, "employer", employer_id=employer["id"]))
    for headers in (partner, employer_key):
        seen = items(f"/api/v1/vacancies/{crowded['id']}/matches", headers=headers)
        assert not any(f["code"] == "proposals_open" for _, fs in seen for f in fs)
    assert len(items(f"/api/v1/vacancies/{crowded['id']}/matches", headers=partner)) == 5


def test_the_report_lists_unanswered_proposals_oldest_first(client, engine):
    late_firm = make_employer(client, name="Spät GmbH")
    early_firm = make_employer(client, name="Früh GmbH")
    late_job = matching_job(client, late_firm["id"], openings=1, title="Kommissionierer")
    early_job = matching_job(client, early_firm["id"], openings=2, title="Lagerhelfer")
    a = accepted(client, late_job["id"])
    b = accepted(client, early_job["id"])
    c = accepted(client, early_job["id"], site="borna")
    answered = accepted(client, late_job["id"])
    for p in (a, b, c, answered):
        send(client, p["id"])
    move(client, answered["id"], "trial_scheduled")
    sent_on = {a["id"]: 3, b["id"]: 12, c["id"]: 5}
    with engine.begin() as connection:
        for placement_id, days in sent_on.items():
            connection.execute(
                update(Placement)
                .where(Placement.id == placement_id)
                .values(sent_on=TODAY - timedelta(days=days))
            )

    report = client.get("/api/v1/reports/proposals")
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["as_of"] == TODAY.isoformat() and body["site"] is None
    summary = [
        (
            e["employer_name"],
            e["open_proposals"],
            e["cap"],
            e["days_waiting"],
            [
                (
                    v["title"],
                    v["open_proposals"],
                    v["cap"],
                    v["days_waiting"],
                    [(p["placement_id"], p["site"], p["days_waiting"]) for p in v["proposals"]],
                )
                for v in e["vacancies"]
            ],
        )
        for e in body["employers"]
    ]
    assert summary == [
        ("Früh GmbH", 2, 10, 12,
         [("Lagerhelfer", 2, 6, 12, [(b["id"], "grimma", 12), (c["id"], "borna", 5)])]),
        ("Spät GmbH", 1, 10, 3, [("Kommissionierer", 1, 3, 3, [(a["id"], "grimma", 3)])]),
    ]  # fmt: skip
    first = body["employers"][0]["vacancies"][0]
    assert first["oldest_sent_on"] == (TODAY - timedelta(days=12)).isoformat()

    borna = bearer(make_key(client, "counsellor", site="borna"))
    own = client.get("/api/v1/reports/proposals", headers=borna).json()
    assert own["site"] == "borna"
    assert [(e["employer_name"], e["open_proposals"]) for e in own["employers"]] == [
        ("Früh GmbH", 2)  # counted over every site, listed for borna only
    ]
    assert [p["placement_id"] for p in own["employers"][0]["vacancies"][0]["proposals"]] == [
        c["id"]
    ]
    other = client.get("/api/v1/reports/proposals", params={"site": "grimma"}, headers=borna)
    assert other.status_code == 403
    assert other.json()["errors"] == [{"field": "site", "message": "must be borna"}]
    admin_borna = client.get("/api/v1/reports/proposals", params={"site": "borna"}).json()
    assert admin_borna["employers"] == own["employers"]
    bad = client.get("/api/v1/reports/proposals", params={"site": "atlantis"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "site"
