"""Optimistic concurrency: one version counter per record, its ETag, If-Match on updates.

Every versioned table (participant, employer, vacancy, placement) has ``id``, ``version`` and
``updated_at``; the ETag is ``"<table>-<id>-v<version>"`` for all of them.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlmodel import Session, select

from kai_match.errors import FieldError, PreconditionFailed
from kai_match.models.common import utcnow


class Versioned(Protocol):
    __tablename__: Any
    id: int | None
    version: int
    updated_at: Any


V = TypeVar("V")


def etag_of(table: str, record_id: int | None, version: int) -> str:
    return f'"{table}-{record_id}-v{version}"'


def record_etag(record: Versioned) -> str:
    """The ETag of a record as it is now."""
    return etag_of(str(record.__tablename__), record.id, record.version)


def first_etag(table: type, record_id: int | None) -> str:
    """The ETag of a record just created (its version is the column's default)."""
    return etag_of(str(table.__tablename__), record_id, table.model_fields["version"].default)


def bump_version(record: Versioned) -> None:
    """Count one more version (the ETag changes) and stamp the time of the change."""
    record.version += 1
    record.updated_at = utcnow()


def check_if_match(if_match: str | None, current_etag: str) -> None:
    """Refuse an update made against an older version of the record (412)."""
    if if_match is None:
        return
    candidates = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" in candidates or current_etag in candidates:
        return
    raise PreconditionFailed(
        detail="The record changed since you read it; fetch it again and retry.",
        errors=[FieldError("If-Match", f"does not match the current ETag {current_etag}")],
    )


def lock_for_write(session: Session, record: V) -> V:
    """Take the record's row lock for the rest of the transaction and re-read the row.

    A write checks If-Match and counts the version on this locked row: on an unlocked read two
    writers both pass the same ETag and both store "version + 1", and one update is lost. On
    PostgreSQL the second writer waits here and then sees the first one's version; SQLite's
    write lock (``BEGIN IMMEDIATE``) already serialises whole transactions. Call it inside the
    route's own thread (a service), never in a dependency: a dependency holding the lock would
    then wait for a thread of a pool whose threads may all wait for this lock.
    """
    if session.get_bind().dialect.name != "postgresql":
        return record  # loaded in this transaction, which holds SQLite's write lock already
    table = type(record)
    query = (
        select(table)
        .where(table.id == record.id)  # type: ignore[attr-defined]
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(query).one()
