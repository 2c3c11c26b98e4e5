"""Webhook secrets at rest: AES-GCM encrypted, because the dispatcher must sign with them.

A hash (as for API keys) cannot sign, so the secret is stored encrypted. The keys come from
``KAI_WEBHOOK_SECRET_KEYS`` (the first encrypts, every key decrypts: rotation); without them
a key generated once is kept in ``service_secret``, which is fine for development and tests
but puts the key beside the ciphertext, so production should set the keys. A stored value
names the key that encrypted it by a short fingerprint.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import threading
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from kai_match.models.common import utcnow
from kai_match.models.secret import ServiceSecret

SECRET_NAME = "webhook_key"
_CONTEXT = b"kai-match webhook secret"
PREFIX = "whsec_"


def new_secret() -> str:
    """A signing secret for one endpoint: 256 bits, recognisable by its prefix."""
    return PREFIX + secrets.token_urlsafe(32)


class SecretBox:
    """Encrypts and decrypts endpoint secrets with the configured or the stored key."""

    def __init__(self, keys: Sequence[str] = (), *, engine: Engine | None = None) -> None:
        if not keys and engine is None:
            raise ValueError("a secret box needs keys or a database to keep one in")
        self._keys = [hashlib.sha256(k.encode()).digest() for k in keys]
        self._engine = engine
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return bool(self._keys)

    def load(self) -> None:
        """Read (or first create) the stored key; call outside any open transaction.

        Its own short transaction: inside a request's transaction, which on SQLite already
        holds the write lock, it would wait for that very lock.
        """
        self._ring()

    def encrypt(self, secret: str) -> str:
        key = self._ring()[0]
        nonce = os.urandom(12)
        sealed = AESGCM(key).encrypt(nonce, secret.encode(), _CONTEXT)
        return f"v1.{_fingerprint(key)}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str) -> str:
        """The secret; ``ValueError`` when no key of the ring opens it."""
        version, fingerprint, body = stored.split(".", 2)
        if version != "v1":
            raise ValueError(f"unknown secret format {version}")
        raw = base64.urlsafe_b64decode(body)
        for key in self._ring():
            if _fingerprint(key) != fingerprint:
                continue
            try:
                return AESGCM(key).decrypt(raw[:12], raw[12:], _CONTEXT).decode()
            except InvalidTag as exc:
                raise ValueError("the secret does not open with its key") from exc
        raise ValueError("the key that encrypted this secret is not configured")

    def _ring(self) -> list[bytes]:
        if self._keys:
            return self._keys
        with self._lock:
            if not self._keys:
                self._keys = [hashlib.sha256(self._stored_key().encode()).digest()]
        return self._keys

    def _stored_key(self) -> str:
        """Insert-or-ignore, then read: every worker on one database ends with the same key."""
        assert self._engine is not None
        with Session(self._engine) as session, session.begin():
            insert = pg_insert if self._engine.dialect.name == "postgresql" else sqlite_insert
            session.execute(
                insert(ServiceSecret)
                .values(name=SECRET_NAME, value=secrets.token_urlsafe(32), created_at=utcnow())
                .on_conflict_do_nothing(index_elements=["name"])
            )
            return session.exec(
                select(ServiceSecret.value).where(ServiceSecret.name == SECRET_NAME)
            ).one()


def _fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"fingerprint" + key).hexdigest()[:8]
