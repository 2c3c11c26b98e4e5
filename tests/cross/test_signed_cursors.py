"""Every cursor is signed (``kit.signing``): list pages, rankings and the partner feed.

A forged, tampered, unsigned or foreign cursor is a 422 naming ``cursor`` (``since`` in the
feed) before anything in it is parsed; keys rotate (the first signs, all verify); workers on one
database without configured keys share the key stored in it.
"""

from __future__ import annotations

import base64
import json
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from kai_match.config import Settings
from kai_match.feed.service import FEED_CURSOR
from kai_match.kit import signing
from kai_match.kit.pagination import PURPOSE as PAGE_CURSOR
from kai_match.main import create_app
from kai_match.matching.service import RANKING_CURSOR
from kai_match.models import ServiceSecret
from tests.builders import make_employer, make_participant, matching_job, matching_person
from tests.conftest import ADMIN_KEY

OLD_KEY = "old-cursor-key-0123456789-abcdefghijklmnop"
NEW_KEY = "new-cursor-key-0123456789-abcdefghijklmnop"
STRANGER_KEY = "a-key-this-service-never-held-0123456789"
FEED = "/api/v1/match-lists"
PEOPLE = "/api/v1/participants"


@contextmanager
def app_client(settings: Settings, keys: list[str]) -> Iterator[TestClient]:
    """Another worker on the same database, with ``keys`` as KAI_CURSOR_KEYS ([]: unset)."""
    app = create_app(settings.model_copy(update={"cursor_keys": keys}))
    with TestClient(
        app, raise_server_exceptions=False, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    ) as other:
        yield other


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _assert_422_on(response, field: str, context: object = "") -> None:
    assert response.status_code == 422, (context, response.text)
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field], context
    assert body["detail"] == "The cursor is not one this service issued.", context


@pytest.fixture
def ranked(client) -> dict[str, Any]:
    """A person with three matching vacancies, and two more people (pages of one item)."""
    employer = make_employer(client)
    jobs = [matching_job(client, employer["id"]) for _ in range(3)]
    person = matching_person(client)
    for _ in range(2):
        make_participant(client)
    return {"person": person, "jobs": jobs, "matches": f"{PEOPLE}/{person['id']}/matches"}


def _cursors(client, ranked) -> dict[str, tuple[str, dict[str, Any], str, str]]:
    """A real cursor of each kind: (url, params without the cursor, cursor parameter)."""
    found = {}
    for kind, url, params, name in (
        ("page", PEOPLE, {"limit": 1}, "cursor"),
        ("ranking", ranked["matches"], {"limit": 1}, "cursor"),
        ("feed", FEED, {"limit": 1, "side": "vacancy"}, "since"),
    ):
        response = client.get(url, params=params)
        assert response.status_code == 200, response.text
        found[kind] = (url, params, name, response.json()["next_cursor"])
    return found


def _next_page(client, url: str, params: dict[str, Any], name: str, cursor: str):
    return client.get(url, params=params | {name: cursor})


def _items(response) -> list[Any]:
    body = response.json()
    if "lists" in body:
        return [item["vacancy_id"] for item in body["lists"]]
    return [item.get("id") or item["vacancy_id"] for item in body["items"]]


# -- forged cursors ----------------------------------------------------------------------------


def test_a_forged_feed_cursor_with_three_million_gap_ids_is_refused_unexpanded(client):
    now = int(time.time())
    body = {"s": "participant", "f": 0, "u": 5, "a": 0, "g": [[1, 3_000_000, now]], "r": []}
    raw = json.dumps(body, separators=(",", ":")).encode()
    forged = {
        "unsigned, as cursors were": "ml1." + _b64(raw),
        "made-up tag": f"{_b64(bytes([signing.VERSION]) + raw)}.{_b64(bytes(16))}",
        "a stranger's key": signing.KeyRing([STRANGER_KEY]).sign(FEED_CURSOR, raw),
        # Behind the signature the size bound still refuses it (MAX_GAP_IDS).
        "the service's own key": client.app.state.cursor_keys.sign(FEED_CURSOR, raw),
    }
    assert client.get(FEED).status_code == 200  # warm: first-request work is not measured
    for what, cursor in forged.items():
        tracemalloc.start()
        try:
            response = client.get(FEED, params={"since": cursor})
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        _assert_422_on(response, "since", what)
        # Three million (id, time) pairs would take hundreds of megabytes.
        assert peak < 3_000_000, (what, peak)


def test_tampering_with_any_byte_of_a_cursor_is_a_422(client, ranked):
    for kind, (url, params, name, cursor) in _cursors(client, ranked).items():
        assert _next_page(client, url, params, name, cursor).status_code == 200, kind
        payload, tag = cursor.split(".")
        variants = {
            "payload first": _flip(cursor, 0),
            "payload last": _flip(cursor, len(payload) - 1),
            "tag first": _flip(cursor, len(payload) + 1),
            "tag last": _flip(cursor, len(cursor) - 1),
            "cut short": cursor[:-1],
            "one more": cursor + "A",
            "no tag": payload,
            "tag of nothing": "." + tag,
            "padded": cursor + "==",
        }
        for what, bad in variants.items():
            assert bad != cursor
            _assert_422_on(_next_page(client, url, params, name, bad), name, (kind, what))


def _flip(text: str, index: int) -> str:
    """``text`` with one base64url character replaced by another."""
    replacement = "B" if text[index] != "B" else "C"
    return text[:index] + replacement + text[index + 1 :]


def test_unsigned_cursors_of_the_old_format_are_refused(client, ranked):
    _assert_422_on(client.get(PEOPLE, params={"cursor": _b64(b"id:1")}), "cursor")
    _assert_422_on(client.get(ranked["matches"], params={"cursor": _b64(b"0.5:1")}), "cursor")
    old_feed = "ml1." + _b64(b'{"s":"participant","f":0,"u":null,"a":0,"g":[],"r":[]}')
    _assert_422_on(client.get(FEED, params={"since": old_feed}), "since")


def test_a_cursor_of_one_kind_is_not_accepted_as_another(client, ranked):
    cursors = _cursors(client, ranked)
    page, ranking, feed = (cursors[k][3] for k in ("page", "ranking", "feed"))
    _assert_422_on(client.get(ranked["matches"], params={"cursor": page}), "cursor")
    _assert_422_on(client.get(PEOPLE, params={"cursor": ranking}), "cursor")
    _assert_422_on(client.get(PEOPLE, params={"cursor": feed}), "cursor")
    _assert_422_on(client.get(FEED, params={"since": page}), "since")


def test_cursors_stay_short(client, ranked):
    cursors = _cursors(client, ranked)
    assert len(cursors["page"][3]) <= 40
    assert len(cursors["ranking"][3]) <= 72
    assert len(cursors["feed"][3]) <= 120


# -- keys ----------------------------------------------------------------------------------------


def test_a_cursor_signed_with_an_old_key_works_while_the_key_is_listed(client, settings, ranked):
    with app_client(settings, [OLD_KEY]) as before:
        issued = _cursors(before, ranked)
        expected = {kind: _items(_next_page(before, *cursor)) for kind, cursor in issued.items()}
    assert all(expected.values())
    with app_client(settings, [NEW_KEY, OLD_KEY]) as rotating:
        for kind, cursor in issued.items():
            response = _next_page(rotating, *cursor)
            assert response.status_code == 200, (kind, response.text)
            assert _items(response) == expected[kind], kind
        fresh = _cursors(rotating, ranked)
    purposes = {"page": PAGE_CURSOR, "ranking": RANKING_CURSOR, "feed": FEED_CURSOR}
    for kind, (*_, cursor) in fresh.items():  # the first key signs
        signing.KeyRing([NEW_KEY]).verify(purposes[kind], cursor)
        with pytest.raises(signing.InvalidToken):
            signing.KeyRing([OLD_KEY]).verify(purposes[kind], cursor)
    with app_client(settings, [NEW_KEY]) as after:
        for kind, (url, params, name, cursor) in issued.items():
            _assert_422_on(_next_page(after, url, params, name, cursor), name, kind)
        for kind, cursor in fresh.items():
            assert _next_page(after, *cursor).status_code == 200, kind


def test_workers_without_configured_keys_share_the_key_stored_in_the_database(
    client, settings, engine, ranked
):
    issued = _cursors(client, ranked)
    with app_client(settings, []) as second_worker:
        for kind, cursor in issued.items():
            assert _items(_next_page(second_worker, *cursor)) == _items(
                _next_page(client, *cursor)
            ), kind
    with Session(engine) as session:
        stored = session.exec(
            select(ServiceSecret).where(ServiceSecret.name == signing.SECRET_NAME)
        ).all()
    assert len(stored) == 1  # one cursor key for every worker (webhooks keep their own)
    assert len(stored[0].value) >= 40
    # A worker with configured keys does not know the stored one.
    with app_client(settings, [NEW_KEY]) as configured:
        url, params, name, cursor = issued["page"]
        _assert_422_on(_next_page(configured, url, params, name, cursor), name)


def test_a_worker_that_started_without_its_database_loads_the_key_on_first_use(
    client, engine, ranked
):
    issued = _cursors(client, ranked)
    client.app.state.cursor_keys = signing.KeyRing([], engine=engine)  # as if never loaded
    assert not client.app.state.cursor_keys.ready
    for kind, cursor in issued.items():
        assert _next_page(client, *cursor).status_code == 200, kind
    assert client.app.state.cursor_keys.ready


# -- settings ------------------------------------------------------------------------------------


def test_production_refuses_to_start_without_cursor_keys():
    production = {
        "environment": "production",
        "database_url": "postgresql://x@localhost/db",
        "webhook_secret_keys": [OLD_KEY],
    }
    with pytest.raises(ValueError, match="KAI_CURSOR_KEYS must be set"):
        Settings(**production)
    assert Settings(**production, cursor_keys=[NEW_KEY]).cursor_keys == [NEW_KEY]


def test_cursor_keys_are_long_distinct_and_comma_separated(monkeypatch):
    with pytest.raises(ValueError, match="at least 32 characters"):
        Settings(cursor_keys=["short"])
    with pytest.raises(ValueError, match="twice"):
        Settings(cursor_keys=[NEW_KEY, NEW_KEY])
    monkeypatch.setenv("KAI_CURSOR_KEYS", f"{NEW_KEY}, {OLD_KEY}")
    assert Settings().cursor_keys == [NEW_KEY, OLD_KEY]
    monkeypatch.setenv("KAI_CURSOR_KEYS", json.dumps([OLD_KEY]))
    assert Settings().cursor_keys == [OLD_KEY]


def test_tokens_are_canonical():
    ring = signing.KeyRing([NEW_KEY])
    token = ring.sign("page", b"7")
    assert ring.verify("page", token) == b"7"
    payload, tag = token.split(".")
    # The last character of a 16-byte tag carries 4 unused bits: another spelling of the same
    # bytes is refused, so a cursor has exactly one valid form.
    last = tag[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    same_bytes = next(
        c
        for c in alphabet
        if c != last and base64.urlsafe_b64decode(tag[:-1] + c + "==") == _decode(tag)
    )
    with pytest.raises(signing.InvalidToken):
        ring.verify("page", f"{payload}.{tag[:-1]}{same_bytes}")
    with pytest.raises(signing.InvalidToken):
        ring.verify("ranking", token)
    with pytest.raises(RuntimeError):
        signing.sign("page", b"7")  # outside a request nothing is bound


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
