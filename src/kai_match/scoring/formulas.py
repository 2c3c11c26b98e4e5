"""Elementwise constraint and component formulas over numpy arrays.

Every function broadcasts: one side of the pair is usually a scalar (the person or vacancy being
ranked for) and the other an array over index rows, in either direction. The single source of the
arithmetic is docs/scoring.md; tests compare it with an independent per-pair reference.
Dates are integer day numbers (`date.toordinal()`); missing dates use the sentinels below.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np

from .constants import B1, OPEN_ENDED_TYPES, PEAK_MASK, RULE_INDEX, shift_mask
from .weights import ScoringParams

DAY_NONE_HIGH = 1 << 30  # a missing "until" date: never in the past (fits int32)
DAY_NONE_LOW = -(1 << 30)  # a missing "from" date: no restriction

DENY = RULE_INDEX["deny"]  # permit rule code that excludes


def day(d: date | None, *, missing: int) -> int:
    """Integer day of a date, or the sentinel for a missing one."""
    return missing if d is None else d.toordinal()


# -- hard constraints --------------------------------------------------------------------------


def b1_by_start(level, b1_day, start_eff) -> np.ndarray:
    """Below B1 today, but the B1 exam is expected on or before the placement starts."""
    return (level < B1) & (b1_day <= start_eff)


def language_fails(level, b1_ok, v_min, v_tol) -> np.ndarray:
    """More levels below the minimum than tolerated, counting an expected B1 as held."""
    eff = np.where(b1_ok, B1, level)
    return (v_min - eff) > v_tol


_EPOCH_DAY = date(1970, 1, 1).toordinal()


def permit_horizon(start_day):
    """The last day of the calendar quarter of ``start_day`` (day numbers, scalar or array).

    Employer views check a permit against this day instead of the start itself: moving a
    vacancy's start day by day must not tell an employer the day a candidate's permit ends,
    only at most the quarter.
    """
    days = np.asarray(start_day, dtype=np.int64) - _EPOCH_DAY
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    next_quarter = (months - months % 3 + 3).astype("datetime64[M]").astype("datetime64[D]")
    return next_quarter.astype(np.int64) - 1 + _EPOCH_DAY


def permit_horizon_date(start: date) -> date:
    """``permit_horizon`` for one date."""
    return date.fromordinal(int(permit_horizon(start.toordinal())))


def permit_fails(rule, valid_until, renewal_pending, start_eff) -> np.ndarray:
    """Rule 'deny', or a permit ending before the start without a pending renewal."""
    return (rule == DENY) | ((valid_until < start_eff) & np.logical_not(renewal_pending))


def boxed_start(placement_type: str, start: int, has_end: bool) -> int:
    """The start day the start slack applies to, or DAY_NONE_HIGH where it does not.

    Only a time-boxed vacancy (a work trial, internship, apprenticeship or entry qualification
    with a start date, or any vacancy with an end date) is lost by starting later than it does;
    an open-ended job is taken up whenever the person can start.
    """
    if start <= DAY_NONE_LOW or (placement_type in OPEN_ENDED_TYPES and not has_end):
        return DAY_NONE_HIGH
    return start


def dates_fail(as_of_day: int, valid_through, end, boxed, earliest, slack_days: int) -> np.ndarray:
    """Vacancy expired or ended, or time-boxed and starting (beyond the slack) before the
    person can start (`boxed`: `boxed_start` of the vacancy)."""
    available = np.maximum(earliest, as_of_day)
    late_start = (earliest > DAY_NONE_LOW) & (boxed + slack_days < earliest)
    return (valid_through < as_of_day) | (end < available) | late_start


def travel_shifts(person_mask, vacancy_mask):
    """The vacancy's shifts the commute is judged for (bitmask, scalar or array).

    The shifts the person can work, or — when the person can work none of them (or has none
    recorded) — all of the vacancy's shifts, its best case.
    """
    both = np.bitwise_and(person_mask, vacancy_mask)
    return np.where(both == 0, vacancy_mask, both)


def commute_off_peak(person_mask, vacancy_mask) -> np.ndarray:
    """Judge the commute off-peak only when none of the travel shifts is a peak shift.

    A vacancy without stated shifts counts as peak (daytime work).
    """
    shifts = travel_shifts(person_mask, vacancy_mask)
    return (shifts != 0) & (np.bitwise_and(shifts, PEAK_MASK) == 0)


def licence_fails(required, held_mask) -> np.ndarray:
    """A required licence class (code ≥ 0) that is not in the holder's bitmask."""
    held = np.asarray(held_mask, dtype=np.int64)
    bit = np.right_shift(held, np.maximum(required, 0).astype(np.int64)) & 1
    return (required >= 0) & (bit == 0)


def off_peak_for(person_shifts: Iterable[str], vacancy_shifts: Iterable[str]) -> bool:
    """`commute_off_peak` for one pair of shift names (routing one trip, reason texts)."""
    return bool(
        commute_off_peak(shift_mask(tuple(person_shifts)), shift_mask(tuple(vacancy_shifts)))
    )


# -- components ----------------------------------------------------------------------------------


def _language_base(gap, tol, p: ScoringParams) -> np.ndarray:
    within = 1.0 - p.language_gap_penalty * gap
    over = np.maximum(
        0.0, 1.0 - p.language_gap_penalty * tol - p.language_over_tolerance_penalty * (gap - tol)
    )
    return np.where(gap <= 0, 1.0, np.where(gap <= tol, within, over))


def language_raw(level, b1_ok, literate, v_min, v_tol, support, p: ScoringParams) -> np.ndarray:
    """Language value before the wanted-languages bonus and clipping."""
    gap = v_min - level
    base = _language_base(gap, v_tol, p)
    base_b1 = p.b1_expected_factor * _language_base(v_min - B1, v_tol, p)
    base = np.where(b1_ok, np.maximum(base, base_b1), base)
    return (
        base
        + np.where(support & (gap > 0), p.language_support_bonus, 0.0)
        - np.where(literate, 0.0, p.literacy_penalty)
    )


def language_value(level, b1_ok, literate, v_min, v_tol, support, langs_frac, p: ScoringParams):
    """CEFR gap against the minimum and tolerance, expected B1, support and wanted languages."""
    raw = language_raw(level, b1_ok, literate, v_min, v_tol, support, p)
    return np.clip(raw + p.languages_wanted_bonus * langs_frac, 0.0, 1.0)


def level_fit(held_level, required_level, p: ScoringParams) -> np.ndarray:
    """1 at or above the required level, minus a penalty per missing level."""
    short = np.maximum(0.0, 1.0 - p.skill_level_gap_penalty * (required_level - held_level))
    return np.where(held_level >= required_level, 1.0, short)


def commute_value(minutes, limit, p: ScoringParams) -> np.ndarray:
    """1 − (minutes / limit)^k, floored at 0; unreachable (inf/nan) is 0."""
    ratio = minutes / limit
    with np.errstate(invalid="ignore"):
        value = np.maximum(0.0, 1.0 - np.power(ratio, p.commute_exponent))
    return np.where(np.isfinite(minutes), value, 0.0)


def occupation_match(o_code, o_i4, o_i3, o_i2, o_years, v_code, v_i4, v_i3, v_i2, p):
    """Match strength of one previous occupation against the vacancy, scaled by experience."""
    m = np.maximum(
        np.maximum(
            np.where((o_code >= 0) & (o_code == v_code), p.occupation_same_code, 0.0),
            np.where((o_i4 >= 0) & (o_i4 == v_i4), p.occupation_isco4, 0.0),
        ),
        np.maximum(
            np.where((o_i3 >= 0) & (o_i3 == v_i3), p.occupation_isco3, 0.0),
            np.where((o_i2 >= 0) & (o_i2 == v_i2), p.occupation_isco2, 0.0),
        ),
    )
    experience = p.experience_floor + (1.0 - p.experience_floor) * np.minimum(
        1.0, o_years / p.experience_full_years
    )
    return m * experience


def occupation_value(best_match, vacancy_has_occupation, p: ScoringParams) -> np.ndarray:
    """Best previous-occupation match; neutral when the vacancy names no occupation."""
    return np.where(
        vacancy_has_occupation,
        np.maximum(p.occupation_no_match, best_match),
        p.occupation_neutral,
    )


def type_fit(types_mask, v_type) -> np.ndarray:
    """1 when the person wants any type (mask 0) or this one."""
    wanted = (np.right_shift(types_mask, v_type) & 1) == 1
    return np.where((types_mask == 0) | wanted, 1.0, 0.0)


def field_fit(excluded, has_wanted, wanted, p: ScoringParams, known=True) -> np.ndarray:
    """0 for an excluded field; wanted fields 1, others `field_not_wanted` if any are wanted;
    a vacancy whose field is not `known` counts `missing_neutral` where fields are wanted."""
    other = np.where(known, p.field_not_wanted, p.missing_neutral)
    return np.where(excluded, 0.0, np.where(has_wanted & ~wanted, other, 1.0))


def hours_fit(p_hours, v_hours, p: ScoringParams) -> np.ndarray:
    """Smaller over larger weekly hours; `missing_neutral` when either is unknown (NaN): an
    unknown is neither a match nor a mismatch."""
    unknown = np.isnan(p_hours) | np.isnan(v_hours)
    with np.errstate(invalid="ignore"):
        ratio = np.minimum(p_hours, v_hours) / np.maximum(p_hours, v_hours)
    return np.where(unknown, p.missing_neutral, ratio)


def shifts_fit(share, n_times, p: ScoringParams) -> np.ndarray:
    """The share of working times that fit; `missing_neutral` for a vacancy without any."""
    return np.where(n_times == 0, p.missing_neutral, share)


def start_fit(earliest, start, as_of_day: int, p: ScoringParams) -> np.ndarray:
    """1 when the vacancy starts when the person can, falling to 0 over `start_horizon_days`."""
    gap = np.abs(np.maximum(start, as_of_day) - np.maximum(earliest, as_of_day))
    return np.maximum(0.0, 1.0 - gap / p.start_horizon_days)


def preference_value(t_fit, f_fit, h_fit, s_fit, st_fit, p: ScoringParams) -> np.ndarray:
    """Weighted mean of type, field, hours, shifts and start fit."""
    w = p.preference_weights
    total = w["type"] + w["field"] + w["hours"] + w["shifts"] + w["start"]
    return (
        w["type"] * t_fit
        + w["field"] * f_fit
        + w["hours"] * h_fit
        + w["shifts"] * s_fit
        + w["start"] * st_fit
    ) / total


def combine(
    values: Mapping[str, np.ndarray], shares: Mapping[str, float]
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Contributions (points) per component and their sum, the score 0–100, by name.

    Summed in the order of `values` (the registry's), so scores are reproducible to the bit.
    """
    if values.keys() != shares.keys():
        raise ValueError(f"components differ: {sorted(values)} vs {sorted(shares)}")
    contributions = {name: shares[name] * v * 100.0 for name, v in values.items()}
    parts = iter(contributions.values())
    score = next(parts)
    for c in parts:
        score = score + c
    return contributions, score
