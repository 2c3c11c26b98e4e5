"""Report routes: programme KPIs on a crafted district, small cells, site scope, fairness, charts."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from kai_match.cli import app as cli_app
from kai_match.config import get_settings
from kai_match.demo.service import seed_demo
from kai_match.models import Participant, Placement, PlacementTransition
from tests.builders import bearer, make_employer, make_key, matching_job, matching_person

SENT = ("proposed", "accepted_by_participant", "sent_to_employer")
TODAY = date.today()
# Entry day of the crafted district: the first of a month eight months back, so that a hire in
# that month can have its 3-month follow-up and the 6-month one is not yet due.
ENTRY = date(TODAY.year - (TODAY.month <= 8), (TODAY.month - 9) % 12 + 1, 1)
MONTH = ENTRY.strftime("%Y-%m")


def _move(client, placement_id: int, *states: str) -> None:
    for state in states:
        response = client.post(f"/api/v1/placements/{placement_id}/transitions", json={"to": state})
        assert response.status_code == 200, response.text


def _place(client, participant_id: int, vacancy_id: int, *states: str) -> int:
    created = client.post(
        "/api/v1/placements", json={"participant_id": participant_id, "vacancy_id": vacancy_id}
    )
    assert created.status_code == 201, created.text
    _move(client, created.json()["id"], *states)
    return created.json()["id"]


def _backdate(engine, participant_id: int, entered: date, **events: date) -> None:
    """Entry day and event days of the crafted history (the API records moves as today)."""
    with engine.begin() as connection:
        connection.execute(
            update(Participant)
            .where(Participant.id == participant_id)
            .values(created_at=datetime(entered.year, entered.month, entered.day, 9, tzinfo=UTC))
        )
        for state, day in events.items():
            connection.execute(
                update(PlacementTransition)
                .where(
                    PlacementTransition.participant_id == participant_id,
                    PlacementTransition.to_state == state,
                )
                .values(event_date=day)
            )
            if state == "hired":
                connection.execute(
                    update(Placement)
                    .where(Placement.participant_id == participant_id, Placement.state == "hired")
                    .values(hired_on=day)
                )


@pytest.fixture
def district(client, engine) -> dict[str, Any]:
    """Grimma: three people (B1 hired after a trial, A2 in a trial, B1 without skills)."""
    employer = make_employer(client)
    job_a, job_b = (matching_job(client, employer["id"], openings=2) for _ in range(2))
    hired = matching_person(client, german_level="B1")
    trial = matching_person(client, german_level="A2")
    no_skills = matching_person(client, german_level="B1", skills=[])
    states = (*SENT, "trial_scheduled", "trial_running")
    hire = _place(client, hired["id"], job_a["id"], *states, "completed", "hired")
    _place(client, trial["id"], job_b["id"], *states)
    _backdate(
        engine,
        hired["id"],
        ENTRY,
        trial_scheduled=ENTRY + timedelta(days=18),
        trial_running=ENTRY + timedelta(days=20),
        completed=ENTRY + timedelta(days=25),
        hired=ENTRY + timedelta(days=27),
    )
    _backdate(engine, trial["id"], ENTRY + timedelta(days=2), trial_running=ENTRY + timedelta(14))
    _backdate(engine, no_skills["id"], ENTRY + timedelta(days=3))
    checked = ENTRY + timedelta(days=27 + 95)
    follow_up = client.post(
        f"/api/v1/placements/{hire}/follow-ups",
        json={"month": 3, "still_employed": True, "checked_on": checked.isoformat()},
    )
    assert follow_up.status_code == 201, follow_up.text
    return {"people": [hired, trial, no_skills]}


def _rows(body: dict[str, Any], **match: str) -> list[dict[str, Any]]:
    return [r for r in body["rows"] if all(r[k] == v for k, v in match.items())]


def _one(body: dict[str, Any], **match: str) -> dict[str, Any]:
    (row,) = _rows(body, **match)
    return row


def test_exact_figures_for_admins(client, district) -> None:
    response = client.get("/api/v1/reports/programme", params={"from": ENTRY.isoformat()})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["from"] == ENTRY.isoformat() and body["to"] == TODAY.isoformat()
    assert body["min_cell"] == 1 and body["site"] is None
    total = _one(body, site="grimma", month=MONTH, german_level="all")
    assert total == {
        "site": "grimma",
        "month": MONTH,
        "german_level": "all",
        "active_participants": 3,
        "complete_profiles": 2,
        "first_trials": 2,
        "days_to_first_trial_median": 16.0,
        "days_to_first_trial_mean": 16.0,
        "trials_started": 2,
        "trials_completed": 1,
        "hires": 1,
        "follow_ups_3m": 1,
        "still_employed_3m": 1,
        "follow_ups_6m": 0,
        "still_employed_6m": 0,
    }
    b1 = _one(body, site="grimma", month=MONTH, german_level="B1")
    assert (b1["active_participants"], b1["complete_profiles"], b1["first_trials"]) == (2, 1, 1)
    assert b1["days_to_first_trial_median"] == 20.0 and b1["hires"] == 1
    a2 = _one(body, site="grimma", month=MONTH, german_level="A2")
    assert (a2["first_trials"], a2["days_to_first_trial_mean"], a2["hires"]) == (1, 12.0, 0)
    # Later months: the same three people are still in the programme, nothing else happens.
    later = [r for r in _rows(body, site="grimma", german_level="all") if r["month"] > MONTH]
    assert later and all(r["active_participants"] == 3 and r["trials_started"] == 0 for r in later)
    assert {r["german_level"] for r in body["rows"]} == {"all", "A2", "B1"}
    assert all(r["active_participants"] == 0 for r in _rows(body, site="borna"))


def test_analysts_see_small_cells_as_null(client, district) -> None:
    for _ in range(5):
        matching_person(client, site="wurzen")
    analyst = bearer(make_key(client, "analyst"))
    body = client.get(
        "/api/v1/reports/programme", params={"from": ENTRY.isoformat()}, headers=analyst
    ).json()
    assert body["min_cell"] == 5
    grimma = _one(body, site="grimma", month=MONTH, german_level="all")
    assert all(v is None for k, v in grimma.items() if k not in ("site", "month", "german_level"))
    wurzen = _one(body, site="wurzen", month=TODAY.strftime("%Y-%m"), german_level="all")
    assert wurzen["active_participants"] == 5 and wurzen["complete_profiles"] == 5
    assert wurzen["hires"] is None  # zero is below five as well


def test_counsellors_get_their_own_site_only(client, district) -> None:
    own = bearer(make_key(client, "counsellor", site="grimma"))
    other = bearer(make_key(client, "counsellor", site="borna"))
    params = {"from": ENTRY.isoformat()}
    mine = client.get("/api/v1/reports/programme", params=params, headers=own).json()
    assert mine["site"] == "grimma" and {r["site"] for r in mine["rows"]} == {"grimma"}
    assert _one(mine, month=MONTH, german_level="all")["hires"] == 1  # exact, not suppressed
    theirs = client.get("/api/v1/reports/programme", params=params, headers=other).json()
    assert {r["site"] for r in theirs["rows"]} == {"borna"}
    assert all(r["active_participants"] == 0 for r in theirs["rows"])
    refused = client.get(
        "/api/v1/reports/programme", params=params | {"site": "borna"}, headers=own
    )
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["field"] == "site"


def test_csv_on_accept(client, district) -> None:
    response = client.get(
        "/api/v1/reports/programme",
        params={"from": ENTRY.isoformat(), "site": "grimma"},
        headers={"Accept": "text/csv"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(
        client.get(
            "/api/v1/reports/programme", params={"from": ENTRY.isoformat(), "site": "grimma"}
        ).json()["rows"]
    )
    total = next(r for r in rows if r["month"] == MONTH and r["german_level"] == "all")
    assert total["hires"] == "1" and total["days_to_first_trial_median"] == "16.0"


def test_window_is_validated(client) -> None:
    response = client.get(
        "/api/v1/reports/programme", params={"from": "2026-05-01", "to": "2026-04-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "from"
    default = client.get("/api/v1/reports/programme").json()
    assert len({r["month"] for r in default["rows"]}) == 12


def test_fairness_by_site_and_age_band(client) -> None:
    employer = make_employer(client)
    for _ in range(3):
        matching_job(client, employer["id"], openings=3)
    for _ in range(6):
        matching_person(client, site="grimma", birth_date="1994-03-12")
    for _ in range(2):
        matching_person(client, site="borna", birth_date="1975-07-01")
    analyst = bearer(make_key(client, "analyst"))
    response = client.get("/api/v1/reports/fairness", params={"k": 5}, headers=analyst)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["weight_profile"]["name"] == "default" and body["k"] == 5
    assert (body["participants"], body["vacancies"]) == (8, 3)
    assert {m["attribute"] for m in body["missing_attributes"]} == {"gender", "nationality"}
    groups = {(g["attribute"], g["group"]): g for g in body["groups"]}
    assert groups[("site", "borna")]["suppressed"] and groups[("site", "borna")]["people"] is None
    grimma = groups[("site", "grimma")]
    # Borna's 2 would be 8 − 6: grimma's counts go as its complement, its rates stay.
    assert not grimma["suppressed"] and grimma["people"] is None and grimma["candidates"] is None
    assert grimma["ratio_to_best"] == 1.0 and not grimma["flagged"]
    assert 0 < grimma["selection_rate"] <= 1 and grimma["exposure"] > 0
    assert groups[("age_band", "45–54")]["suppressed"]
    young = groups[("age_band", "25–34")]
    assert young["people"] is None and young["ratio_to_best"] == 1.0
    assert "1994" not in response.text and "1975" not in response.text


def test_fairness_of_an_unknown_profile_is_a_field_error(client) -> None:
    response = client.get("/api/v1/reports/fairness", params={"profile": "nope"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "profile"


def test_report_command_writes_charts(client, engine, settings, tmp_path, monkeypatch) -> None:
    """A demo district plus a few placements from its rankings, then `kai-match report`."""
    seed_demo(engine, participants=40, vacancies=24, seed=3, history=False)
    placed = 0
    for vacancy in client.get("/api/v1/vacancies", params={"limit": 24}).json()["items"]:
        ranking = client.get(f"/api/v1/vacancies/{vacancy['id']}/matches", params={"limit": 1})
        for item in ranking.json()["items"]:
            pid = _place(client, item["participant_id"], vacancy["id"], *SENT, "trial_scheduled")
            _move(client, pid, "trial_running", "completed", "hired")
            placed += 1
        if placed == 3:
            break
    assert placed, "the demo district should have eligible pairs"
    monkeypatch.setenv("KAI_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            cli_app,
            [
                "report",
                "--png",
                str(tmp_path / "png"),
                "--csv",
                str(tmp_path / "kpi.csv"),
                "--pdf",
                str(tmp_path / "funders.pdf"),
                "--lang",
                "EN",
            ],
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert f"hires: {placed}" in result.output
    assert "hires_per_trial: 1.000" in result.output  # every decided trial was a hire
    assert (tmp_path / "funders.pdf").read_bytes().startswith(b"%PDF-")
    for name in ("hires_trials.png", "days_to_first_trial.png", "rates.png"):
        data = (tmp_path / "png" / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 1000
    assert (tmp_path / "kpi.csv").read_text().startswith("site,month,german_level")
