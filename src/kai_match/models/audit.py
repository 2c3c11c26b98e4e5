"""Audit log: append-only, one row per read or write of a participant's data.

Rows name the participant by ``public_id`` only, so the log itself holds no names and survives
erasure; nothing in the code updates or deletes them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import ResponseModel, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    request_id: str | None = Field(default=None, max_length=64)
    actor: str = Field(max_length=80)
    key_id: int | None = Field(default=None, index=True)
    role: str = Field(max_length=16)
    action: str = Field(max_length=24)
    route: str = Field(max_length=200)
    public_id: str | None = Field(default=None, max_length=16, index=True)
    fields: list[str] | None = Field(default=None, sa_column=Column(JSON))


class AuditEntryPublic(ResponseModel):
    id: int
    at: datetime
    request_id: str | None
    actor: str
    key_id: int | None
    role: str
    action: str
    route: str
    public_id: str | None
    fields: list[str] | None
