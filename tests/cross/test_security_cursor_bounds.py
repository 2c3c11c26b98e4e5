"""List cursors carry ids; one beyond the id columns' range is a 422 on ``cursor``, not a 500.

Cursors are signed (``kit.signing``), so these cursors are signed with the app's own key: the
bound is tested behind the signature. Unsigned ones: ``tests/cross/test_signed_cursors.py``.
"""

from __future__ import annotations

import pytest

from kai_match.errors import InvalidInput
from kai_match.kit import signing
from kai_match.kit.pagination import PURPOSE, decode_cursor
from kai_match.models.common import MAX_RECORD_ID

LISTS = (
    "/api/v1/participants",
    "/api/v1/vacancies",
    "/api/v1/employers",
    "/api/v1/placements",
    "/api/v1/audit",
    "/api/v1/api-keys",
)


def _cursor(client, raw: str) -> str:
    """A list cursor with ``raw`` in it, signed with the app's key as if the service issued it."""
    return client.app.state.cursor_keys.sign(PURPOSE, raw.encode())


@pytest.mark.parametrize("after", [MAX_RECORD_ID + 1, 10**20])
def test_a_cursor_beyond_the_id_range_is_422_on_cursor(client, after):
    for url in LISTS:
        response = client.get(url, params={"cursor": _cursor(client, str(after))})
        assert response.status_code == 422, (url, response.text)
        assert [e["field"] for e in response.json()["errors"]] == ["cursor"], url


def test_the_largest_id_is_still_a_cursor(client):
    for url in LISTS:
        response = client.get(url, params={"cursor": _cursor(client, str(MAX_RECORD_ID))})
        assert response.status_code == 200, (url, response.text)
        assert response.json()["items"] == []


def test_decode_cursor_bounds_the_id():
    ring = signing.KeyRing(["k" * 32])
    with signing.bound(ring):
        assert decode_cursor(ring.sign(PURPOSE, str(MAX_RECORD_ID).encode())) == MAX_RECORD_ID
        assert decode_cursor(ring.sign(PURPOSE, b"0")) == 0
        for raw in (str(MAX_RECORD_ID + 1).encode(), b"-1", b"", b"1.5", "\u0661".encode()):
            with pytest.raises(InvalidInput) as refused:
                decode_cursor(ring.sign(PURPOSE, raw))
            assert [e.field for e in refused.value.errors] == ["cursor"], raw
