"""Child rows (skills, languages, occupations) of many owners at once, grouped by owner.

They are read as plain column rows rather than ORM objects: they are only ever read, and for a
page of twenty people the ORM bookkeeping of a few hundred objects cost more than the queries.
Each row still answers to its column names (``row.skill_id``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Row, select
from sqlmodel import Session


def rows_by_owner(
    session: Session, model: type, owner_column: str, ids: Iterable[int | None]
) -> dict[int, list[Row]]:
    """``{owner id: [row, …]}`` in insertion order; owners without rows are absent."""
    table = model.__table__  # type: ignore[attr-defined]
    owner = table.c[owner_column]
    query = select(*table.columns).where(owner.in_(list(ids))).order_by(table.c.id)
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in session.execute(query):
        grouped[row._mapping[owner]].append(row)
    return grouped


def replace_rows(
    session: Session, model: type, owner_column: str, owner_id: int, new_rows: list | None
) -> None:
    """Replace an owner's child rows whole (a PATCH that gives a list sets the list).

    ``None`` leaves the stored rows alone: the list was not part of the update.
    """
    if new_rows is None:
        return
    owner = getattr(model, owner_column)
    for old in session.exec(select(model).where(owner == owner_id)).scalars():
        session.delete(old)
    for row in new_rows:
        setattr(row, owner_column, owner_id)
        session.add(row)
