"""One rule for parameters (issue 19, item 7): unknown query parameters are a 422 naming them on
every ``/api/v1`` operation, and a ``limit`` above its maximum is a 422 naming ``limit`` and the
maximum on every list and ranking — never silently capped."""

from __future__ import annotations

import pytest

from kai_match.api.query_params import RULE
from tests.builders import make_employer

PROBLEM = "application/problem+json"


def _operations(client):
    document = client.app.openapi()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if path.startswith("/api/v1/"):
                yield method, path, operation


def _url(path: str) -> str:
    """Every path id is 1: the unknown parameter is refused before anything is loaded."""
    parts = [("1" if p.startswith("{") else p) for p in path.split("/")]
    return "/".join(parts)


def test_every_operation_refuses_an_unknown_query_parameter(client):
    before = client.get("/api/v1/employers").json()["items"]
    checked = 0
    for method, path, _ in _operations(client):
        response = client.request(method, _url(path), params={"definitely_not": "x"})
        assert response.status_code == 422, (method, path, response.text)
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["errors"] == [{"field": "definitely_not", "message": RULE}], path
        checked += 1
    assert checked >= 50
    assert client.get("/api/v1/employers").json()["items"] == before  # nothing was written


def test_a_search_the_list_does_not_know_is_refused_not_ignored(client):
    response = client.get(
        "/api/v1/participants", params={"name": "Haddad", "limt": 5, "site": "grimma"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The request has 2 unknown query parameters: name, limt"
    assert [e["field"] for e in body["errors"]] == ["name", "limt"]


def test_declared_parameters_of_route_and_dependencies_pass(client):
    make_employer(client, name="Lager Nord GmbH")
    response = client.get("/api/v1/employers", params={"name": "Lager", "limit": 5, "cursor": ""})
    assert response.status_code == 200, response.text
    assert [e["name"] for e in response.json()["items"]] == ["Lager Nord GmbH"]


def test_unknown_parameters_come_after_authentication(client):
    response = client.get("/api/v1/participants", params={"q": "x"}, headers={"Authorization": ""})
    assert response.status_code == 401


def _limited(client):
    for method, path, operation in _operations(client):
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "limit" and parameter["in"] == "query":
                schema = parameter["schema"]
                options = schema.get("anyOf", [schema])
                (maximum,) = [o["maximum"] for o in options if o.get("type") == "integer"]
                yield method, path, maximum


def test_every_list_and_ranking_declares_its_maximum_and_refuses_more(client, world):
    # A public address as a literal: registering it needs no DNS.
    hook = {"url": "https://93.184.215.14/kai-match", "events": ["placement.changed"]}
    webhook = client.post("/api/v1/webhooks", json=hook)
    assert webhook.status_code == 201, webhook.text
    ids = {
        "participant_id": world.participant_a["id"],
        "vacancy_id": world.vacancy_a["id"],
        "webhook_id": webhook.json()["id"],
    }
    checked = []
    for method, path, maximum in _limited(client):
        assert method == "get", path
        response = client.get(path.format(**ids), params={"limit": maximum + 1})
        assert response.status_code == 422, (path, response.text)
        errors = response.json()["errors"]
        assert {"field": "limit", "message": f"must be at most {maximum}"} in errors, path
        checked.append(path)
    assert len(checked) >= 12, checked  # every paged list, both rankings, feed, look-ups
    assert {"/api/v1/participants", "/api/v1/match-lists"} <= set(checked)
    assert "/api/v1/vacancies/{vacancy_id}/matches" in checked


@pytest.mark.parametrize(
    ("path", "maximum"),
    [("/api/v1/participants", 100), ("/api/v1/weight-profiles", 100), ("/api/v1/match-lists", 100)],
)
def test_the_maximum_itself_is_served(client, path, maximum):
    # The test settings set KAI_PAGE_LIMIT_MAX=100 (tests/conftest.py).
    assert client.get(path, params={"limit": maximum}).status_code == 200
    too_many = client.get(path, params={"limit": maximum + 1})
    assert too_many.json()["errors"] == [
        {"field": "limit", "message": f"must be at most {maximum}"}
    ]
