"""Record writes to matching data in the change log (see ``models.change``)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from kai_match.models import ChangeLog


def record(session: Session, entity: str, entity_id: int) -> None:
    """Add a change row inside the caller's transaction, so it commits or rolls back with it."""
    session.add(ChangeLog(entity=entity, entity_id=entity_id))


def latest_change_id(session: Session) -> int:
    return session.exec(select(func.coalesce(func.max(ChangeLog.id), 0))).one()
