"""Secrets the service generates for itself and every worker must share (one row per name).

Only the cursor key lives here (``kit.signing``), and only when ``KAI_CURSOR_KEYS`` is not
set: development and test databases. Production configures its keys instead.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import utcnow


class ServiceSecret(SQLModel, table=True):
    __tablename__ = "service_secret"

    name: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
