"""Every problem document says something in `detail`, also where the raiser gave none."""

from __future__ import annotations

from kai_match.errors import Conflict, FieldError, InvalidInput, Unauthorized


def test_a_detail_is_said_from_the_field_errors_or_the_title():
    assert InvalidInput(errors=[FieldError("version", "needs profile as well")]).detail == (
        "The request has 1 invalid field."
    )
    two = [FieldError("a", "x"), FieldError("b", "y")]
    assert InvalidInput(errors=two).detail == "The request has 2 invalid fields."
    assert Conflict().detail == "Conflict."
    assert Conflict(detail="Given.").detail == "Given."
    assert Unauthorized().headers["WWW-Authenticate"].startswith("Bearer")


def test_fairness_with_a_version_but_no_profile_names_the_rule(client):
    response = client.get("/api/v1/reports/fairness", params={"version": 1})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The request has 1 invalid field."
    assert body["errors"] == [{"field": "version", "message": "needs profile as well"}]


def test_get_on_the_fit_route_is_405_not_a_bad_profile_id(client):
    response = client.get("/api/v1/weight-profiles/fit")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.headers["content-type"] == "application/problem+json"


def test_allow_names_every_method_of_an_api_path(client):
    response = client.put("/api/v1/participants/1", json={})
    assert response.status_code == 405
    assert response.headers["Allow"] == "DELETE, GET, PATCH"
