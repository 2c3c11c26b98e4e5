"""Idempotency keys: the stored answer of a POST, so a retried request is not executed twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import utcnow


class IdempotencyKey(SQLModel, table=True):
    """One key per caller; ``state`` is ``in_flight`` until the response is stored (``done``)."""

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("principal", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    principal: str = Field(max_length=80, description="actor of the caller: key:12, jwt:…")
    key: str = Field(max_length=255)
    method: str = Field(max_length=8)
    path: str = Field(max_length=500)
    body_hash: str = Field(max_length=64)
    state: str = Field(default="in_flight", max_length=10)
    status: int | None = None
    content_type: str | None = Field(default=None, max_length=100)
    headers: str | None = Field(default=None, max_length=2000, description="JSON object")
    response_body: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    created_at: datetime = Field(default_factory=utcnow, index=True)
