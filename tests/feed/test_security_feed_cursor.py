"""Feed cursors carry change ids and list ids: anything this service would not issue (an id
beyond the id columns' range, a gap run longer than the window, a float) is a 422 on ``since``,
never a 500 or a long computation.

Cursors are signed (``kit.signing``); these are signed with the app's own key, so the bounds
behind the signature are what is tested. Forged and unsigned cursors:
``tests/cross/test_signed_cursors.py``.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from kai_match.feed.service import FEED_CURSOR, GAP_GRACE_SECONDS, GAP_WINDOW, FeedCursor
from kai_match.kit import signing
from kai_match.models.common import MAX_RECORD_ID

BEYOND = (MAX_RECORD_ID + 1, 10**20)


def _raw_cursor(client, **changes: Any) -> str:
    """A cursor body as the service writes it, with some values changed (floats, huge ints)."""
    body = {"s": "participant", "f": 0, "u": 5, "a": 0, "g": [], "r": []} | changes
    raw = json.dumps(body, separators=(",", ":")).encode()
    return client.app.state.cursor_keys.sign(FEED_CURSOR, raw)


def _signed(client, cursor: FeedCursor) -> str:
    with signing.bound(client.app.state.cursor_keys):
        return cursor.encode()


def _cursors_beyond(client, value: int) -> dict[str, str]:
    now = int(time.time())
    cursors = {
        "since": FeedCursor(side="participant", since=value),
        "upto": FeedCursor(side="participant", since=1, upto=value),
        "after": FeedCursor(side="participant", since=1, upto=2, after=value),
        "gap": FeedCursor(side="participant", gaps=((value, value, now),)),
        "found": FeedCursor(side="participant", since=1, upto=2, found=(value,)),
    }
    return {what: _signed(client, cursor) for what, cursor in cursors.items()}


def _assert_422_on_since(client, cursor: str, what: str) -> None:
    response = client.get("/api/v1/match-lists", params={"since": cursor})
    assert response.status_code == 422, (what, response.text)
    assert [e["field"] for e in response.json()["errors"]] == ["since"], what


@pytest.mark.parametrize("value", BEYOND)
def test_ids_beyond_the_range_in_a_feed_cursor_are_422_on_since(client, value):
    for what, cursor in _cursors_beyond(client, value).items():
        _assert_422_on_since(client, cursor, what)


def test_a_negative_id_in_a_feed_cursor_is_422_on_since(client):
    for what, cursor in _cursors_beyond(client, -1).items():
        _assert_422_on_since(client, cursor, what)


def test_a_gap_run_longer_than_the_window_is_422_on_since(client):
    # Runs come from the newest GAP_WINDOW ids; a longer one would be expanded id by id.
    now = int(time.time())
    cursor = _signed(client, FeedCursor(side="participant", gaps=((1, 100 * GAP_WINDOW, now),)))
    _assert_422_on_since(client, cursor, "long run")
    backwards = _signed(client, FeedCursor(side="participant", gaps=((9, 3, now),)))
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
    _assert_422_on_since(client, _raw_cursor(client, **changes), str(changes))


def test_the_largest_ids_still_make_a_cursor(client):
    largest = FeedCursor(side="participant", since=MAX_RECORD_ID - 1, upto=MAX_RECORD_ID)
    response = client.get("/api/v1/match-lists", params={"since": _signed(client, largest)})
    assert response.status_code == 200, response.text


def test_gap_runs_older_than_the_grace_period_are_dropped_at_the_next_walk(client):
    """A gap run is carried for GAP_GRACE_SECONDS after it was first seen, then given up."""
    now = int(time.time())
    latest = client.get("/api/v1/match-lists").json()  # a walk from the start
    ring = client.app.state.cursor_keys
    since = json.loads(ring.verify(FEED_CURSOR, latest["next_cursor"]))["f"]
    young = (10**6, 10**6 + 2, now - GAP_GRACE_SECONDS + 30)  # never committed (yet)
    old = (10**6 + 10, 10**6 + 10, now - GAP_GRACE_SECONDS - 1)
    cursor = _signed(client, FeedCursor(side="participant", since=since, gaps=(young, old)))
    response = client.get("/api/v1/match-lists", params={"since": cursor})
    assert response.status_code == 200, response.text
    following = json.loads(ring.verify(FEED_CURSOR, response.json()["next_cursor"]))
    assert following["g"] == [list(young)]
    assert following["f"] == since and following["u"] is None
