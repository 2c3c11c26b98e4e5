"""Vocabulary shared by all entities: CEFR levels, shifts, placement types, validators."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PastDate,
    StringConstraints,
    field_validator,
)

from kai_match.data.taxonomy.regulated import regulated_occupations
from kai_match.scoring.constants import (
    CEFR_LEVELS,
    IMPORTANCES,
    LICENCE_CLASSES,
    PARTICIPANT_STATUSES,
    PERMIT_DOCUMENTS,
    PLACEMENT_TYPES,
    SHIFTS,
    SKILL_SOURCES,
    VACANCY_STATUSES,
    WORK_PERMITS,
)


def vocabulary(name: str, values: tuple[str, ...]) -> type[StrEnum]:
    """A string enum whose members are ``values``, in their order.

    The matching engine defines each closed vocabulary once (``scoring.constants``: it stores
    their codes in its indexes); tables, schemas and services take the same values from here.
    """
    enum = StrEnum(name, [(value, value) for value in values])  # type: ignore[misc]
    enum.__module__ = __name__
    return enum


CefrLevel = vocabulary("CefrLevel", CEFR_LEVELS)
Shift = vocabulary("Shift", SHIFTS)
PlacementType = vocabulary("PlacementType", PLACEMENT_TYPES)
ParticipantStatus = vocabulary("ParticipantStatus", PARTICIPANT_STATUSES)
VacancyStatus = vocabulary("VacancyStatus", VACANCY_STATUSES)
WorkPermitStatus = vocabulary("WorkPermitStatus", WORK_PERMITS)
SkillSource = vocabulary("SkillSource", SKILL_SOURCES)
Importance = vocabulary("Importance", IMPORTANCES)
DrivingLicence = vocabulary("DrivingLicence", LICENCE_CLASSES)
PermitDocument = vocabulary("PermitDocument", PERMIT_DOCUMENTS)
RegulatedKey = vocabulary("RegulatedKey", tuple(regulated_occupations()))


class Site(StrEnum):
    borna = "borna"
    grimma = "grimma"
    markkleeberg = "markkleeberg"
    wurzen = "wurzen"


class Recognition(StrEnum):
    none = "none"
    pending = "pending"
    partial = "partial"
    full = "full"


class CourseState(StrEnum):
    not_started = "not_started"
    waiting = "waiting"
    attending = "attending"
    interrupted = "interrupted"
    completed = "completed"


class EmployerSupport(StrEnum):
    mentor = "mentor"
    multilingual_staff = "multilingual_staff"
    language_friendly_workplace = "language_friendly_workplace"
    language_course = "language_course"
    childcare_friendly_hours = "childcare_friendly_hours"
    transport = "transport"


# ISO 639-1 two-letter codes (the complete 2002 list plus later additions).
ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu
    cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi
    ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks
    ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl
    nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl
    sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve
    vi vo wa wo xh yi yo za zh zu""".split()  # noqa: SIM905
)

_POSTAL_CODE = re.compile(r"^\d{5}$")


def _check_language_code(value: str) -> str:
    code = value.strip().lower()
    if code not in ISO_639_1:
        raise ValueError("must be an ISO 639-1 language code such as 'ar', 'uk' or 'en'")
    return code


def _check_postal_code_format(value: str) -> str:
    if not _POSTAL_CODE.match(value):
        raise ValueError("must be a German postal code of 5 digits")
    return value


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _require_iso_date(value: object) -> object:
    """Pydantic reads numbers (even the query string "0") as Unix timestamps; a day is YYYY-MM-DD."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("must be a real calendar date in the form YYYY-MM-DD")


def _check_plausible_date(value: date) -> date:
    if not (1900 <= value.year <= 2100):
        raise ValueError("must be a date between 1900 and 2100")
    return value


LanguageCode = Annotated[str, AfterValidator(_check_language_code)]
# The pattern tells clients (and schemathesis) the form; whether the code exists is checked later.
PostalCode = Annotated[
    str,
    AfterValidator(_check_postal_code_format),
    Field(json_schema_extra={"pattern": "^[0-9]{5}$"}),
]
IsoDate = Annotated[date, BeforeValidator(_require_iso_date)]
# Ids are bounded (paths and bodies alike) by PostgreSQL's INTEGER: a larger one would be a 500.
MAX_RECORD_ID = 2**31 - 1
RecordId = Annotated[int, Field(ge=1, le=MAX_RECORD_ID)]
# The years 1900 to 2100 as the schema's pattern (JSON Schema has no minimum for a date), so
# clients and schemathesis know the range `_check_plausible_date` enforces.
PLAUSIBLE_DATE_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_PLAUSIBLE = Field(json_schema_extra={"pattern": PLAUSIBLE_DATE_PATTERN})
PlausibleDate = Annotated[IsoDate, AfterValidator(_check_plausible_date), _PLAUSIBLE]
BirthDate = Annotated[
    PastDate, BeforeValidator(_require_iso_date), AfterValidator(_check_plausible_date), _PLAUSIBLE
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
HoursPerWeek = Annotated[int, Field(ge=1, le=60)]
SkillLevel = Annotated[int, Field(ge=1, le=4)]
CommuteMinutes = Annotated[int, Field(ge=1, le=240)]


class StrictModel(BaseModel):
    """Input schemas reject unknown fields, so a typo never disappears silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        """PostgreSQL text cannot hold NUL; refuse it here, naming the field, on every backend."""
        if _has_nul(value):
            raise ValueError("must not contain the NUL character (U+0000)")
        return value


def non_null_columns(*tables: type) -> frozenset[str]:
    """Names of the columns of ``tables`` that may not hold null."""
    return frozenset(
        column.name
        for table in tables
        for column in table.__table__.columns  # type: ignore[attr-defined]
        if not column.nullable
    )


def _null_only_where_stored(schema: dict[str, Any], model: type) -> None:
    """A PATCH field stored in a non-null column is not nullable in the schema.

    The server refuses null for exactly these fields (``kit.patching.null_errors``, derived
    from the same columns), so the OpenAPI document and the answers agree without a list.
    """
    refused = non_null_columns(*getattr(model, "patch_tables", ()))
    for name, prop in schema.get("properties", {}).items():
        options = prop.get("anyOf")
        if name not in refused or options is None:
            continue
        rest = [option for option in options if option != {"type": "null"}]
        del prop["anyOf"]
        prop.pop("default", None)
        if len(rest) == 1:
            prop.update(rest[0])
        else:
            prop["anyOf"] = rest


GERMANY_LAT = (47.2, 55.1)
GERMANY_LON = (5.8, 15.1)
"""Bounding box of Germany (WGS84 degrees): a point outside it is a typo or swapped values."""

MunicipalityKey = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    Field(
        description="Official municipality key (AGS, 8 digits) or the municipality's name; it"
        " must be one of the municipalities of the postal code",
        examples=["14729245", "Lossatal"],
    ),
]


class GeoPoint(StrictModel):
    """Coordinates of a home or workplace (WGS84), more exact than its postal code."""

    lat: float = Field(ge=GERMANY_LAT[0], le=GERMANY_LAT[1], allow_inf_nan=False)
    lon: float = Field(ge=GERMANY_LON[0], le=GERMANY_LON[1], allow_inf_nan=False)


class PatchModel(StrictModel):
    """Body of a PATCH: every field optional; null only where the stored column allows it.

    ``patch_tables`` names the tables the fields are stored in. Fields that are no column
    (nested parts, child-row lists) stay nullable: the service says what null does to them
    (a list or part is left as it is, a vacancy's occupation is cleared).
    """

    model_config = ConfigDict(json_schema_extra=_null_only_where_stored)
    patch_tables: ClassVar[tuple[type, ...]] = ()


class ResponseModel(BaseModel):
    """Output schemas: built from stored rows that already passed the input checks.

    They keep ``extra="forbid"`` (the OpenAPI promises no other fields) but skip the NUL and
    whitespace checks of ``StrictModel``, which cost a third of a participant list's time.
    """

    model_config = ConfigDict(extra="forbid")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


def utcnow() -> datetime:
    return datetime.now(UTC)
