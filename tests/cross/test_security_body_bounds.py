"""Version numbers in request bodies are bounded like ids: beyond the database's INTEGER a 422
naming the field, never a 500 from PostgreSQL."""

from __future__ import annotations

import pytest

TOO_LARGE = 2**31


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/matches/batch", {"participant_ids": [1], "version": TOO_LARGE}, "version"),
        ("/api/v1/evaluations", {"profile_version": TOO_LARGE}, "profile_version"),
        ("/api/v1/evaluations", {"baseline_version": TOO_LARGE}, "baseline_version"),
        (
            "/api/v1/assignments",
            {"participant_ids": [1], "vacancy_ids": [1], "profile_version": TOO_LARGE},
            "profile_version",
        ),
    ],
)
def test_a_version_beyond_the_integer_range_is_422(client, url: str, body: dict, field: str):
    response = client.post(url, json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in response.json()["errors"]}
