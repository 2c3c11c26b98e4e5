"""Follow-ups in the console: whom to call, and recording the answer through the service."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session

from kai_match.models import Placement
from tests.builders import make_employer, matching_job, matching_person
from tests.conftest import ADMIN_KEY
from tests.console.conftest import csrf_of


def _hired_long_ago(console, days: int = 100) -> tuple[TestClient, int]:
    api = TestClient(console.app, headers={"Authorization": f"Bearer {ADMIN_KEY}"})
    job = matching_job(api, make_employer(api)["id"])
    person = matching_person(api, first_name="Rana", last_name="Haddad")
    created = api.post(
        "/api/v1/placements", json={"participant_id": person["id"], "vacancy_id": job["id"]}
    )
    placement = created.json()["id"]
    for state in ("proposed", "accepted_by_participant", "sent_to_employer", "hired"):
        moved = api.post(f"/api/v1/placements/{placement}/transitions", json={"to": state})
        assert moved.status_code == 200, moved.text
    with Session(console.app.state.engine) as session, session.begin():
        session.exec(
            update(Placement)
            .where(Placement.id == placement)
            .values(hired_on=date.today() - timedelta(days=days))
        )
    return api, placement


def test_a_due_check_is_listed_and_recorded(console, sign_in) -> None:
    api, placement = _hired_long_ago(console)
    client = sign_in("anna")
    page = client.get("/console/follow-ups")
    assert page.status_code == 200 and "Haddad, Rana" in page.text
    assert "die Nachfrage nach 3 Monaten" in page.text
    recorded = client.post(
        f"/console/placements/{placement}/follow-ups",
        data={"month": 3, "still_employed": "yes", "csrftoken": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert recorded.status_code == 303
    assert "Keine Nachfrage ist fällig." in client.get("/console/follow-ups").text
    checks = api.get(f"/api/v1/placements/{placement}").json()["follow_ups"]
    assert [(c["month"], c["still_employed"]) for c in checks] == [(3, True)]


def test_a_check_before_its_month_is_refused_in_words(console, sign_in) -> None:
    _, placement = _hired_long_ago(console, days=30)
    client = sign_in("anna")
    page = client.get("/console/follow-ups")
    assert "Keine Nachfrage ist fällig." in page.text
    early = client.post(
        f"/console/placements/{placement}/follow-ups",
        data={"month": 3, "still_employed": "no", "csrftoken": csrf_of(page.text)},
    )
    assert early.status_code == 422 and "must not lie before" in early.text


def test_another_sites_hire_is_not_listed_nor_recordable(console, sign_in) -> None:
    _, placement = _hired_long_ago(console)
    client = sign_in("ben")  # Borna
    page = client.get("/console/follow-ups")
    assert "Haddad" not in page.text
    refused = client.post(
        f"/console/placements/{placement}/follow-ups",
        data={"month": 3, "still_employed": "yes", "csrftoken": csrf_of(page.text)},
    )
    assert refused.status_code == 404
