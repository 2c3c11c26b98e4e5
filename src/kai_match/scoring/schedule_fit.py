"""The schedule constraint and the shifts part of the preferences, in both ranking directions.

For each pair: which of the vacancy's working times fit the person (schedule.py), given the
commute minutes already found for the pair. A pair fails `schedule` when the vacancy states
working times and none fits; the share that fits is the preferences' shifts part. The
employer's shuttle joins the commute here too, because it is the engine's own mode: the commute
model knows nothing of employers.
"""

from __future__ import annotations

import numpy as np

from .constants import SHUTTLE_MODE
from .formulas import commute_off_peak
from .participant_index import ParticipantIndex
from .protocols import CommuteModel
from .schedule import CHILDCARE, active_on, kind_ok, overlaps, popcount
from .vacancy_index import VacancyIndex
from .weights import ScoringParams


def first_day(start, earliest, as_of_day: int):
    """The day the placement would begin: the vacancy's start, the person's, today."""
    return np.maximum(np.maximum(start, earliest), as_of_day)


def _result(n_times: np.ndarray, unfit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    fit = popcount(((1 << n_times.astype(np.int64)) - 1) & ~unfit)
    share = np.where(n_times == 0, 1.0, fit / np.maximum(n_times, 1))
    return (n_times > 0) & (fit == 0), share


def for_person(
    person_shifts: int,
    commitments: tuple,
    earliest: int,
    ix: VacancyIndex,
    rows: np.ndarray,
    minutes: np.ndarray,
    as_of_day: int,
    prm: ScoringParams,
) -> tuple[np.ndarray, np.ndarray]:
    """(schedule fails, share of working times that fit) per vacancy row, for one person.

    `commitments` are the person's as (kind code, days, start, end, from day, until day).
    """
    c = ix.cols
    n_times = c["n_times"][rows]
    unfit = np.zeros(len(rows), dtype=np.int64)
    pos, owner = ix.entries_of("windows", rows)
    if len(pos):
        e = ix.entries["windows"]
        bad = ~kind_ok(person_shifts, e["kind_bit"][pos])
        if commitments:
            days, start, end = e["days"][pos], e["start"][pos], e["end"][pos]
            begin = first_day(c["start"][rows], earliest, as_of_day)[owner]
            pad = minutes[owner]
            flex = np.where(c["childcare"][rows], prm.childcare_flex_minutes, 0)[owner]
            for kind, c_days, c_start, c_end, c_from, c_until in commitments:
                pad_c = pad - flex if kind == CHILDCARE else pad
                bad |= active_on(c_from, c_until, begin) & overlaps(
                    days, start, end, pad_c, pad_c, c_days, c_start, c_end
                )
        np.bitwise_or.at(unfit, owner[bad], np.left_shift(1, e["time"][pos][bad]))
    return _result(n_times, unfit)


def for_vacancy(
    windows: tuple,
    childcare: bool,
    start: int,
    ix: ParticipantIndex,
    rows: np.ndarray,
    minutes: np.ndarray,
    as_of_day: int,
    prm: ScoringParams,
) -> tuple[np.ndarray, np.ndarray]:
    """(schedule fails, share of working times that fit) per participant row, for one vacancy.

    `windows` are the vacancy's as (working time, kind bit, days, start, end).
    """
    c = ix.cols
    n = max((w[0] for w in windows), default=-1) + 1
    n_times = np.full(len(rows), n, dtype=np.int64)
    unfit = np.zeros(len(rows), dtype=np.int64)
    shifts = c["shifts"][rows].astype(np.int64)
    for time, kind_bit, *_ in windows:
        unfit |= np.where(kind_ok(shifts, kind_bit), 0, 1 << time)
    pos, owner = ix.entries_of("commitments", rows)
    if len(pos) and windows:
        e = ix.entries["commitments"]
        begin = first_day(start, c["earliest"][rows], as_of_day)[owner]
        active = active_on(e["valid_from"][pos], e["valid_until"][pos], begin)
        flex = prm.childcare_flex_minutes if childcare else 0
        pad = minutes[owner] - np.where(e["kind"][pos] == CHILDCARE, flex, 0)
        c_days, c_start, c_end = e["days"][pos], e["start"][pos], e["end"][pos]
        for time, _, w_days, w_start, w_end in windows:
            hit = active & overlaps(w_days, w_start, w_end, pad, pad, c_days, c_start, c_end)
            np.bitwise_or.at(unfit, owner[hit], 1 << time)
    return _result(n_times, unfit)


def shuttle_for_person(
    p, shifts_mask: int, ix: VacancyIndex, rows, minutes, modes, commute: CommuteModel
) -> tuple[np.ndarray, np.ndarray]:
    """Minutes and modes with the employer's shuttle where it is faster: the best way to a
    pick-up place plus the stated ride."""
    pos, owner = ix.entries_of("shuttle", rows)
    if not len(pos):
        return minutes, modes
    e = ix.entries["shuttle"]
    access, _ = commute.best_minutes(
        origin_lat=p.home_lat,
        origin_lon=p.home_lon,
        origin_transit=p.home_transit,
        dest_lat=e["lat"][pos],
        dest_lon=e["lon"][pos],
        dest_transit=e["transit"][pos],
        off_peak=commute_off_peak(shifts_mask, ix.cols["shifts"][rows][owner]),
        car=p.has_car_access,
        bike=p.has_bike,
    )
    return _take_shuttle(minutes, modes, owner, np.asarray(access) + e["ride"][pos])


def shuttle_for_vacancy(v, v_shifts: int, ix: ParticipantIndex, rows, minutes, modes, commute):
    """As `shuttle_for_person`, for every participant row and the one vacancy's stops."""
    if not v.shuttle or not len(rows):
        return minutes, modes
    c = ix.cols
    best = np.full(len(rows), np.inf)
    for stop in v.shuttle:
        access, _ = commute.best_minutes(
            origin_lat=c["home_lat"][rows],
            origin_lon=c["home_lon"][rows],
            origin_transit=c["home_transit"][rows],
            dest_lat=stop.lat,
            dest_lon=stop.lon,
            dest_transit=stop.transit,
            off_peak=commute_off_peak(c["shifts"][rows], v_shifts),
            car=c["car"][rows],
            bike=c["bike"][rows],
        )
        best = np.minimum(best, np.asarray(access) + stop.ride_minutes)
    return _take_shuttle(minutes, modes, np.arange(len(rows)), best)


def _take_shuttle(minutes, modes, owner, via) -> tuple[np.ndarray, np.ndarray]:
    best = np.full(len(minutes), np.inf)
    np.minimum.at(best, owner, via)
    faster = best < minutes
    if not faster.any():
        return minutes, modes
    return np.where(faster, best, minutes), np.where(faster, SHUTTLE_MODE, modes).astype(np.int8)
