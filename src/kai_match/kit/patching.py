"""Rules of a partial update (PATCH) that follow from the tables themselves."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy import Column

from kai_match.errors import FieldError


@cache
def _columns(tables: tuple[type, ...]) -> dict[str, Column]:
    return {c.name: c for table in tables for c in table.__table__.columns}  # type: ignore[attr-defined]


def null_errors(changed: Mapping[str, Any], *tables: type) -> list[FieldError]:
    """A field set to null whose column may not hold null, named (422 instead of a 500).

    Derived from the columns' ``nullable``, so a new non-null column is covered without a
    hand-kept list. Fields that are not columns (nested parts, child rows) are the caller's.
    """
    columns = _columns(tables)
    return [
        FieldError(name, "must not be null")
        for name, value in changed.items()
        if value is None and name in columns and not columns[name].nullable
    ]
