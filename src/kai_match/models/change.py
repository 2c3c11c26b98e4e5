"""Append-only change log: every write to matching data adds a row.

Its highest id is the change counter that lets each worker process notice writes made by
another process or replica, and keep its in-memory ranking index in step.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import utcnow


class ChangeLog(SQLModel, table=True):
    __tablename__ = "change_log"

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=32)
    entity_id: int = Field(index=True)
    changed_at: datetime = Field(default_factory=utcnow)
