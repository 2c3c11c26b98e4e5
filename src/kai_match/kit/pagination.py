"""Keyset pagination on ``id``: stable under inserts, opaque signed cursors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from kai_match.errors import FieldError, InvalidInput
from kai_match.kit import signing
from kai_match.models.common import MAX_RECORD_ID

PURPOSE = "page"

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
    """The id of a page's last row, signed (``kit.signing``), so no one can make up positions."""
    return signing.sign(PURPOSE, str(last_id).encode())


def decode_cursor(cursor: str | None) -> int | None:
    """The id after which the next page starts; any cursor not signed here is a 422 on ``cursor``.

    The id is bounded like every id (``MAX_RECORD_ID``): a larger one would reach the database
    and fail there (PostgreSQL INTEGER, SQLite's 64 bits) as a 500. Signed cursors only carry
    ids read from the database; the bound stays as a second line of defence.
    """
    if not cursor:
        return None
    try:
        value = signing.verify(PURPOSE, cursor).decode("ascii")
        if not value.isdigit() or int(value) > MAX_RECORD_ID:
            raise ValueError(value)
        return int(value)
    except (ValueError, UnicodeDecodeError) as exc:
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
