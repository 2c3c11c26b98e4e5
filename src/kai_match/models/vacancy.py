"""Vacancy: a work trial, internship, job, apprenticeship or entry qualification."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import (
    MAX_RECORD_ID,
    CefrLevel,
    DrivingLicence,
    GeoPoint,
    HoursPerWeek,
    LongText,
    MunicipalityKey,
    PatchModel,
    PlacementType,
    PlausibleDate,
    PostalCode,
    RegulatedKey,
    ResponseModel,
    Shift,
    ShortText,
    StrictModel,
    VacancyStatus,
    utcnow,
)
from kai_match.models.external_ref import ExternalRef, ExternalRefList
from kai_match.models.parts import (
    LanguageIn,
    RequiredSkillIn,
    RequiredSkillOut,
    VacancyOccupationIn,
    VacancyOccupationOut,
)
from kai_match.models.schedule import (
    ShuttleList,
    ShuttleStopOut,
    WorkingTimeList,
    WorkingTimeOut,
)

# The languages a person speaks hint at their origin: a vacancy names only the few its work
# needs, so that ranking against a long list cannot tell an employer which ones a person speaks.
MAX_LANGUAGES_WANTED = 3


class Vacancy(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("employer.id"), index=True, nullable=False)
    )
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    type: str = Field(index=True, max_length=24)
    occupation_name: str | None = Field(default=None, max_length=200)
    occupation_code: str | None = Field(default=None, max_length=200)
    occupation_confidence: float | None = None
    min_german_level: str = Field(max_length=2)
    german_tolerance: int = 0
    postal_code: str = Field(max_length=5)
    municipality_ags: str | None = Field(default=None, max_length=8)
    """The municipality the record names (when its postal code spans several), by AGS."""
    lat: float | None = None
    lon: float | None = None
    shifts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    """The shift names of ``working_times`` (kept equal to them by the service)."""
    working_times: list[dict] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    """Working times in the stored form of models/schedule.py."""
    shuttle: list[dict] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    """Pick-up places of the employer's shuttle: postal code, AGS, coordinates, ride minutes."""
    hours_per_week: int | None = None
    openings: int = 1
    start_date: date | None = None
    end_date: date | None = None
    driving_licence_required: str | None = Field(default=None, max_length=4)
    regulated_occupation: str | None = Field(default=None, max_length=40)
    """Key of a regulated occupation (data/taxonomy/regulated.py): recognition is a gate."""
    valid_through: date | None = None
    suitable_for_refugees: bool | None = None
    """The BA job search's flag (``fuerFluechtlingeGeeignet``); ``None``: not said."""
    status: str = Field(default=VacancyStatus.open, index=True, max_length=10)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class VacancySkill(SQLModel, table=True):
    __tablename__ = "vacancy_skill"

    id: int | None = Field(default=None, primary_key=True)
    vacancy_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("vacancy.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    name: str | None = Field(default=None, max_length=200)
    skill_id: str | None = Field(default=None, max_length=200, index=True)
    importance: str = Field(default="should", max_length=8)
    level: int = 1
    confidence: float | None = None


class VacancyLanguage(SQLModel, table=True):
    __tablename__ = "vacancy_language"

    id: int | None = Field(default=None, primary_key=True)
    vacancy_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("vacancy.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    code: str = Field(max_length=2)
    level: str = Field(max_length=2)


class VacancyCreate(StrictModel):
    """Body of ``POST /api/v1/vacancies``."""

    employer_id: int = PydanticField(ge=1, le=MAX_RECORD_ID)
    title: ShortText
    description: LongText | None = None
    type: PlacementType
    occupation: VacancyOccupationIn | None = None
    skills: list[RequiredSkillIn] = PydanticField(default_factory=list, max_length=50)
    min_german_level: CefrLevel
    german_tolerance: int = PydanticField(0, ge=0, le=5)
    languages_wanted: list[LanguageIn] = PydanticField(
        default_factory=list,
        max_length=MAX_LANGUAGES_WANTED,
        description=f"Other languages the work needs (at most {MAX_LANGUAGES_WANTED})",
    )
    postal_code: PostalCode
    municipality: MunicipalityKey | None = None
    location: GeoPoint | None = PydanticField(
        None, description="Workplace coordinates; used instead of the postal code's main place"
    )
    shifts: list[Shift] = PydanticField(
        default_factory=lambda: [Shift.day],
        max_length=5,
        description="Shift names; each stands for its usual hours unless working_times say more",
    )
    working_times: WorkingTimeList = PydanticField(
        default_factory=list,
        description="The real hours of each shift (or a work trial's daily hours); they decide "
        "`shifts`",
    )
    shuttle: ShuttleList = PydanticField(
        default_factory=list,
        description="Pick-up places of the firm's shuttle, which runs to every shift",
    )
    hours_per_week: HoursPerWeek | None = None
    openings: int = PydanticField(ge=1, le=1000)
    start_date: PlausibleDate | None = None
    end_date: PlausibleDate | None = None
    driving_licence_required: DrivingLicence | None = None
    regulated_occupation: RegulatedKey | None = PydanticField(
        None,
        description="A regulated occupation (key from GET /api/v1/taxonomy/regulated-occupations, "
        "e.g. `pflegefachkraft`): only people whose qualification in it is recognised (or "
        "pending, flagged) are eligible",
    )
    valid_through: PlausibleDate | None = None
    suitable_for_refugees: bool | None = PydanticField(
        None, description="The BA job search flags the vacancy as suitable for refugees"
    )
    external_refs: ExternalRefList = PydanticField(default_factory=list)


class VacancyUpdate(PatchModel):
    """Body of ``PATCH``: every field optional; lists replace the stored ones."""

    patch_tables = (Vacancy,)

    title: ShortText | None = None
    description: LongText | None = None
    type: PlacementType | None = None
    occupation: VacancyOccupationIn | None = None
    skills: list[RequiredSkillIn] | None = PydanticField(None, max_length=50)
    min_german_level: CefrLevel | None = None
    german_tolerance: int | None = PydanticField(None, ge=0, le=5)
    languages_wanted: list[LanguageIn] | None = PydanticField(None, max_length=MAX_LANGUAGES_WANTED)
    postal_code: PostalCode | None = None
    municipality: MunicipalityKey | None = None
    location: GeoPoint | None = None
    shifts: list[Shift] | None = PydanticField(None, max_length=5)
    working_times: WorkingTimeList | None = None
    shuttle: ShuttleList | None = None
    hours_per_week: HoursPerWeek | None = None
    openings: int | None = PydanticField(None, ge=1, le=1000)
    start_date: PlausibleDate | None = None
    end_date: PlausibleDate | None = None
    driving_licence_required: DrivingLicence | None = None
    regulated_occupation: RegulatedKey | None = PydanticField(
        None,
        description="A regulated occupation (key from GET /api/v1/taxonomy/regulated-occupations, "
        "e.g. `pflegefachkraft`): only people whose qualification in it is recognised (or "
        "pending, flagged) are eligible",
    )
    valid_through: PlausibleDate | None = None
    suitable_for_refugees: bool | None = None
    external_refs: ExternalRefList | None = None
    status: VacancyStatus | None = None


class PossibleDuplicate(ResponseModel):
    """A stored vacancy that is probably the same one, posted elsewhere (docs/partners.md)."""

    vacancy_id: int
    score: float = PydanticField(ge=0, le=1, description="1: certainly the same vacancy")


class VacancyPublic(ResponseModel):
    id: int
    employer_id: int
    title: str
    description: str | None
    type: PlacementType
    occupation: VacancyOccupationOut | None
    skills: list[RequiredSkillOut]
    min_german_level: CefrLevel
    german_tolerance: int
    languages_wanted: list[LanguageIn]
    postal_code: str
    municipality: str | None = PydanticField(
        description="The named municipality, else the postal code's main municipality"
    )
    municipality_ags: str | None = PydanticField(description="AGS of that municipality")
    location: GeoPoint | None
    shifts: list[Shift]
    working_times: list[WorkingTimeOut]
    shuttle: list[ShuttleStopOut]
    hours_per_week: int | None
    openings: int
    start_date: date | None
    end_date: date | None
    driving_licence_required: DrivingLicence | None
    regulated_occupation: str | None
    valid_through: date | None
    suitable_for_refugees: bool | None
    external_refs: list[ExternalRef]
    possible_duplicates: list[PossibleDuplicate] = PydanticField(
        default_factory=list,
        description="Only in the answer to a create: stored vacancies that are probably the "
        "same one (another employer record, another source); merge them with POST "
        "/vacancies/{id}/merge",
    )
    status: VacancyStatus
    created_at: datetime
    updated_at: datetime
