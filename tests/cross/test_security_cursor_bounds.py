"""List cursors carry ids; one beyond the id columns' range is a 422 on ``cursor``, not a 500."""

from __future__ import annotations

import base64

import pytest

from kai_match.kit.pagination import decode_cursor
from kai_match.models.common import MAX_RECORD_ID

LISTS = (
    "/api/v1/participants",
    "/api/v1/vacancies",
    "/api/v1/employers",
    "/api/v1/placements",
    "/api/v1/audit",
    "/api/v1/api-keys",
)


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize("after", [MAX_RECORD_ID + 1, 10**20])
def test_a_cursor_beyond_the_id_range_is_422_on_cursor(client, after):
    for url in LISTS:
        response = client.get(url, params={"cursor": _cursor(f"id:{after}")})
        assert response.status_code == 422, (url, response.text)
        assert [e["field"] for e in response.json()["errors"]] == ["cursor"], url


def test_the_largest_id_is_still_a_cursor(client):
    for url in LISTS:
        response = client.get(url, params={"cursor": _cursor(f"id:{MAX_RECORD_ID}")})
        assert response.status_code == 200, (url, response.text)
        assert response.json()["items"] == []


def test_decode_cursor_bounds_the_id():
    assert decode_cursor(_cursor(f"id:{MAX_RECORD_ID}")) == MAX_RECORD_ID
    assert decode_cursor(_cursor("id:0")) == 0
