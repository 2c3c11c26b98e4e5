"""Signed opaque tokens (the cursors of list pages, rankings and the feed).

A token is ``<payload>.<tag>``, both unpadded URL-safe base64. The payload starts with a
version byte; the tag is HMAC-SHA256 over a fixed prefix, the token's *purpose* (``page``,
``ranking``, ``feed``: a cursor of one kind is never accepted as another) and the payload,
cut to 128 bits (RFC 2104 allows cutting to half the output), so cursors stay short.

Keys rotate: the first key of the ring signs, every key verifies. The keys come from
``KAI_CURSOR_KEYS`` (required in production); without it, development and test databases keep
one generated key in ``service_secret``, so every worker on the same database signs alike.
Procedure and reasons: docs/security.md ("Signed cursors").

The ring of the running request is bound in a context variable (``api.deps`` binds the app's
ring when it opens the request's session), so services sign without passing keys around.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar, Token

from anyio import to_thread
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from kai_match.models.common import utcnow
from kai_match.models.secret import ServiceSecret

VERSION = 1
TAG_BYTES = 16
MAX_TOKEN_CHARS = 8_000  # longer than any token issued here; refused before any decoding
SECRET_NAME = "cursor_key"
_DOMAIN = b"kai-match token\x00"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


class InvalidToken(ValueError):
    """Not a token this service signed with a key it still holds (or not one at all)."""


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(text: str) -> bytes:
    """Strict: the base64url alphabet only, and the one spelling ``_encode`` writes."""
    if not _BASE64URL.fullmatch(text):
        raise InvalidToken("not base64url")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidToken("not base64url") from exc
    if _encode(raw) != text:  # other trailing bits decode to the same bytes
        raise InvalidToken("not canonical")
    return raw


def _tag(key: bytes, purpose: str, payload: bytes) -> bytes:
    message = _DOMAIN + purpose.encode() + b"\x00" + payload
    return hmac.new(key, message, hashlib.sha256).digest()[:TAG_BYTES]


class KeyRing:
    """The keys of one app: configured ones, or the key stored in the app's database."""

    def __init__(self, keys: Sequence[str] = (), *, engine: Engine | None = None) -> None:
        if not keys and engine is None:
            raise ValueError("a key ring needs keys or a database to keep one in")
        self._keys: tuple[bytes, ...] = tuple(k.encode() for k in keys)
        self._engine = engine
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return bool(self._keys)

    def load(self) -> None:
        """Read the stored key, creating it first if no worker has (no-op for configured keys).

        Its own short transaction, so the key exists for every worker once this returns; two
        workers starting at once both insert-or-ignore and then read the same row.
        """
        if self._keys:
            return
        with self._lock:
            if self._keys:
                return
            assert self._engine is not None
            with Session(self._engine) as session, session.begin():
                insert = pg_insert if self._engine.dialect.name == "postgresql" else sqlite_insert
                session.execute(
                    insert(ServiceSecret)
                    .values(name=SECRET_NAME, value=secrets.token_urlsafe(32), created_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["name"])
                )
                value = session.exec(
                    select(ServiceSecret.value).where(ServiceSecret.name == SECRET_NAME)
                ).one()
            self._keys = (value.encode(),)

    def _ring(self) -> tuple[bytes, ...]:
        if not self._keys:
            self.load()
        return self._keys

    def sign(self, purpose: str, payload: bytes) -> str:
        """A token for ``payload`` (the version byte is added here), signed with the first key."""
        body = bytes([VERSION]) + payload
        return f"{_encode(body)}.{_encode(_tag(self._ring()[0], purpose, body))}"

    def verify(self, purpose: str, token: str) -> bytes:
        """The payload of a token signed for ``purpose`` with any key of the ring.

        Every key is tried with a constant-time comparison; a token signed with a key that has
        been dropped from the ring fails like a forged one.
        """
        if len(token) > MAX_TOKEN_CHARS or token.count(".") != 1:
            raise InvalidToken("not a token")
        body_text, tag_text = token.split(".")
        body, tag = _decode(body_text), _decode(tag_text)
        if len(tag) != TAG_BYTES or not body:
            raise InvalidToken("not a token")
        matches = [hmac.compare_digest(_tag(key, purpose, body), tag) for key in self._ring()]
        if not any(matches):
            raise InvalidToken("signature")
        if body[0] != VERSION:
            raise InvalidToken(f"version {body[0]}")
        return body[1:]


_bound: ContextVar[KeyRing | None] = ContextVar("kai_cursor_keys", default=None)


async def bind_for_request(ring: KeyRing) -> Token:
    """Bind ``ring`` to the running request; load a stored key first (in a worker thread).

    The app loads its ring at start-up; this only reads the database when that failed (the
    database was away), before the request's own transaction takes any lock.
    """
    if not ring.ready:
        await to_thread.run_sync(ring.load)
    return _bound.set(ring)


def unbind(token: Token) -> None:
    _bound.reset(token)


@contextmanager
def bound(ring: KeyRing) -> Iterator[KeyRing]:
    """Use ``ring`` outside a request (tests, scripts)."""
    token = _bound.set(ring)
    try:
        yield ring
    finally:
        _bound.reset(token)


def current() -> KeyRing:
    ring = _bound.get()
    if ring is None:
        raise RuntimeError("no cursor keys bound: sign and verify tokens inside a request")
    return ring


def sign(purpose: str, payload: bytes) -> str:
    """Sign with the ring of the running request."""
    return current().sign(purpose, payload)


def verify(purpose: str, token: str) -> bytes:
    """Verify with the ring of the running request; ``InvalidToken`` (a ValueError) if not ours."""
    return current().verify(purpose, token)
