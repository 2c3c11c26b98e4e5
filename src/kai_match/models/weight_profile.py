"""Weight profile: a named, versioned, immutable scoring configuration; one is active."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import LongText, ResponseModel, StrictModel, utcnow


class WeightProfileRecord(SQLModel, table=True):
    """A stored profile version; ``config`` is never changed once written."""

    __tablename__ = "weight_profile"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, index=True)
    version: int
    description: str | None = Field(default=None, max_length=5000)
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    active: bool = Field(default=False, index=True)
    used: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    activated_at: datetime | None = None


class WeightProfileCreate(StrictModel):
    """A new version of a named profile; parts left out take the built-in defaults."""

    name: str = PydanticField(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    description: LongText | None = None
    weights: dict[str, float] | None = None
    hard_constraints: dict[str, list[str]] | None = None
    permit_rules: dict[str, dict[str, str]] | None = None
    params: dict[str, Any] | None = None


class WeightProfilePublic(ResponseModel):
    id: int
    name: str
    version: int
    description: str | None
    active: bool
    used: bool
    created_at: datetime
    activated_at: datetime | None
    weights: dict[str, float]
    hard_constraints: dict[str, list[str]]
    permit_rules: dict[str, dict[str, str]]
    params: dict[str, Any]
