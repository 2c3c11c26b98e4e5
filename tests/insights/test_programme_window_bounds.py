"""The programme report's window at the edges of the calendar (found by schemathesis).

``to=0001-01-01`` and ``from=9999-12-01`` were a 500: the default start (eleven months before
``to``) and the month after ``to`` fall outside Python's dates. ``from`` and ``to`` are
plausible dates now (1900–2100), declared as such in the OpenAPI document.
"""

from __future__ import annotations

import pytest

from kai_match.models.common import PLAUSIBLE_DATE_PATTERN

URL = "/api/v1/reports/programme"


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"to": "0001-01-01"}, ["to"]),
        ({"from": "9999-12-01", "to": "9999-12-31"}, ["from", "to"]),
        ({"from": "1899-12-31"}, ["from"]),
        ({"to": "2101-01-01"}, ["to"]),
    ],
)
def test_dates_outside_the_plausible_years_are_a_422(client, params, fields) -> None:
    response = client.get(URL, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == fields
    assert {e["message"] for e in errors} == {"must be a date between 1900 and 2100"}


def test_the_edges_of_the_plausible_years_are_answered(client) -> None:
    first = client.get(URL, params={"to": "1900-01-31"})
    assert first.status_code == 200, first.text
    assert first.json()["from"] == "1899-02-01"  # the default: twelve months up to `to`
    last = client.get(URL, params={"from": "2100-12-01", "to": "2100-12-31"})
    assert last.status_code == 200, last.text
    assert {row["month"] for row in last.json()["rows"]} == {"2100-12"}


def test_the_window_is_declared_in_the_schema(client) -> None:
    parameters = client.app.openapi()["paths"][URL]["get"]["parameters"]
    by_name = {p["name"]: p for p in parameters}
    for name in ("from", "to"):
        (declared,) = [s for s in by_name[name]["schema"]["anyOf"] if s.get("type") == "string"]
        assert declared["pattern"] == PLAUSIBLE_DATE_PATTERN
    assert "at most 60 calendar months" in by_name["from"]["description"]
