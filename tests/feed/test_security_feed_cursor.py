"""Feed cursors carry change ids and list ids: anything this service would not issue (an id
beyond the id columns' range, a gap run longer than the window, a float) is a 422 on ``since``,
never a 500 or a long computation."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest

from kai_match.feed.service import _PREFIX, GAP_WINDOW, FeedCursor
from kai_match.models.common import MAX_RECORD_ID

BEYOND = (MAX_RECORD_ID + 1, 10**20)


def _raw_cursor(**changes: Any) -> str:
    """A cursor body as the service writes it, with some values changed (floats, huge ints)."""
    body = {"s": "participant", "f": 0, "u": 5, "a": 0, "g": [], "r": []} | changes
    raw = json.dumps(body, separators=(",", ":")).encode()
    return _PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursors_beyond(value: int) -> dict[str, str]:
    now = int(time.time())
    return {
        "since": FeedCursor(side="participant", since=value).encode(),
        "upto": FeedCursor(side="participant", since=1, upto=value).encode(),
        "after": FeedCursor(side="participant", since=1, upto=2, after=value).encode(),
        "gap": FeedCursor(side="participant", gaps=((value, value, now),)).encode(),
        "found": FeedCursor(side="participant", since=1, upto=2, found=(value,)).encode(),
    }


def _assert_422_on_since(client, cursor: str, what: str) -> None:
    response = client.get("/api/v1/match-lists", params={"since": cursor})
    assert response.status_code == 422, (what, response.text)
    assert [e["field"] for e in response.json()["errors"]] == ["since"], what


@pytest.mark.parametrize("value", BEYOND)
def test_ids_beyond_the_range_in_a_feed_cursor_are_422_on_since(client, value):
    for what, cursor in _cursors_beyond(value).items():
        _assert_422_on_since(client, cursor, what)


def test_a_negative_id_in_a_feed_cursor_is_422_on_since(client):
    for what, cursor in _cursors_beyond(-1).items():
        _assert_422_on_since(client, cursor, what)


def test_a_gap_run_longer_than_the_window_is_422_on_since(client):
    # Runs come from the newest GAP_WINDOW ids; a longer one would be expanded id by id.
    now = int(time.time())
    cursor = FeedCursor(side="participant", gaps=((1, 100 * GAP_WINDOW, now),)).encode()
    _assert_422_on_since(client, cursor, "long run")
    backwards = FeedCursor(side="participant", gaps=((9, 3, now),)).encode()
    _assert_422_on_since(client, backwards, "run backwards")


@pytest.mark.parametrize(
    "changes",
    [
        {"f": 1.5},
        {"f": True},
        {"f": "7"},
        {"u": float("inf")},
        {"a": float("nan")},
        {"g": [[1, 2, float("inf")]]},
        {"r": [None]},
    ],
    ids=["float", "bool", "string", "infinity", "nan", "infinite-time", "null"],
)
def test_values_that_are_not_integers_are_422_on_since(client, changes):
    _assert_422_on_since(client, _raw_cursor(**changes), str(changes))


def test_the_largest_ids_still_make_a_cursor(client):
    largest = FeedCursor(side="participant", since=MAX_RECORD_ID - 1, upto=MAX_RECORD_ID)
    response = client.get("/api/v1/match-lists", params={"since": largest.encode()})
    assert response.status_code == 200, response.text
