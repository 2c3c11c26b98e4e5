"""Employer: a company that offers placements and the support it gives newcomers."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, EmailStr
from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import (
    EmployerSupport,
    PatchModel,
    PostalCode,
    ResponseModel,
    ShortText,
    StrictModel,
    utcnow,
)
from kai_match.models.external_ref import ExternalRef, ExternalRefList

_WZ_2008 = re.compile(r"^[A-U]([0-9]{2}(\.[0-9]{1,2}(\.[0-9])?)?)?$")


def _check_sector(value: str) -> str:
    if not _WZ_2008.match(value):
        raise ValueError("must be a WZ 2008 code such as 'H52.10' or 'Q87'")
    return value


# The pattern tells clients (and schemathesis) the form; the validator words the error.
SectorCode = Annotated[
    str,
    AfterValidator(_check_sector),
    PydanticField(json_schema_extra={"pattern": _WZ_2008.pattern}),
]


class Employer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    sector: str | None = Field(default=None, max_length=10)
    postal_code: str = Field(max_length=5)
    contact_name: str | None = Field(default=None, max_length=200)
    contact_email: str | None = Field(default=None, max_length=254)
    contact_phone: str | None = Field(default=None, max_length=50)
    support: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EmployerCreate(StrictModel):
    name: ShortText
    sector: SectorCode | None = None
    postal_code: PostalCode
    contact_name: ShortText | None = None
    contact_email: EmailStr | None = None
    contact_phone: ShortText | None = PydanticField(None, max_length=50)
    support: list[EmployerSupport] = PydanticField(default_factory=list, max_length=6)
    external_refs: ExternalRefList = PydanticField(default_factory=list)


class EmployerUpdate(PatchModel):
    patch_tables = (Employer,)

    name: ShortText | None = None
    sector: SectorCode | None = None
    postal_code: PostalCode | None = None
    contact_name: ShortText | None = None
    contact_email: EmailStr | None = None
    contact_phone: ShortText | None = PydanticField(None, max_length=50)
    support: list[EmployerSupport] | None = PydanticField(None, max_length=6)
    external_refs: ExternalRefList | None = None


class EmployerPublic(ResponseModel):
    id: int
    name: str
    sector: str | None
    postal_code: str
    municipality: str | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    support: list[EmployerSupport]
    external_refs: list[ExternalRef] = PydanticField(default_factory=list)
    created_at: datetime
    updated_at: datetime
