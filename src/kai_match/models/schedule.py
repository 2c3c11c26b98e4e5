"""Weekly times in the API: a person's commitments, a vacancy's working times and shuttle.

Each weekly time is written either as a phrase ("when": "Mo–Fr 08:30–12:45", the way a
counsellor says it) or as days plus start and end; answers carry both. Stored as JSON in the
row, in the structured form (`stored_*`), and turned into the engine's types in
matching/inputs.py (`commitment_of`, `working_time_of`).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from kai_match.models.common import (
    GeoPoint,
    MunicipalityKey,
    PlausibleDate,
    PostalCode,
    ResponseModel,
    ShortText,
    StrictModel,
)
from kai_match.scoring.constants import MAX_SHUTTLE_RIDE_MINUTES, SHIFTS
from kai_match.scoring.schedule import (
    MAX_COMMITMENTS,
    MAX_WINDOWS,
    MAX_WORKING_TIMES,
    Commitment,
    WorkingTime,
    shift_kind,
    working_times_for,
)
from kai_match.scoring.week import (
    DAY_CODES,
    WeekError,
    WeeklyTime,
    clock_minutes,
    day_codes,
    days_mask,
    fmt,
    fmt_clock,
    parse,
    window,
)

MAX_SHUTTLE_STOPS = 5

ClockTime = Annotated[
    str,
    Field(
        pattern=r"^([01][0-9]|2[0-4]):(00|15|30|45)$",
        description="Time of day HH:MM in steps of 15 minutes; 24:00 is the end of the day",
        examples=["08:30"],
    ),
]


DayCode = StrEnum("DayCode", {code: code for code in DAY_CODES})
"""Weekday codes, Monday first (scoring.week.DAY_CODES)."""


class CommitmentKind(StrEnum):
    course = "course"
    childcare = "childcare"
    other = "other"


class WeeklyTimeIn(StrictModel):
    """A weekly time: a phrase in `when`, or `days` with `start` and `end`."""

    when: str | None = Field(
        None,
        max_length=100,
        description="Days and hours as people write them; German or English day names. "
        "An end before the start runs past midnight.",
        examples=["Mo–Fr 08:30–12:45", "Sa, So 22:00–06:00"],
    )
    days: list[DayCode] | None = Field(None, min_length=1, max_length=7)
    start: ClockTime | None = None
    end: ClockTime | None = None

    @field_validator("when")
    @classmethod
    def _readable(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse(value)
            except WeekError as exc:
                raise ValueError(str(exc)) from None
        return value

    @model_validator(mode="after")
    def _one_form(self) -> WeeklyTimeIn:
        parts = (self.days, self.start, self.end)
        if self.when is not None and any(x is not None for x in parts):
            raise ValueError("give either 'when' or 'days', 'start' and 'end', not both")
        if self.when is None and any(x is None for x in parts):
            raise ValueError("give 'when' (e.g. 'Mo–Fr 08:30–12:45') or 'days', 'start', 'end'")
        if self.when is None:
            try:
                self.weekly()
            except WeekError as exc:
                raise ValueError(str(exc)) from None
        return self

    def weekly(self) -> WeeklyTime:
        """The checked weekly time."""
        if self.when is not None:
            return parse(self.when)
        assert self.days is not None and self.start is not None and self.end is not None
        end = clock_minutes(self.end)
        return window(days_mask([str(d) for d in self.days]), clock_minutes(self.start), end)


class WeeklyTimeOut(ResponseModel):
    days: list[DayCode]
    start: str
    end: str
    when: str = Field(description="The same in words, German day names")


class CommitmentIn(WeeklyTimeIn):
    """A fixed weekly time of the person; a course counts only while it runs."""

    kind: CommitmentKind
    label: ShortText | None = Field(None, description="e.g. 'Integrationskurs VHS Grimma'")
    valid_from: PlausibleDate | None = Field(None, description="first day it applies")
    valid_until: PlausibleDate | None = Field(
        None, description="last day it applies, e.g. the course's end"
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> CommitmentIn:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until must not lie before valid_from")
        return self


class CommitmentOut(WeeklyTimeOut):
    kind: CommitmentKind
    label: str | None
    valid_from: date | None
    valid_until: date | None


class WorkingTimeIn(StrictModel):
    """One way to work the vacancy (a shift), e.g. the early shift: windows all worked."""

    label: ShortText | None = Field(None, description="e.g. 'Frühschicht'")
    windows: list[WeeklyTimeIn] = Field(min_length=1, max_length=MAX_WINDOWS)


class WorkingTimeOut(ResponseModel):
    label: str | None
    shift: str = Field(description="early, day, late, night or weekend, from the hours")
    windows: list[WeeklyTimeOut]


class ShuttleStopIn(StrictModel):
    """A pick-up place of the employer's shuttle; it runs to every shift of the vacancy."""

    postal_code: PostalCode
    municipality: MunicipalityKey | None = None
    location: GeoPoint | None = None
    ride_minutes: int = Field(ge=0, le=MAX_SHUTTLE_RIDE_MINUTES)


class ShuttleStopOut(ResponseModel):
    postal_code: str
    municipality: str | None
    ride_minutes: int


CommitmentList = Annotated[list[CommitmentIn], Field(max_length=MAX_COMMITMENTS)]
WorkingTimeList = Annotated[list[WorkingTimeIn], Field(max_length=MAX_WORKING_TIMES)]
ShuttleList = Annotated[list[ShuttleStopIn], Field(max_length=MAX_SHUTTLE_STOPS)]


# -- stored form (JSON in the row) ----------------------------------------------------------------


def _stored_week(w: WeeklyTime) -> dict[str, Any]:
    return {"days": day_codes(w.days), "start": fmt_clock(w.start), "end": fmt_clock(w.end)}


def _week_of(stored: dict[str, Any]) -> WeeklyTime:
    return window(
        days_mask(stored["days"]), clock_minutes(stored["start"]), clock_minutes(stored["end"])
    )


def stored_commitments(items: list[CommitmentIn]) -> list[dict[str, Any]]:
    """The JSON kept in ``participant.commitments``."""
    return [
        {
            **_stored_week(c.weekly()),
            "kind": str(c.kind),
            "label": c.label,
            "valid_from": c.valid_from.isoformat() if c.valid_from else None,
            "valid_until": c.valid_until.isoformat() if c.valid_until else None,
        }
        for c in items
    ]


def stored_working_times(items: list[WorkingTimeIn]) -> list[dict[str, Any]]:
    """The JSON kept in ``vacancy.working_times``."""
    return [
        {"label": t.label, "windows": [_stored_week(w.weekly()) for w in t.windows]} for t in items
    ]


def template_working_times(shifts: list[str]) -> list[dict[str, Any]]:
    """Stored working times standing for shift names (rows from before working times)."""
    return [
        {"label": None, "windows": [_stored_week(w) for w in t.windows]}
        for t in working_times_for(shifts)
    ]


def course_end(stored: list[dict[str, Any]]) -> date | None:
    """The last day of the person's course: the latest end of their course commitments."""
    ends = [c["valid_until"] for c in stored if c["kind"] == "course" and c.get("valid_until")]
    return date.fromisoformat(max(ends)) if ends else None


def commitment_of(stored: dict[str, Any]) -> Commitment:
    """The engine's commitment of a stored one."""
    w = _week_of(stored)
    return Commitment(
        stored["kind"],
        w.days,
        w.start,
        w.end,
        date.fromisoformat(stored["valid_from"]) if stored.get("valid_from") else None,
        date.fromisoformat(stored["valid_until"]) if stored.get("valid_until") else None,
    )


def working_time_of(stored: dict[str, Any]) -> WorkingTime:
    """The engine's working time of a stored one."""
    return WorkingTime(tuple(_week_of(w) for w in stored["windows"]))


def shifts_of(stored: list[dict[str, Any]]) -> list[str]:
    """Shift names of stored working times, in the order of the shift vocabulary."""
    kinds = {working_time_of(t).kind for t in stored}
    return [s for s in SHIFTS if s in kinds]


def _week_out(stored: dict[str, Any]) -> dict[str, Any]:
    return {
        "days": stored["days"],
        "start": stored["start"],
        "end": stored["end"],
        "when": fmt(_week_of(stored)),
    }


def commitments_out(stored: list[dict[str, Any]]) -> list[CommitmentOut]:
    """Answers for stored commitments."""
    return [
        CommitmentOut(
            **_week_out(c),
            kind=c["kind"],
            label=c.get("label"),
            valid_from=c.get("valid_from"),
            valid_until=c.get("valid_until"),
        )
        for c in stored
    ]


def working_times_out(stored: list[dict[str, Any]]) -> list[WorkingTimeOut]:
    """Answers for stored working times (the shift is read from the hours)."""
    return [
        WorkingTimeOut(
            label=t.get("label"),
            shift=shift_kind(_week_of(w) for w in t["windows"]),
            windows=[WeeklyTimeOut(**_week_out(w)) for w in t["windows"]],
        )
        for t in stored
    ]
