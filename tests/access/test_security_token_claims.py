"""A JWT claim that binds the caller to a record must fit the id columns: an ``employer_id``
beyond their range is a bad token (401), not a 500 from the first query that uses it."""

from __future__ import annotations

import pytest

from kai_match.models.common import MAX_RECORD_ID
from tests.access.test_auth import _token, jwt_client, signing_keys  # noqa: F401
from tests.builders import bearer


@pytest.mark.parametrize(
    "employer_id",
    [10**20, MAX_RECORD_ID + 1, str(10**20), str(MAX_RECORD_ID + 1), "1" * 5000, 0, -3, 1.5, True],
    ids=[
        "1e20",
        "int-max+1",
        "1e20-text",
        "int-max+1-text",
        "5000-digits-text",  # beyond what int() converts: a ValueError outside the token check
        "zero",
        "negative",
        "float",
        "bool",
    ],
)
def test_an_employer_id_claim_outside_the_id_range_is_401(
    jwt_client,  # noqa: F811
    signing_keys,  # noqa: F811
    employer_id,
):
    token = _token(signing_keys[0], scope="employer", employer_id=employer_id)
    for url in ("/api/v1/vacancies", "/api/v1/employers"):
        response = jwt_client.get(url, headers=bearer(token))
        assert response.status_code == 401, (url, response.text)
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_the_largest_employer_id_claim_is_a_caller_without_records(
    jwt_client,  # noqa: F811
    signing_keys,  # noqa: F811
):
    token = _token(signing_keys[0], scope="employer", employer_id=MAX_RECORD_ID)
    response = jwt_client.get("/api/v1/vacancies", headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []
