"""Idempotency keys: a POST retried with the same key is answered from the stored response.

``begin`` claims the key for the caller before the route runs (a committed ``in_flight`` row,
unique per caller and key, so a concurrent duplicate sees it); ``finish`` stores the answer;
``abandon`` frees the key when there is no answer worth keeping (a server error, a conflict),
so a retry runs again. Rows are kept ``ttl`` (at least 24 hours), then purged.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from kai_match.errors import Conflict, FieldError, InvalidInput
from kai_match.models import IdempotencyKey
from kai_match.models.common import utcnow

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# What ``check_key`` accepts, for the OpenAPI document: printable ASCII (space to tilde).
KEY_SCHEMA = {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[ -~]+$"}
PURGE_EVERY_SECONDS = 600.0
_last_purge = 0.0


@dataclass(frozen=True)
class StoredResponse:
    status: int
    content_type: str | None
    headers: dict[str, str]
    body: bytes


def fingerprint(body: bytes) -> str:
    """SHA-256 of the body; JSON is compared by content, not by spacing or key order."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def check_key(key: str) -> None:
    if not (1 <= len(key) <= MAX_KEY_LENGTH) or not key.isprintable() or not key.isascii():
        raise InvalidInput(
            detail="The Idempotency-Key header is not usable.",
            errors=[
                FieldError(HEADER, f"must be 1 to {MAX_KEY_LENGTH} printable ASCII characters")
            ],
        )


def begin(
    *,
    session: Session,
    principal: str,
    key: str,
    method: str,
    path: str,
    body_hash: str,
    ttl: timedelta,
    in_flight_timeout: timedelta,
) -> int | StoredResponse:
    """Claim ``key`` (the new row's id) or answer what an earlier request with it got.

    Same key and another request → 422; the earlier request still running → 409.
    """
    check_key(key)
    _purge_now_and_then(session, ttl)
    for _ in range(2):
        row = IdempotencyKey(
            principal=principal, key=key, method=method, path=path, body_hash=body_hash
        )
        session.add(row)
        try:
            session.commit()
            assert row.id is not None
            return row.id
        except IntegrityError:
            session.rollback()
        existing = _existing(session, principal, key)
        if existing is None:
            continue  # purged or abandoned in between: claim it again
        now = utcnow()
        if existing.created_at < now - ttl:
            session.delete(existing)
            session.commit()
            continue
        if (existing.method, existing.path, existing.body_hash) != (method, path, body_hash):
            raise InvalidInput(
                detail="This Idempotency-Key was used for a different request.",
                errors=[FieldError(HEADER, "was used with another method, path or body")],
            )
        if existing.state == "done":
            return _stored(existing)
        if existing.created_at >= now - in_flight_timeout or not _take_over(session, existing):
            raise Conflict(
                detail="A request with this Idempotency-Key is still being processed; retry.",
                errors=[FieldError(HEADER, "is in flight")],
                headers={"Retry-After": "1"},
            )
        assert existing.id is not None
        return existing.id
    raise Conflict(errors=[FieldError(HEADER, "could not be claimed; retry")])


def finish(
    *,
    session: Session,
    row_id: int,
    status: int,
    content_type: str | None,
    headers: dict[str, str],
    body: bytes,
    commit: bool = True,
) -> None:
    """Store the answer; a retry with the same key now gets it instead of a second execution.

    ``commit=False``: part of the route's transaction, committed with its work.
    """
    session.exec(
        update(IdempotencyKey)
        .where(col(IdempotencyKey.id) == row_id)
        .values(
            state="done",
            status=status,
            content_type=content_type,
            headers=json.dumps(headers),
            response_body=body,
        )
    )
    if commit:
        session.commit()


def abandon(*, session: Session, row_id: int, commit: bool = True) -> None:
    """Free the key: the request had no answer worth replaying (5xx, 409)."""
    session.exec(delete(IdempotencyKey).where(col(IdempotencyKey.id) == row_id))
    if commit:
        session.commit()


def answers_naming(*, session: Session, needles: list[str]) -> list[IdempotencyKey]:
    """Stored answers that contain any of ``needles`` (public ids), oldest first (Art. 15)."""
    markers = [n.encode() for n in needles]
    rows = session.exec(
        select(IdempotencyKey)
        .where(col(IdempotencyKey.response_body).is_not(None))
        .order_by(col(IdempotencyKey.id))
    )
    return [r for r in rows if r.response_body and any(m in r.response_body for m in markers)]


def forget_answers_naming(*, session: Session, needle: str) -> int:
    """Delete stored answers that contain ``needle`` (a public id), for erasure (Art. 17).

    Only rows of the last ``ttl`` exist, so scanning them is cheap; the caller commits.
    """
    ids = [row.id for row in answers_naming(session=session, needles=[needle])]
    if ids:
        session.exec(delete(IdempotencyKey).where(col(IdempotencyKey.id).in_(ids)))
    return len(ids)


def purge_expired(*, session: Session, ttl: timedelta) -> int:
    """Delete rows older than ``ttl``; the number deleted."""
    result = session.exec(
        delete(IdempotencyKey).where(col(IdempotencyKey.created_at) < utcnow() - ttl)
    )
    session.commit()
    return result.rowcount or 0


def _purge_now_and_then(session: Session, ttl: timedelta) -> None:
    global _last_purge
    if time.monotonic() - _last_purge > PURGE_EVERY_SECONDS:
        _last_purge = time.monotonic()
        purge_expired(session=session, ttl=ttl)


def _existing(session: Session, principal: str, key: str) -> IdempotencyKey | None:
    query = select(IdempotencyKey).where(
        IdempotencyKey.principal == principal, IdempotencyKey.key == key
    )
    return session.exec(query.execution_options(populate_existing=True)).first()


def _take_over(session: Session, row: IdempotencyKey) -> bool:
    """An in-flight claim older than the timeout was abandoned (crash, disconnect): rerun."""
    result = session.exec(
        update(IdempotencyKey)
        .where(col(IdempotencyKey.id) == row.id, col(IdempotencyKey.created_at) == row.created_at)
        .values(created_at=utcnow())
    )
    session.commit()
    return bool(result.rowcount)


def _stored(row: IdempotencyKey) -> StoredResponse:
    return StoredResponse(
        status=row.status or 200,
        content_type=row.content_type,
        headers=json.loads(row.headers or "{}"),
        body=row.response_body or b"",
    )
