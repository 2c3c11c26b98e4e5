"""Plain, immutable inputs of the matching engine: a participant's and a vacancy's matching data.

The service converts table rows into these; scoring never sees names, contact data or protected
attributes (gender, nationality, age are deliberately not fields). Values are validated here so
that a bad row fails loudly at conversion instead of silently skewing a ranking.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, NamedTuple

from .constants import (
    CEFR_INDEX,
    IMPORTANCE_INDEX,
    LICENCE_INDEX,
    MAX_SHUTTLE_RIDE_MINUTES,
    PARTICIPANT_STATUSES,
    PERMIT_DOCUMENTS,
    PERMIT_INDEX,
    RECOGNITION_STATES,
    SHIFT_BIT,
    SOURCE_INDEX,
    TYPE_INDEX,
    VACANCY_STATUSES,
)
from .schedule import (
    COMMITMENT_INDEX,
    MAX_COMMITMENTS,
    MAX_WINDOWS,
    MAX_WORKING_TIMES,
    Commitment,
    WorkingTime,
    working_times_for,
)
from .week import WeekError, WeeklyTime, window

RECOGNITION_INDEX = {state: i for i, state in enumerate(RECOGNITION_STATES)}
_DOCUMENT_INDEX = {document: i for i, document in enumerate(PERMIT_DOCUMENTS)}


class HeldSkill(NamedTuple):
    """A skill a participant has: level 1–4 and how we know it."""

    level: int
    source: str = "self_reported"


class Experience(NamedTuple):
    """A previous occupation: code (ESCO/KldB), ISCO-08 group (1–4 digits) and years, and
    the recognition of the qualification in it (RECOGNITION_STATES; pending: expected date)."""

    code: str | None
    isco_group: str | None = None
    years: float = 0.0
    recognition: str = "none"
    recognition_expected: date | None = None


class RequiredSkill(NamedTuple):
    """A skill a vacancy asks for, with importance must|should|nice and level 1–4.

    A `certificate` (a licence or permit, e.g. the forklift permit) is held or not: its level
    does not count, related skills do not stand in for it, and a must certificate held without
    `source: certified` is flagged `certificate_unproven`.
    """

    skill_id: str
    importance: str = "should"
    level: int = 1
    certificate: bool = False

    @property
    def level_needed(self) -> int:
        """The level the engine compares with: 1 for a certificate (held is enough)."""
        return 1 if self.certificate else self.level


class LanguageLevel(NamedTuple):
    """A language (ISO 639-1) at a CEFR level."""

    code: str
    level: str


class ShuttleStop(NamedTuple):
    """A pick-up place of the employer's shuttle and its ride to the workplace (minutes)."""

    lat: float
    lon: float
    ride_minutes: float
    transit: float = 0.0


def _fail(field_name: str, message: str) -> None:
    raise ValueError(f"{field_name}: {message}")


def _check_member(field_name: str, value: Any, allowed: Mapping[str, int]) -> None:
    if value not in allowed:
        _fail(field_name, f"{value!r} is not one of {', '.join(allowed)}")


def _check_geo(prefix: str, lat: float, lon: float, transit: float) -> None:
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        _fail(f"{prefix}lat", f"{lat!r} is not a latitude")
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
        _fail(f"{prefix}lon", f"{lon!r} is not a longitude")
    if not (0.0 <= transit <= 1.0):
        _fail(f"{prefix}transit", f"{transit!r} is not in [0, 1]")


def _check_isco(field_name: str, group: str | None) -> None:
    if group is not None and not (1 <= len(group) <= 4 and group.isdigit()):
        _fail(field_name, f"{group!r} is not an ISCO-08 group of 1–4 digits")


def _check_hours(field_name: str, hours: float | None) -> None:
    if hours is not None and not (0.0 < hours <= 80.0):
        _fail(field_name, f"{hours!r} is not in (0, 80]")


def _frozen(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


def _shifts(field_name: str, values: Iterable[str]) -> frozenset[str]:
    result = frozenset(values)
    for s in result:
        _check_member(field_name, s, SHIFT_BIT)
    return result


def _week(field_name: str, w: WeeklyTime) -> WeeklyTime:
    try:
        return window(*w)
    except WeekError as exc:
        _fail(field_name, str(exc))
        raise  # unreachable: _fail raises


def _commitments(values: Iterable[Commitment]) -> tuple[Commitment, ...]:
    result = tuple(Commitment(*c) for c in values)
    if len(result) > MAX_COMMITMENTS:
        _fail("commitments", f"at most {MAX_COMMITMENTS}")
    checked = []
    for i, c in enumerate(result):
        _check_member(f"commitments[{i}].kind", c.kind, COMMITMENT_INDEX)
        w = _week(f"commitments[{i}]", WeeklyTime(c.days, c.start, c.end % 1440))
        if c.valid_from and c.valid_until and c.valid_until < c.valid_from:
            _fail(f"commitments[{i}].valid_until", "is before valid_from")
        checked.append(c._replace(days=w.days, start=w.start, end=w.end))
    return tuple(checked)


def _working_times(values: Iterable[WorkingTime]) -> tuple[WorkingTime, ...]:
    result = tuple(WorkingTime(tuple(WeeklyTime(*w) for w in wt[0])) for wt in values)
    if len(result) > MAX_WORKING_TIMES:
        _fail("working_times", f"at most {MAX_WORKING_TIMES}")
    checked = []
    for i, wt in enumerate(result):
        if not 1 <= len(wt.windows) <= MAX_WINDOWS:
            _fail(f"working_times[{i}]", f"needs 1 to {MAX_WINDOWS} windows")
        windows = tuple(
            _week(f"working_times[{i}].windows[{j}]", WeeklyTime(w.days, w.start, w.end % 1440))
            for j, w in enumerate(wt.windows)
        )
        checked.append(WorkingTime(windows))
    return tuple(checked)


@dataclass(frozen=True, slots=True)
class ParticipantProfile:
    """Matching data of one participant (a competence profile without personal data)."""

    id: int
    german_level: str
    home_lat: float
    home_lon: float
    home_transit: float = 0.0
    expected_b1_date: date | None = None
    latin_literacy: bool = True
    other_languages: Mapping[str, str] = field(default_factory=dict)
    skills: Mapping[str, HeldSkill] = field(default_factory=dict)
    occupations: tuple[Experience, ...] = ()
    driving_licences: frozenset[str] = frozenset()
    has_car: bool = False
    has_bike: bool = False
    max_commute_minutes: float = 45.0
    earliest_start: date | None = None
    hours_per_week: float | None = None
    shifts: frozenset[str] = frozenset({"day"})
    placement_types: frozenset[str] = frozenset()
    fields_wanted: frozenset[str] = frozenset()
    fields_excluded: frozenset[str] = frozenset()
    work_permit: str = "approval_required"
    permit_valid_until: date | None = None
    permit_renewal_pending: bool = False
    permit_document: str | None = None
    """Which document the permit is (PERMIT_DOCUMENTS); only the texts use it."""
    consent_processing: bool = False
    share_with_employers: bool = False
    status: str = "active"
    commitments: tuple[Commitment, ...] = ()

    def __post_init__(self) -> None:
        _check_member("german_level", self.german_level, CEFR_INDEX)
        _frozen(self, "commitments", _commitments(self.commitments))
        _check_geo("home_", self.home_lat, self.home_lon, self.home_transit)
        langs = dict(self.other_languages)
        for code, level in langs.items():
            _check_member(f"other_languages.{code}", level, CEFR_INDEX)
        _frozen(self, "other_languages", MappingProxyType(langs))
        skills: dict[str, HeldSkill] = {}
        for skill_id, held in dict(self.skills).items():
            held = HeldSkill(*held)
            if not 1 <= held.level <= 4:
                _fail(f"skills.{skill_id}.level", f"{held.level!r} is not in 1..4")
            _check_member(f"skills.{skill_id}.source", held.source, SOURCE_INDEX)
            skills[skill_id] = held
        _frozen(self, "skills", MappingProxyType(skills))
        occupations = tuple(Experience(*o) for o in self.occupations)
        for i, occ in enumerate(occupations):
            _check_isco(f"occupations[{i}].isco_group", occ.isco_group)
            if not (occ.years >= 0.0):
                _fail(f"occupations[{i}].years", f"{occ.years!r} is negative")
            _check_member(f"occupations[{i}].recognition", occ.recognition, RECOGNITION_INDEX)
        _frozen(self, "occupations", occupations)
        licences = frozenset(self.driving_licences)
        for cls in licences:
            _check_member("driving_licences", cls, LICENCE_INDEX)
        _frozen(self, "driving_licences", licences)
        if not (self.max_commute_minutes > 0.0):
            _fail("max_commute_minutes", f"{self.max_commute_minutes!r} is not positive")
        _check_hours("hours_per_week", self.hours_per_week)
        _frozen(self, "shifts", _shifts("shifts", self.shifts))
        types = frozenset(self.placement_types)
        for t in types:
            _check_member("placement_types", t, TYPE_INDEX)
        _frozen(self, "placement_types", types)
        _frozen(self, "fields_wanted", frozenset(self.fields_wanted))
        _frozen(self, "fields_excluded", frozenset(self.fields_excluded))
        _check_member("work_permit", self.work_permit, PERMIT_INDEX)
        if self.permit_document is not None:
            _check_member("permit_document", self.permit_document, _DOCUMENT_INDEX)
        _check_member("status", self.status, dict.fromkeys(PARTICIPANT_STATUSES, 0))

    def __hash__(self) -> int:
        return hash(("participant", self.id))

    @property
    def has_car_access(self) -> bool:
        """Licence class B and an own car: what the commute model calls `car`."""
        return self.has_car and "B" in self.driving_licences


@dataclass(frozen=True, slots=True)
class VacancyProfile:
    """Matching data of one vacancy (work trial, internship, job, apprenticeship, EQ)."""

    id: int
    employer_id: int
    type: str
    min_german_level: str
    lat: float
    lon: float
    transit: float = 0.0
    german_tolerance: int = 0
    occupation_code: str | None = None
    isco_group: str | None = None
    field: str | None = None
    skills: tuple[RequiredSkill, ...] = ()
    languages_wanted: tuple[LanguageLevel, ...] = ()
    shifts: frozenset[str] = frozenset()
    hours_per_week: float | None = None
    openings_left: int = 1
    start_date: date | None = None
    end_date: date | None = None
    valid_through: date | None = None
    driving_licence_required: str | None = None
    status: str = "open"
    employer_offers_language_support: bool = False
    working_times: tuple[WorkingTime, ...] = ()
    shuttle: tuple[ShuttleStop, ...] = ()
    childcare_friendly: bool = False
    regulated: bool = False
    """A regulated occupation (e.g. Pflegefachkraft): only a person whose qualification in it
    (same occupation code or ISCO-08 unit group) is recognised, or pending, may work in it."""
    unverified: tuple[tuple[str, str], ...] = ()
    """Requirements no skill concept was found for, as (text, importance): they count as not
    covered and are flagged on every pair, never dropped silently."""
    times: tuple[WorkingTime, ...] = dataclasses.field(init=False, repr=False, compare=False)
    """The working times the engine uses: the stated ones, else the templates of `shifts`."""

    def __post_init__(self) -> None:
        _check_member("type", self.type, TYPE_INDEX)
        _check_member("min_german_level", self.min_german_level, CEFR_INDEX)
        _check_geo("", self.lat, self.lon, self.transit)
        if not 0 <= self.german_tolerance <= 5:
            _fail("german_tolerance", f"{self.german_tolerance!r} is not in 0..5")
        _check_isco("isco_group", self.isco_group)
        skills = tuple(RequiredSkill(*s) for s in self.skills)
        seen: set[str] = set()
        for i, s in enumerate(skills):
            _check_member(f"skills[{i}].importance", s.importance, IMPORTANCE_INDEX)
            if not 1 <= s.level <= 4:
                _fail(f"skills[{i}].level", f"{s.level!r} is not in 1..4")
            if s.skill_id in seen:
                _fail(f"skills[{i}].skill_id", f"{s.skill_id!r} is listed twice")
            seen.add(s.skill_id)
        _frozen(self, "skills", skills)
        langs = tuple(LanguageLevel(*lw) for lw in self.languages_wanted)
        codes: set[str] = set()
        for i, lw in enumerate(langs):
            _check_member(f"languages_wanted[{i}].level", lw.level, CEFR_INDEX)
            if lw.code in codes:
                _fail(f"languages_wanted[{i}].code", f"{lw.code!r} is listed twice")
            codes.add(lw.code)
        _frozen(self, "languages_wanted", langs)
        # Stated working times decide the shift names; names alone stand for their templates.
        stated = _working_times(self.working_times)
        _frozen(self, "working_times", stated)
        if stated:
            _frozen(self, "shifts", frozenset(wt.kind for wt in stated))
            _frozen(self, "times", stated)
        else:
            _frozen(self, "shifts", _shifts("shifts", self.shifts))
            _frozen(self, "times", working_times_for(self.shifts))
        stops = tuple(ShuttleStop(*s) for s in self.shuttle)
        for i, stop in enumerate(stops):
            _check_geo(f"shuttle[{i}].", stop.lat, stop.lon, stop.transit)
            if not 0.0 <= stop.ride_minutes <= MAX_SHUTTLE_RIDE_MINUTES:
                _fail(f"shuttle[{i}].ride_minutes", f"is not in 0..{MAX_SHUTTLE_RIDE_MINUTES}")
        _frozen(self, "shuttle", stops)
        unverified = tuple((str(text), str(imp)) for text, imp in self.unverified)
        for i, (_, imp) in enumerate(unverified):
            _check_member(f"unverified[{i}].importance", imp, IMPORTANCE_INDEX)
        _frozen(self, "unverified", unverified)
        _check_hours("hours_per_week", self.hours_per_week)
        if self.driving_licence_required is not None:
            _check_member("driving_licence_required", self.driving_licence_required, LICENCE_INDEX)
        _check_member("status", self.status, dict.fromkeys(VACANCY_STATUSES, 0))

    def __hash__(self) -> int:
        return hash(("vacancy", self.id))
