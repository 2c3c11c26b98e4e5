"""Hostile and odd input: each answers a 4xx problem naming the field (never a 500) and
writes nothing, or is stored and returned verbatim, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from tests.builders import make_employer, make_participant, participant_body, vacancy_body

PROBLEM = "application/problem+json"


def _count(engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


def _assert_problem(response, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    if field is not None:
        fields = [e["field"] for e in body["errors"]]
        assert any(f == field or f.startswith((field + ".", field + "[")) for f in fields), body
    return body


def test_oversized_body_is_413_and_writes_nothing(client, engine):
    big = participant_body(first_name="x" * 1_100_000)
    response = client.post("/api/v1/participants", json=big)
    _assert_problem(response, 413, "body")
    assert _count(engine, "participant") == 0


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deeply_nested_json_is_a_4xx_problem(client, engine, opener):
    closer = "]" if opener == "[" else "}"
    body = opener * 10_000 + "1" + closer * 10_000
    for path in ("/api/v1/participants", "/api/v1/matches/batch"):
        response = client.post(
            path,
            content=body,
            headers={"Content-Type": "application/json", "Idempotency-Key": f"deep-{path}"},
        )
        assert 400 <= response.status_code < 500, response.text
        assert response.headers["content-type"] == PROBLEM
    assert _count(engine, "participant") == 0


def _schema_of(client, name: str) -> dict[str, Any]:
    return client.get("/openapi.json").json()["components"]["schemas"][name]


def _resolve(client, schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return _schema_of(client, schema["$ref"].rsplit("/", 1)[1])
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    return _resolve(client, options[0]) if options else schema


def _wrong_value(client, field_schema: dict[str, Any]) -> Any:
    """A value of a JSON type the field does not take (an object, or a list where one is due)."""
    return [["nested"]] if _resolve(client, field_schema).get("type") == "object" else {"x": 1}


@pytest.mark.parametrize(
    ("schema_name", "path", "builder"),
    [
        ("ParticipantCreate", "/api/v1/participants", participant_body),
        ("VacancyCreate", "/api/v1/vacancies", vacancy_body),
    ],
)
def test_wrong_type_in_every_field(client, engine, schema_name, path, builder):
    employer = make_employer(client)
    properties = _schema_of(client, schema_name)["properties"]
    assert len(properties) >= 10  # the sweep really covers the body
    before = _count(engine, "participant"), _count(engine, "vacancy")
    for name, field_schema in properties.items():
        body = builder()
        if schema_name == "VacancyCreate":
            body["employer_id"] = employer["id"]
        body[name] = _wrong_value(client, field_schema)
        response = client.post(path, json=body)
        _assert_problem(response, 422, name)
    assert (_count(engine, "participant"), _count(engine, "vacancy")) == before


UNICODE_NAMES = [
    ("Amina 🌍👩🏽‍🔧", "Haddad"),  # emoji with skin tone and ZWJ sequence
    ("أمينة", "حداد"),  # right-to-left Arabic
    ("Zoe\u0308", "Nguye\u0302\u0303n"),  # combining characters (not normalised by us)
    ("\u202eevil", "Li"),  # RTL override: stored, never interpreted
]


@pytest.mark.parametrize(("first", "last"), UNICODE_NAMES)
def test_unicode_names_round_trip_verbatim(client, first, last):
    created = make_participant(client, first_name=first, last_name=last)
    fetched = client.get(f"/api/v1/participants/{created['id']}").json()
    assert (fetched["first_name"], fetched["last_name"]) == (first, last)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/participants", participant_body(first_name="Am\u0000ina"), "first_name"),
        (
            "/api/v1/participants",
            participant_body(skills=[{"name": "Kommis\u0000sionieren", "level": 2}]),
            "skills[0].name",
        ),
        ("/api/v1/employers", {"name": "Logistik\u0000", "postal_code": "04552"}, "name"),
    ],
)
def test_nul_byte_is_422_naming_the_field(client, engine, path, body, field):
    _assert_problem(client.post(path, json=body), 422, field)
    assert _count(engine, "participant") == 0
    assert _count(engine, "employer") == 0


def test_nul_byte_in_vacancy_title_is_422(client, engine):
    employer = make_employer(client)
    body = vacancy_body(employer_id=employer["id"], title="Lager\u0000helfer")
    _assert_problem(client.post("/api/v1/vacancies", json=body), 422, "title")
    assert _count(engine, "vacancy") == 0


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/employers?name=Logistik%00", "name"),
        ("/api/v1/vacancies?postal_code=0455%002", "postal_code"),
        ("/api/v1/weight-profiles?name=%00", "name"),
        ("/api/v1/audit?public_id=P-%00", "public_id"),
        ("/api/v1/taxonomy/skills?q=Stapler%00", "q"),
        ("/api/v1/participants/1/matches?profile=default%00", "profile"),
        ("/api/v1/employers?limit=5&name=a&na%00me=b", "name"),
        ("/api/v1/employers/%00", "path"),
    ],
)
def test_nul_byte_in_the_url_is_422_naming_the_parameter(client, url, field):
    """Query strings and paths never carry a NUL to the database (PostgreSQL would refuse it)."""
    body = _assert_problem(client.get(url), 422, field)
    assert body["errors"][0]["message"] == "must not contain the NUL character (U+0000)"


def test_percent_zero_without_nul_passes(client):
    make_employer(client, name="Lager %00 Nord")
    response = client.get("/api/v1/employers", params={"name": "Lager %00"})
    assert response.status_code == 200, response.text
    assert [e["name"] for e in response.json()["items"]] == ["Lager %00 Nord"]


def test_huge_limit_is_422_naming_the_maximum(client):
    """One rule for every list (docs/partners.md): above the maximum is a 422, never capped."""
    maximum = client.app.state.settings.page_limit_max
    for limit in (maximum + 1, 1_000_000, 10**12):
        response = client.get("/api/v1/participants", params={"limit": limit})
        _assert_problem(response, 422, "limit")
        assert response.json()["errors"] == [
            {"field": "limit", "message": f"must be at most {maximum}"}
        ]
    at_max = client.get("/api/v1/participants", params={"limit": maximum})
    assert at_max.status_code == 200, at_max.text


@pytest.mark.parametrize("limit", [0, -1, -(10**12)])
def test_zero_and_negative_limit_are_422(client, limit):
    _assert_problem(client.get("/api/v1/vacancies", params={"limit": limit}), 422, "limit")


@pytest.mark.parametrize(
    ("field", "value"),
    [("openings", 0), ("openings", -3), ("hours_per_week", 0), ("german_tolerance", -1)],
)
def test_zero_and_negative_numbers_in_a_vacancy_are_422(client, engine, field, value):
    employer = make_employer(client)
    body = vacancy_body(employer_id=employer["id"], **{field: value})
    _assert_problem(client.post("/api/v1/vacancies", json=body), 422, field)
    assert _count(engine, "vacancy") == 0


@pytest.mark.parametrize("path", ["/api/v1/participants/0", "/api/v1/participants/-1"])
def test_zero_and_negative_ids_are_4xx(client, path):
    response = client.get(path)
    assert response.status_code in (404, 422), response.text
    assert response.headers["content-type"] == PROBLEM


SQL = "Robert'); DROP TABLE participant;--"
HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_sql_and_html_are_stored_and_returned_verbatim(client, engine):
    created = make_participant(client, first_name=SQL, last_name=HTML)
    response = client.get(f"/api/v1/participants/{created['id']}")
    assert response.headers["content-type"].startswith("application/json")
    fetched = response.json()
    assert (fetched["first_name"], fetched["last_name"]) == (SQL, HTML)
    assert _count(engine, "participant") == 1  # the table is still there
    employer = make_employer(client, name=HTML)
    assert client.get(f"/api/v1/employers/{employer['id']}").json()["name"] == HTML
    listed = client.get("/api/v1/participants", params={"site": "grimma"}).json()["items"]
    assert [p["first_name"] for p in listed] == [SQL]
