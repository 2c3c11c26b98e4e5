"""Keyset pagination on ``id``: stable under inserts, opaque cursors."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Generic, TypeVar

from kai_match.errors import FieldError, InvalidInput
from kai_match.models.common import MAX_RECORD_ID

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    limit: int
    after_id: int | None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id after which the next page starts; a tampered cursor is a 422 on ``cursor``.

    The id is bounded like every id (``MAX_RECORD_ID``): a larger one would reach the database
    and fail there (PostgreSQL INTEGER, SQLite's 64 bits) as a 500.
    """
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, value = raw.split(":", 1)
        if prefix != "id" or not value.isascii() or not value.isdigit():
            raise ValueError(raw)
        after = int(value)
        if after > MAX_RECORD_ID:
            raise ValueError(raw)
        return after
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput(
            detail="The cursor is not one this service issued.",
            errors=[FieldError("cursor", "must be a next_cursor value from a previous page")],
        ) from exc


def page_of(rows: list[T], limit: int, id_of) -> tuple[list[T], str | None]:
    """Cut one extra fetched row off and turn its presence into a cursor."""
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_cursor(id_of(rows[-1]))
    return rows, None
