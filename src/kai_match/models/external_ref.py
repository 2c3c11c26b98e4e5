"""External references: the id a partner system (job centre, BA, an employer's HR tool) uses.

One table for participants, employers and vacancies: a reference is unique per system and
resource type, so ``PUT …/by-ref/{system}/{id}`` always finds at most one record.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field as PydanticField
from pydantic import StringConstraints
from sqlalchemy import Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import StrictModel, utcnow

MAX_REFS_PER_RECORD = 10

SYSTEM_PATTERN = r"^[a-z][a-z0-9._-]{1,31}$"
# Printable, no blanks at the ends; a slash is allowed (paths take it as ``{id:path}``).
REF_ID_PATTERN = r"^[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]{0,198}[^\s\x00-\x1f\x7f])?$"

RefSystem = Annotated[
    str,
    StringConstraints(pattern=SYSTEM_PATTERN),
    PydanticField(description="Lower-case name of the partner system, e.g. `ba`, `jobcenter`"),
]
RefId = Annotated[
    str,
    StringConstraints(pattern=REF_ID_PATTERN, max_length=200),
    PydanticField(description="The record's id in that system (1–200 printable characters)"),
]


class RefResource(StrEnum):
    participant = "participant"
    employer = "employer"
    vacancy = "vacancy"


class ExternalRefRow(SQLModel, table=True):
    __tablename__ = "external_ref"
    __table_args__ = (
        UniqueConstraint("resource", "system", "ref_id", name="uq_external_ref_system_id"),
        Index("ix_external_ref_owner", "resource", "resource_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    resource: str = Field(sa_column=Column(String(16), nullable=False))
    resource_id: int = Field(nullable=False)
    system: str = Field(max_length=32)
    ref_id: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class ExternalRef(StrictModel):
    """``{"system": "ba", "id": "10000-1199999999-S"}``."""

    system: RefSystem
    id: RefId


ExternalRefList = Annotated[
    list[ExternalRef],
    PydanticField(
        max_length=MAX_REFS_PER_RECORD,
        description="Ids of this record in partner systems; unique per system. A write replaces "
        "the references of the systems the caller may set and keeps the others.",
    ),
]
