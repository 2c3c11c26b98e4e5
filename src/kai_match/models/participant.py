"""Participant: matching data, personal data kept apart, and child rows."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401  (naming convention first)
from kai_match.models.common import (
    BirthDate,
    CefrLevel,
    CourseState,
    GeoPoint,
    MunicipalityKey,
    ParticipantStatus,
    PatchModel,
    PlausibleDate,
    PostalCode,
    ResponseModel,
    ShortText,
    Site,
    StrictModel,
    utcnow,
)
from kai_match.models.external_ref import ExternalRef, ExternalRefList
from kai_match.models.parts import (
    AvailabilityIn,
    AvailabilityOut,
    ConsentIn,
    GermanSkillsIn,
    LanguageIn,
    MobilityIn,
    OccupationIn,
    OccupationOut,
    PreferencesIn,
    SkillIn,
    SkillOut,
    WorkPermitIn,
)


class Participant(SQLModel, table=True):
    """Matching data only; names and contact live in ``ParticipantPersonal``."""

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(unique=True, max_length=16)
    site: str = Field(index=True, max_length=32)
    counsellor: str | None = Field(default=None, max_length=200)
    status: str = Field(default=ParticipantStatus.active, index=True, max_length=16)
    german_level: str = Field(index=True, max_length=2)
    german_listening: str | None = Field(default=None, max_length=2)
    german_reading: str | None = Field(default=None, max_length=2)
    german_speaking: str | None = Field(default=None, max_length=2)
    german_writing: str | None = Field(default=None, max_length=2)
    expected_b1_date: date | None = None
    latin_literacy: bool = True
    course_state: str | None = Field(default=None, max_length=16)
    home_postal_code: str = Field(max_length=5)
    home_municipality_ags: str | None = Field(default=None, max_length=8)
    """The municipality the record names (when its postal code spans several), by AGS."""
    home_lat: float | None = None
    home_lon: float | None = None
    driving_licences: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    has_car: bool = False
    has_bike: bool = False
    max_commute_minutes: int = 45
    earliest_start: date | None = None
    hours_per_week: int | None = None
    shifts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    commitments: list[dict] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    """Weekly commitments in the stored form of models/schedule.py."""
    placement_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    fields_wanted: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    fields_excluded: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    work_permit_status: str = Field(default="approval_required", max_length=20)
    work_permit_valid_until: date | None = None
    work_permit_renewal_pending: bool = False
    work_permit_document: str | None = Field(default=None, max_length=24)
    consent_processing: bool = False
    consent_share_with_employers: bool = False
    consent_given_on: date | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    archived_at: datetime | None = Field(default=None, index=True)
    erased_at: datetime | None = None


class ParticipantPersonal(SQLModel, table=True):
    """Personal data: shown only to counsellors of the participant's site and admins."""

    __tablename__ = "participant_personal"

    participant_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True
        )
    )
    first_name: str = Field(max_length=200)
    last_name: str = Field(max_length=200)
    birth_date: date
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=50)


class ParticipantPseudonym(SQLModel, table=True):
    """The id one audience (an employer, a partner system, the analysts) knows a person by.

    Created the first time the audience is shown the person and kept from then on, so its lists
    stay stable for it while no two audiences share an id they could join their data on.
    """

    __tablename__ = "participant_pseudonym"
    __table_args__ = (UniqueConstraint("audience", "pseudonym"),)

    participant_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True
        )
    )
    audience: str = Field(primary_key=True, max_length=80)
    pseudonym: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow)


class ParticipantLanguage(SQLModel, table=True):
    __tablename__ = "participant_language"

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("participant.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    code: str = Field(max_length=2)
    level: str = Field(max_length=2)


class ParticipantSkill(SQLModel, table=True):
    __tablename__ = "participant_skill"

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("participant.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    name: str | None = Field(default=None, max_length=200)
    skill_id: str | None = Field(default=None, max_length=200, index=True)
    level: int = 2
    source: str = Field(default="self_reported", max_length=16)
    confidence: float | None = None


class ParticipantOccupation(SQLModel, table=True):
    __tablename__ = "participant_occupation"

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("participant.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    name: str | None = Field(default=None, max_length=200)
    code: str | None = Field(default=None, max_length=200)
    years: float = 0
    recognition: str = Field(default="none", max_length=16)
    recognition_expected: date | None = None
    confidence: float | None = None


class ParticipantCreate(StrictModel):
    """Body of ``POST /api/v1/participants``; little is required, profiles grow over weeks."""

    site: Site
    counsellor: ShortText | None = None
    first_name: ShortText
    last_name: ShortText
    birth_date: BirthDate
    email: ShortText | None = None
    phone: ShortText | None = PydanticField(None, max_length=50)
    german_level: CefrLevel
    german_skills: GermanSkillsIn = PydanticField(default_factory=GermanSkillsIn)
    expected_b1_date: PlausibleDate | None = None
    latin_literacy: bool = True
    course_state: CourseState | None = None
    other_languages: list[LanguageIn] = PydanticField(default_factory=list, max_length=20)
    skills: list[SkillIn] = PydanticField(default_factory=list, max_length=100)
    occupations: list[OccupationIn] = PydanticField(default_factory=list, max_length=30)
    home_postal_code: PostalCode
    home_municipality: MunicipalityKey | None = None
    home_location: GeoPoint | None = PydanticField(
        None, description="Home coordinates; used instead of the postal code's main place"
    )
    mobility: MobilityIn = PydanticField(default_factory=MobilityIn)
    availability: AvailabilityIn = PydanticField(default_factory=AvailabilityIn)
    preferences: PreferencesIn = PydanticField(default_factory=PreferencesIn)
    work_permit: WorkPermitIn = PydanticField(default_factory=WorkPermitIn)
    consent: ConsentIn = PydanticField(default_factory=ConsentIn)
    external_refs: ExternalRefList = PydanticField(default_factory=list)


class ParticipantUpdate(PatchModel):
    """Body of ``PATCH``: every field optional; nested parts and lists replace the stored ones."""

    patch_tables = (Participant, ParticipantPersonal)

    site: Site | None = None
    counsellor: ShortText | None = None
    status: ParticipantStatus | None = None
    first_name: ShortText | None = None
    last_name: ShortText | None = None
    birth_date: BirthDate | None = None
    email: ShortText | None = None
    phone: ShortText | None = PydanticField(None, max_length=50)
    german_level: CefrLevel | None = None
    german_skills: GermanSkillsIn | None = None
    expected_b1_date: PlausibleDate | None = None
    latin_literacy: bool | None = None
    course_state: CourseState | None = None
    other_languages: list[LanguageIn] | None = PydanticField(None, max_length=20)
    skills: list[SkillIn] | None = PydanticField(None, max_length=100)
    occupations: list[OccupationIn] | None = PydanticField(None, max_length=30)
    home_postal_code: PostalCode | None = None
    home_municipality: MunicipalityKey | None = None
    home_location: GeoPoint | None = None
    mobility: MobilityIn | None = None
    availability: AvailabilityIn | None = None
    preferences: PreferencesIn | None = None
    work_permit: WorkPermitIn | None = None
    consent: ConsentIn | None = None
    external_refs: ExternalRefList | None = None


class PseudonymOut(ResponseModel):
    """The id one audience was given for the person (docs/security.md, per-audience pseudonyms)."""

    audience: str = PydanticField(
        description="'employer:<id>', 'partner:<key or client>' or 'analyst'",
        examples=["employer:3"],
    )
    pseudonym: str = PydanticField(examples=["P-7KQ2MX9C"])
    created_at: datetime = PydanticField(description="When the audience was first shown it")


class ParticipantPublic(ResponseModel):
    """Full participant record as counsellors of its site see it."""

    id: int
    public_id: str
    site: str
    counsellor: str | None
    status: ParticipantStatus
    first_name: str
    last_name: str
    birth_date: date
    email: str | None
    phone: str | None
    german_level: CefrLevel
    german_skills: GermanSkillsIn
    expected_b1_date: date | None
    latin_literacy: bool
    course_state: CourseState | None
    other_languages: list[LanguageIn]
    skills: list[SkillOut]
    occupations: list[OccupationOut]
    home_postal_code: str
    home_municipality: str | None = PydanticField(
        description="Name of the municipality the record names, or null"
    )
    home_municipality_ags: str | None = PydanticField(description="Its AGS, or null")
    home_location: GeoPoint | None
    municipality: str | None = PydanticField(
        description="Where matching places the person: the named municipality, else the postal"
        " code's main municipality"
    )
    mobility: MobilityIn
    availability: AvailabilityOut
    preferences: PreferencesIn
    work_permit: WorkPermitIn
    consent: ConsentIn
    pseudonyms: list[PseudonymOut] = PydanticField(
        default_factory=list,
        description="The id each employer, partner system and the analysts know the person by",
    )
    external_refs: list[ExternalRef] = PydanticField(
        default_factory=list,
        description="Ids of the person in partner systems (e.g. the job centre's customer number)",
    )
    created_at: datetime
    updated_at: datetime


class SkillPseudonymous(ResponseModel):
    """A skill without the free text it was entered as (that text may name people or places)."""

    skill_id: str | None
    label: str | None
    level: int


class ParticipantPseudonymous(ResponseModel):
    """What analysts see (and everyone of an erased profile): no name, birth date, contact,
    origin or permit.

    For analysts ``public_id`` is their own pseudonym of the person, and site, municipality, age
    band and German level are generalised over the whole population until every combination of
    them is shared by at least five people (docs/security.md, analyst records).
    """

    public_id: str = PydanticField(description="For analysts: the analysts' pseudonym")
    site: str | None = PydanticField(description="Null where analysts' records are suppressed")
    status: ParticipantStatus
    german_level: str | None = PydanticField(
        description="CEFR level; for analysts possibly a band ('A1–A2', 'B1–B2', 'C1–C2',"
        " 'B1–C2') or null",
        examples=["A2", "A1–A2"],
    )
    skills: list[SkillPseudonymous]
    municipality: str | None = PydanticField(
        description="For analysts possibly the district ('Landkreis Leipzig') or null"
    )
    work_permitted: bool = PydanticField(description="Work allowed today without further approval")
    age_band: str | None = PydanticField(
        description="Ten-year band such as '25–34'; for analysts possibly a wider one"
        " ('under 25', '25–44', '45+'); null once erased",
        examples=["25–34"],
    )
