"""Optimistic concurrency: one version counter per record, its ETag, If-Match on updates.

Every versioned table (participant, employer, vacancy, placement) has ``id``, ``version`` and
``updated_at``; the ETag is ``"<table>-<id>-v<version>"`` for all of them.
"""

from __future__ import annotations

from typing import Any, Protocol

from kai_match.errors import FieldError, PreconditionFailed
from kai_match.models.common import utcnow


class Versioned(Protocol):
    __tablename__: Any
    id: int | None
    version: int
    updated_at: Any


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
