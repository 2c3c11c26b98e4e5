"""Working times against a person's week: which of a vacancy's shifts the person can work.

The programme's idea is work during the language course: German in the morning, work in the
afternoon. A person's week holds fixed *commitments* (the course while it runs, childcare,
others); a vacancy offers one or more *working times* (its shifts: an early shift Mon–Fri
06:00–14:00, or a work trial's daily hours), each a set of weekly windows. A working time fits
when the person works that kind of shift (their stated shifts) and no commitment running on the
placement's first day overlaps any of its windows widened by the commute there and back.
Employers with childcare-friendly hours let the day start later and end earlier by
``childcare_flex_minutes``, so childcare meets the window narrowed by that much.

Every formula broadcasts over numpy arrays, so both ranking directions and the per-pair texts
use the same arithmetic (docs/scoring.md, "schedule").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import NamedTuple

import numpy as np

from .constants import SHIFT_BIT, SHIFTS, shift_mask
from .formulas import DAY_NONE_HIGH, DAY_NONE_LOW
from .week import ALL_DAYS, DAY_MINUTES, WEEKDAYS, WEEKEND_DAYS, WeeklyTime, window

COMMITMENT_KINDS: tuple[str, ...] = ("course", "childcare", "other")
COMMITMENT_INDEX = {name: i for i, name in enumerate(COMMITMENT_KINDS)}
CHILDCARE = COMMITMENT_INDEX["childcare"]
MAX_WORKING_TIMES = 5
MAX_WINDOWS = 7
MAX_COMMITMENTS = 10

# The working times a shift name stands for when a vacancy states only names (and for rows
# stored before working times existed). Documented in docs/scoring.md.
SHIFT_TEMPLATES: dict[str, WeeklyTime] = {
    "early": window(WEEKDAYS, 6 * 60, 14 * 60),
    "day": window(WEEKDAYS, 8 * 60, 16 * 60 + 30),
    "late": window(WEEKDAYS, 14 * 60, 22 * 60),
    "night": window(WEEKDAYS, 22 * 60, 6 * 60),
    "weekend": window(WEEKEND_DAYS, 8 * 60, 16 * 60),
}

EARLY_BEFORE = 7 * 60  # a start before 7:00 means travelling before 6:00: an early shift
NIGHT_FROM = 20 * 60  # starting at 20:00 or later, or working past midnight: a night shift
LATE_AFTER = 19 * 60  # ending after 19:00: a late shift


class Commitment(NamedTuple):
    """A fixed weekly time of the person: a course, childcare or another commitment."""

    kind: str
    days: int
    start: int
    end: int
    valid_from: date | None = None
    valid_until: date | None = None


class WorkingTime(NamedTuple):
    """One way to work a vacancy (a shift): weekly windows that are all worked."""

    windows: tuple[WeeklyTime, ...]

    @property
    def kind(self) -> str:
        """The shift this working time is, by its hours (see `shift_kind`)."""
        return shift_kind(self.windows)


def window_kind(w: WeeklyTime) -> str:
    """Early, day, late or night by the hours of one window."""
    if w.start >= NIGHT_FROM or w.end > DAY_MINUTES or w.start < 4 * 60:
        return "night"
    if w.start < EARLY_BEFORE:
        return "early"
    if w.end > LATE_AFTER:
        return "late"
    return "day"


def shift_kind(windows: Iterable[WeeklyTime]) -> str:
    """The shift name of a working time: weekend when it is worked on Sat/Sun only, else the
    least convenient hours of its windows (night, early, late, day)."""
    ws = tuple(windows)
    days = 0
    for w in ws:
        days |= w.days
    if days and not days & ~WEEKEND_DAYS & ALL_DAYS:
        return "weekend"
    kinds = {window_kind(w) for w in ws}
    return next(k for k in ("night", "early", "late", "day") if k in kinds)


def working_times_for(shifts: Iterable[str]) -> tuple[WorkingTime, ...]:
    """The template working times of shift names, in the order of SHIFTS."""
    names = set(shifts)
    return tuple(WorkingTime((SHIFT_TEMPLATES[s],)) for s in SHIFTS if s in names)


def rotate_days(days, offset: int):
    """Bit d of the result is bit (d + offset) mod 7 of `days` (scalar or array)."""
    o = offset % 7
    return ((days >> o) | (days << (7 - o))) & ALL_DAYS


def overlaps(w_days, w_start, w_end, before, after, c_days, c_start, c_end) -> np.ndarray:
    """Whether a commitment meets a working window widened by `before`/`after` minutes.

    Windows and commitments may run past midnight, so the commitment is compared on the
    window's day and up to two days either side (days wrap round the week). Everything
    broadcasts; `before`/`after` are the commute minutes (minus any flexibility).
    """
    a = w_start - before
    b = w_end + after
    if all(isinstance(x, int | float) for x in (a, b, w_days, c_days, c_start, c_end)):
        # One pair (reason texts): the same comparisons in plain Python, ~30× faster there.
        return any(
            (w_days & rotate_days(c_days, offset)) != 0
            and a < offset * DAY_MINUTES + c_end
            and offset * DAY_MINUTES + c_start < b
            for offset in _OFFSETS
        )
    hit = np.zeros(np.broadcast_shapes(*(np.shape(x) for x in (a, b, c_days, w_days))), bool)
    for offset in _OFFSETS:
        same_day = (w_days & rotate_days(c_days, offset)) != 0
        shift = offset * DAY_MINUTES
        hit |= same_day & (a < shift + c_end) & (shift + c_start < b)
    return hit


_OFFSETS = (-2, -1, 0, 1, 2)


def active_on(valid_from: int, valid_until: int, day: int):
    """A commitment counts on the placement's first day (day numbers, sentinels for none)."""
    return (valid_from <= day) & (day <= valid_until)


def commitment_row(c: Commitment) -> tuple[int, int, int, int, int, int]:
    """A commitment as the engine's numbers: kind code, days, start, end, from and until days
    (sentinels for open ends). One encoding for the participant index and the person query."""
    return (
        COMMITMENT_INDEX[c.kind],
        c.days,
        c.start,
        c.end,
        DAY_NONE_LOW if c.valid_from is None else c.valid_from.toordinal(),
        DAY_NONE_HIGH if c.valid_until is None else c.valid_until.toordinal(),
    )


def window_rows(times: Iterable[WorkingTime]) -> Iterator[tuple[int, int, int, int, int]]:
    """Every window of a vacancy's working times: working time, its shift bit, days, start,
    end. One encoding for the vacancy index and the vacancy query."""
    for t, wt in enumerate(times):
        bit = SHIFT_BIT[wt.kind]
        for w in wt.windows:
            yield t, bit, w.days, w.start, w.end


def kind_ok(person_shifts, kind_bit):
    """The person works this kind of shift; a person with no shifts recorded works any."""
    return (person_shifts == 0) | ((person_shifts & kind_bit) != 0)


def popcount(mask) -> np.ndarray:
    """Number of set bits of small masks (working times fit, at most 5)."""
    return _POPCOUNT[mask]


_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << MAX_WORKING_TIMES)], dtype=np.int64)


class TimeFit(NamedTuple):
    """How one working time meets a person's week (for reason texts)."""

    time: WorkingTime
    kind_ok: bool
    clashes: tuple[Commitment, ...]

    @property
    def fits(self) -> bool:
        return self.kind_ok and not self.clashes


def pair_fits(
    p, v, minutes: float, first: date, childcare_flex_minutes: int
) -> tuple[TimeFit, ...]:
    """Each of the vacancy's working times against the person's week on the first day.

    The same arithmetic as the vectorised ranking (`overlaps`), one pair at a time.
    """
    person = shift_mask(p.shifts)
    result = []
    for wt in v.times:
        ok = bool(kind_ok(person, SHIFT_BIT[wt.kind]))
        clashes = []
        for c in p.commitments:
            *_, c_from, c_until = commitment_row(c)
            if not active_on(c_from, c_until, first.toordinal()):
                continue
            flex = childcare_flex_minutes if c.kind == "childcare" and v.childcare_friendly else 0
            pad = minutes - flex
            if any(
                overlaps(w.days, w.start, w.end, pad, pad, c.days, c.start, c.end)
                for w in wt.windows
            ):
                clashes.append(c)
        result.append(TimeFit(wt, ok, tuple(clashes)))
    return tuple(result)


def fits_from(p, v, minutes: float, first: date, childcare_flex_minutes: int) -> date | None:
    """The first day after `first` from which some working time fits because the commitments
    in its way have ended (a course that ends), or None when no ending commitment would help.
    """
    ends = sorted(
        {
            c.valid_until
            for c in p.commitments
            if c.valid_until is not None and c.valid_until >= first
        }
    )
    for end in ends:
        later = date.fromordinal(end.toordinal() + 1)
        if any(f.fits for f in pair_fits(p, v, minutes, later, childcare_flex_minutes)):
            return later
    return None
