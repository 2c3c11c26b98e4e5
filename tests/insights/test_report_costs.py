"""Reports and analyses: size bounds per role, and the cost each pays to the caller's budget."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from kai_match.insights.fairness import ranked_pairs
from kai_match.main import create_app
from tests.builders import bearer, make_employer, make_key, matching_job, matching_person
from tests.conftest import ADMIN_KEY

UNKNOWN = list(range(900_001, 900_601))


def test_fairness_k_is_bounded_per_role(client) -> None:
    analyst = bearer(make_key(client, "analyst"))
    refused = client.get("/api/v1/reports/fairness", params={"k": 51}, headers=analyst)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"] == [
        {"field": "k", "message": "at most 50 for the role 'analyst'"}
    ]
    analysts = client.get("/api/v1/reports/fairness", params={"k": 50}, headers=analyst)
    assert analysts.status_code == 200 and analysts.json()["k"] == 50
    admins = client.get("/api/v1/reports/fairness", params={"k": 100})
    assert admins.status_code == 200 and admins.json()["k"] == 100


def test_assignment_sizes_are_bounded_for_counsellors(client) -> None:
    counsellor = bearer(make_key(client, "counsellor", site="grimma"))
    body = {"participant_ids": UNKNOWN[:201], "vacancy_ids": UNKNOWN[:501]}
    refused = client.post("/api/v1/assignments", json=body, headers=counsellor)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"] == [
        {"field": "participant_ids", "message": "at most 200 for the role 'counsellor'"},
        {"field": "vacancy_ids", "message": "at most 500 for the role 'counsellor'"},
    ]
    at_bound = {"participant_ids": UNKNOWN[:200], "vacancy_ids": UNKNOWN[:500]}
    assert client.post("/api/v1/assignments", json=at_bound, headers=counsellor).status_code == 404
    admins = {"participant_ids": UNKNOWN, "vacancy_ids": UNKNOWN}
    assert client.post("/api/v1/assignments", json=admins).status_code == 404


def test_reports_and_analyses_share_the_callers_budget(settings) -> None:
    app = create_app(settings.model_copy(update={"cost_budget_per_minute": 40}))
    with TestClient(
        app, raise_server_exceptions=False, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    ) as c:
        analyst = bearer(make_key(c, "analyst"))
        other = bearer(make_key(c, "analyst"))
        evaluation = c.post("/api/v1/evaluations", json={"resamples": 1000}, headers=analyst)
        assert evaluation.status_code == 200, evaluation.text  # 30 + 1000 // 500 = 32 units
        programme = c.get("/api/v1/reports/programme", headers=analyst)
        assert programme.status_code == 429, programme.text
        assert "this programme report costs 10, 8 are left" in programme.json()["detail"]
        fit = c.post("/api/v1/weight-profiles/fit", json={}, headers=analyst)
        assert fit.status_code == 429  # 200 units, charged as the whole budget
        assert "this weight fit costs 40, 8 are left" in fit.json()["detail"]
        # A body the schema refuses is not charged: 422, and the budget is as it was.
        invalid = c.post("/api/v1/evaluations", json={"resamples": 1}, headers=analyst)
        assert invalid.status_code == 422
        assert c.get("/api/v1/reports/programme", headers=other).status_code == 200
        assert c.get("/api/v1/reports/fairness", headers=analyst).status_code == 200  # 1 unit


def test_the_fairness_cost_counts_the_pairs_the_report_ranks(client, engine) -> None:
    employer = make_employer(client)
    for _ in range(3):
        matching_job(client, employer["id"])
    for _ in range(4):
        matching_person(client)
    matching_person(client, consent={"processing": False, "share_with_employers": False})
    report = client.get("/api/v1/reports/fairness")
    assert report.status_code == 200, report.text
    with Session(engine) as session:
        pairs = ranked_pairs(session=session)
    assert pairs == report.json()["participants"] * report.json()["vacancies"] == 4 * 3
