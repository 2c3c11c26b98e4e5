"""A vacancy encoded against a ParticipantIndex for one ranking (mirrors person_query.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .constants import CEFR_INDEX, LICENCE_INDEX, TYPE_INDEX, shift_mask
from .formulas import DAY_NONE_HIGH, DAY_NONE_LOW, boxed_start, day
from .participant_index import ParticipantIndex
from .profiles import VacancyProfile
from .schedule import window_rows
from .vacancy_index import isco_parts


@dataclass
class VacancyQuery:
    """A vacancy encoded against one ParticipantIndex."""

    v: VacancyProfile
    type: int
    min_level: int
    occupation: int
    isco: tuple[int, int, int]
    field: int
    shifts: int
    hours: float
    start: int
    boxed_start: int  # formulas.boxed_start: where the start slack applies
    end: int
    valid_through: int
    licence: int
    langs: list[tuple[int, int]]
    windows: tuple  # (working time, kind bit, days, start, end) per window


def vacancy_query(v: VacancyProfile, ix: ParticipantIndex) -> VacancyQuery:
    """Encode a vacancy once per ranking (unknown vocabulary → -2, which matches nothing)."""
    return VacancyQuery(
        v=v,
        type=TYPE_INDEX[v.type],
        min_level=CEFR_INDEX[v.min_german_level],
        occupation=-1
        if v.occupation_code is None
        else ix.occupation_vocab.get(v.occupation_code, -2),
        isco=isco_parts(v.isco_group),
        field=-1 if v.field is None else ix.field_vocab.get(v.field, -2),
        shifts=shift_mask(v.shifts),
        hours=np.nan if v.hours_per_week is None else v.hours_per_week,
        start=day(v.start_date, missing=DAY_NONE_LOW),
        boxed_start=boxed_start(
            v.type, day(v.start_date, missing=DAY_NONE_LOW), v.end_date is not None
        ),
        end=day(v.end_date, missing=DAY_NONE_HIGH),
        valid_through=day(v.valid_through, missing=DAY_NONE_HIGH),
        licence=-1
        if v.driving_licence_required is None
        else LICENCE_INDEX[v.driving_licence_required],
        langs=[(ix.lang_vocab.get(lw.code, -2), CEFR_INDEX[lw.level]) for lw in v.languages_wanted],
        windows=tuple(window_rows(v.times)),
    )
