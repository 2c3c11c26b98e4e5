"""Cursor pagination: every record once, in id order, even while others are inserted."""

from __future__ import annotations

from tests.builders import make_participant


def test_walk_is_stable_under_inserts(client):
    created = [make_participant(client, german_level="A1")["id"] for _ in range(7)]
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/participants", params=params).json()
        seen.extend(p["id"] for p in page["items"])
        pages += 1
        if pages == 1:
            created.append(make_participant(client, german_level="A1")["id"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == created
    assert pages == 3


def test_last_page_has_no_cursor(client):
    make_participant(client)
    page = client.get("/api/v1/participants", params={"limit": 1}).json()
    assert len(page["items"]) == 1 and page["next_cursor"] is None
