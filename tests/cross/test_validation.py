"""Every validation rule answers 422 problem+json naming the field, and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.builders import make_employer, make_participant, participant_body, vacancy_body


def _count(engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


def _assert_problem(response, status: int, field: str, message_part: str = "") -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/problems/")  # resolves to the catalogue (docs/partners.md)
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert field in fields, body
    assert message_part in fields[field], fields[field]


PARTICIPANT_CASES = [
    ({"german_level": "B3"}, "german_level", "must be one of A1, A2, B1, B2, C1, C2"),
    ({"home_postal_code": "ABCDE"}, "home_postal_code", "5 digits"),
    ({"home_postal_code": "00000"}, "home_postal_code", "not a known German postal code"),
    ({"birth_date": "1990-02-31"}, "birth_date", "real calendar date"),
    ({"birth_date": "2090-01-01"}, "birth_date", "past"),
    ({"skills": [{"name": "", "level": 2}]}, "skills[0].name", "must not be empty"),
    ({"skills": [{"name": "Kommissionieren", "level": 5}]}, "skills[0].level", "4"),
    ({"skills": [{"level": 2}]}, "skills[0]", "name or skill_id"),
    ({"skills": [{"skill_id": "http://example.org/nope"}]}, "skills[0].skill_id", "not a known"),
    ({"other_languages": [{"code": "xx", "level": "B1"}]}, "other_languages[0].code", "ISO 639-1"),
    ({"mobility": {"max_commute_minutes": 241}}, "mobility.max_commute_minutes", "240"),
    ({"mobility": {"max_commute_minutes": 0}}, "mobility.max_commute_minutes", "1"),
    ({"availability": {"hours_per_week": 61}}, "availability.hours_per_week", "60"),
    ({"availability": {"shifts": ["evening"]}}, "availability.shifts[0]", "must be one of"),
    ({"work_permit": {"status": "maybe"}}, "work_permit.status", "must be one of"),
    ({"site": "leipzig"}, "site", "must be one of borna, grimma, markkleeberg, wurzen"),
    ({"first_name": "x" * 201}, "first_name", "200"),
    ({"nationality_guess": "x"}, "nationality_guess", "is not a known field"),
    (
        {"consent": {"processing": False, "share_with_employers": True}},
        "consent.share_with_employers",
        "requires consent to processing",
    ),
]


@pytest.mark.parametrize(("overrides", "field", "message"), PARTICIPANT_CASES)
def test_participant_rule(client, engine, overrides, field, message):
    response = client.post("/api/v1/participants", json=participant_body(**overrides))
    _assert_problem(response, 422, field, message)
    assert _count(engine, "participant") == 0
    assert _count(engine, "participant_personal") == 0
    assert _count(engine, "participant_skill") == 0


def test_missing_required_fields_are_all_named(client):
    response = client.post("/api/v1/participants", json={"site": "borna"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"first_name", "last_name", "birth_date", "german_level", "home_postal_code"}
    assert all(e["message"] == "is required" for e in response.json()["errors"])


def test_malformed_json_is_400_problem(client, engine):
    response = client.post(
        "/api/v1/participants",
        content=b'{"site": "borna",',
        headers={"Content-Type": "application/json"},
    )
    _assert_problem(response, 400, "body", "not valid JSON")
    assert _count(engine, "participant") == 0


def test_rejected_update_writes_nothing(client, engine):
    body = make_participant(client)
    response = client.patch(
        f"/api/v1/participants/{body['id']}",
        json={"german_level": "B1", "home_postal_code": "00000", "skills": []},
    )
    _assert_problem(response, 422, "home_postal_code")
    after = client.get(f"/api/v1/participants/{body['id']}").json()
    assert after["german_level"] == "A2"
    assert len(after["skills"]) == 1
    assert _count(engine, "change_log") == 1


def test_null_for_required_field_in_patch(client):
    body = make_participant(client)
    response = client.patch(f"/api/v1/participants/{body['id']}", json={"german_level": None})
    _assert_problem(response, 422, "german_level", "must not be null")


VACANCY_CASES = [
    ({"type": "minijob"}, "type", "must be one of work_trial, internship, job"),
    ({"openings": 0}, "openings", "1"),
    ({"hours_per_week": 0}, "hours_per_week", "1"),
    ({"start_date": "2027-03-01", "end_date": "2027-02-01"}, "end_date", "before start_date"),
    ({"valid_through": "2027-13-01"}, "valid_through", "real calendar date"),
    ({"min_german_level": "b1"}, "min_german_level", "must be one of"),
    ({"german_tolerance": -1}, "german_tolerance", "0"),
    ({"postal_code": "1234"}, "postal_code", "5 digits"),
    ({"shifts": ["day", "lunch"]}, "shifts[1]", "must be one of"),
    ({"employer_id": 9999}, "employer_id", "does not exist"),
    (
        {"skills": [{"name": "Kommissionieren", "importance": "essential"}]},
        "skills[0].importance",
        "must be one of must, should, nice",
    ),
    ({"driving_licence_required": "Z"}, "driving_licence_required", "must be one of"),
    ({"title": "   "}, "title", "must not be empty"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), VACANCY_CASES)
def test_vacancy_rule(client, engine, overrides, field, message):
    employer = make_employer(client)
    overrides.setdefault("employer_id", employer["id"])
    response = client.post("/api/v1/vacancies", json=vacancy_body(**overrides))
    _assert_problem(response, 422, field, message)
    assert _count(engine, "vacancy") == 0
    assert _count(engine, "vacancy_skill") == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"postal_code": "99999x"}, "postal_code"),
        ({"sector": "52.10"}, "sector"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"support": ["money"]}, "support[0]"),
    ],
)
def test_employer_rule(client, engine, overrides, field):
    response = client.post(
        "/api/v1/employers", json={"name": "X GmbH", "postal_code": "04552"} | overrides
    )
    _assert_problem(response, 422, field)
    assert _count(engine, "employer") == 0


def test_limit_is_bounded_and_cursor_checked(client):
    _assert_problem(client.get("/api/v1/participants", params={"limit": 10**9}), 422, "limit")
    _assert_problem(client.get("/api/v1/participants", params={"limit": 0}), 422, "limit")
    _assert_problem(client.get("/api/v1/participants", params={"cursor": "bm9wZQ"}), 422, "cursor")
