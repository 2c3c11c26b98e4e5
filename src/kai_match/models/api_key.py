"""API keys: a public prefix to find the row, an argon2 hash of the secret, a role and binding."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import (
    MAX_RECORD_ID,
    ResponseModel,
    ShortText,
    Site,
    StrictModel,
    utcnow,
)
from kai_match.models.external_ref import RefSystem


class Role(StrEnum):
    """What a caller may do; see docs/security.md for the table."""

    admin = "admin"
    counsellor = "counsellor"
    employer = "employer"
    partner = "partner"
    analyst = "analyst"


class ApiKey(SQLModel, table=True):
    """One key; the secret itself is never stored, only its argon2 hash."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    prefix: str = Field(unique=True, max_length=16)
    secret_hash: str = Field(max_length=200)
    role: str = Field(max_length=16)
    site: str | None = Field(default=None, max_length=32)
    employer_id: int | None = Field(default=None, index=True)
    label: str | None = Field(default=None, max_length=200)
    ref_systems: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    """Partner systems whose external references the key may set (admin keys: every one)."""
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str | None = Field(default=None, max_length=64)
    revoked_at: datetime | None = None


class ApiKeyCreate(StrictModel):
    """Body of ``POST /api/v1/api-keys``: counsellors need a site, employers an employer_id."""

    role: Role
    site: Site | None = None
    employer_id: int | None = PydanticField(None, ge=1, le=MAX_RECORD_ID)
    label: ShortText | None = PydanticField(
        None, description="What the key is for, e.g. 'Jobcenter Leipzig, nightly pull'"
    )
    ref_systems: list[RefSystem] = PydanticField(
        default_factory=list,
        max_length=10,
        description="Partner systems whose external references the key may set (`PUT "
        "…/by-ref/{system}/{id}`, `external_refs`, bulk import); admin keys may set every one",
    )


class ApiKeyPublic(ResponseModel):
    """A key as listed: never the secret."""

    id: int
    prefix: str
    role: Role
    site: Site | None
    employer_id: int | None
    label: str | None
    ref_systems: list[str]
    created_at: datetime
    created_by: str | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    """The answer to a creation: the only time the secret is shown."""

    key: str = PydanticField(description="Send as `Authorization: Bearer <key>`; shown once.")
