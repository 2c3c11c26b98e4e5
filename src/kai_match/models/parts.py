"""Nested parts of participant and vacancy bodies (stable v1 shapes, see README.md)."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from kai_match.models.common import (
    CefrLevel,
    CommuteMinutes,
    DrivingLicence,
    HoursPerWeek,
    Importance,
    LanguageCode,
    PermitDocument,
    PlacementType,
    PlausibleDate,
    Recognition,
    ResponseModel,
    Shift,
    ShortText,
    SkillLevel,
    SkillSource,
    StrictModel,
    WorkPermitStatus,
)
from kai_match.models.schedule import CommitmentList, CommitmentOut
from kai_match.scoring.constants import LICENCE_CLASSES


class LanguageIn(StrictModel):
    code: LanguageCode
    level: CefrLevel


class SkillIn(StrictModel):
    """A skill by free text (``name``, normalised by the service) or by taxonomy id."""

    name: ShortText | None = None
    skill_id: ShortText | None = None
    level: SkillLevel = 2
    source: SkillSource = SkillSource.self_reported

    @model_validator(mode="after")
    def _name_or_id(self) -> SkillIn:
        if self.name is None and self.skill_id is None:
            raise ValueError("give either name or skill_id")
        return self


class SkillOut(ResponseModel):
    name: str | None
    skill_id: str | None
    label: str | None = Field(None, description="Preferred German label of the chosen skill")
    level: int
    source: SkillSource
    confidence: float | None = Field(None, description="1.0 when given by id")
    normalized: bool
    certificate: bool = Field(
        False,
        description="A licence or certificate (e.g. the forklift permit): held or not, no "
        "levels; a must one held without source `certified` is flagged `certificate_unproven`",
    )


class RequiredSkillIn(StrictModel):
    name: ShortText | None = None
    skill_id: ShortText | None = None
    importance: Importance = Importance.should
    level: SkillLevel = 1

    @model_validator(mode="after")
    def _name_or_id(self) -> RequiredSkillIn:
        if self.name is None and self.skill_id is None:
            raise ValueError("give either name or skill_id")
        return self


class SkillSuggestion(ResponseModel):
    skill_id: str
    label: str
    confidence: float


class RequiredSkillOut(ResponseModel):
    name: str | None
    skill_id: str | None
    label: str | None = None
    importance: Importance
    level: int
    confidence: float | None = None
    normalized: bool
    certificate: bool = Field(
        False,
        description="A licence or certificate (e.g. the forklift permit): held or not, no "
        "levels; a must one held without source `certified` is flagged `certificate_unproven`",
    )
    suggestions: list[SkillSuggestion] = Field(
        default_factory=list,
        description="For a requirement no skill was recognised for (an unverified requirement, "
        "flagged on every ranking until it is mapped): the closest skills, best first",
    )


class OccupationIn(StrictModel):
    name: ShortText | None = None
    code: ShortText | None = None
    years: float = Field(0, ge=0, le=60)
    recognition: Recognition = Recognition.none
    recognition_expected: PlausibleDate | None = Field(
        None, description="When the decision on a pending recognition is expected"
    )

    @model_validator(mode="after")
    def _name_or_code(self) -> OccupationIn:
        if self.name is None and self.code is None:
            raise ValueError("give either name or code")
        if self.recognition_expected is not None and self.recognition != Recognition.pending:
            raise ValueError("recognition_expected is only for a pending recognition")
        return self


class OccupationOut(ResponseModel):
    name: str | None
    code: str | None
    label: str | None = None
    years: float
    recognition: Recognition
    recognition_expected: date | None = None
    confidence: float | None = None
    normalized: bool


class VacancyOccupationIn(StrictModel):
    name: ShortText | None = None
    code: ShortText | None = None

    @model_validator(mode="after")
    def _name_or_code(self) -> VacancyOccupationIn:
        if self.name is None and self.code is None:
            raise ValueError("give either name or code")
        return self


class VacancyOccupationOut(ResponseModel):
    name: str | None
    code: str | None
    label: str | None = None
    confidence: float | None = None
    normalized: bool


class MobilityIn(StrictModel):
    driving_licences: list[DrivingLicence] = Field(
        default_factory=list, max_length=len(LICENCE_CLASSES)
    )
    has_car: bool = False
    has_bike: bool = False
    max_commute_minutes: CommuteMinutes = 45


class AvailabilityIn(StrictModel):
    earliest_start: PlausibleDate | None = None
    hours_per_week: HoursPerWeek | None = None
    shifts: list[Shift] = Field(
        default_factory=lambda: [Shift.day],
        max_length=5,
        description="The kinds of shift the person works (a vacancy's other shifts do not fit)",
    )
    commitments: CommitmentList = Field(
        default_factory=list,
        description="Fixed weekly times: the course while it runs, childcare, other "
        "(a shift that meets one, including the commute, does not fit)",
    )


class AvailabilityOut(ResponseModel):
    earliest_start: date | None
    hours_per_week: int | None
    shifts: list[Shift]
    commitments: list[CommitmentOut]


class PreferencesIn(StrictModel):
    placement_types: list[PlacementType] = Field(default_factory=list, max_length=5)
    fields_wanted: list[ShortText] = Field(default_factory=list, max_length=20)
    fields_excluded: list[ShortText] = Field(default_factory=list, max_length=20)


class WorkPermitIn(StrictModel):
    status: WorkPermitStatus = WorkPermitStatus.approval_required
    valid_until: PlausibleDate | None = None
    renewal_pending: bool = False
    document: PermitDocument | None = Field(
        None,
        description="The document: residence_title (Aufenthaltstitel), permission_to_reside "
        "(Aufenthaltsgestattung), toleration (Duldung), fictional_certificate "
        "(Fiktionsbescheinigung); reasons name it",
    )


class ConsentIn(StrictModel):
    processing: bool = False
    share_with_employers: bool = False
    given_on: PlausibleDate | None = None


class GermanSkillsIn(StrictModel):
    """Per-skill CEFR levels where the counsellor knows them."""

    listening: CefrLevel | None = None
    reading: CefrLevel | None = None
    speaking: CefrLevel | None = None
    writing: CefrLevel | None = None


def dedupe(values: list) -> list:
    """Keep the first of each value, in order (sets from JSON lists)."""
    return list(dict.fromkeys(values))
