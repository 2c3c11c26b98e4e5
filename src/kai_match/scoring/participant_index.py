"""ParticipantIndex: participants as numpy columns, for ranking candidates for a vacancy."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .constants import (
    B1,
    CAR_LICENCE,
    CEFR_INDEX,
    LICENCE_INDEX,
    PERMIT_INDEX,
    SOURCE_INDEX,
    TYPE_INDEX,
    shift_mask,
)
from .formulas import DAY_NONE_HIGH, DAY_NONE_LOW, day
from .index_base import BaseIndex, Vocabulary
from .profiles import ParticipantProfile
from .vacancy_index import isco_parts


class ParticipantIndex(BaseIndex[ParticipantProfile]):
    """Columnar index of participants; keep it in step with writes via `upsert` and `remove`.

    Participants of any status may be upserted (the `status` constraint excludes inactive ones);
    removing archived or placed ones keeps the index small.
    """

    LAT = "home_lat"
    LON = "home_lon"
    ROW_DTYPES = {  # noqa: RUF012 - class-level schema
        "level": np.int8,
        "b1_day": np.int32,
        "literate": np.bool_,
        "home_lat": np.float64,
        "home_lon": np.float64,
        "home_transit": np.float64,
        "licences": np.int64,
        "car": np.bool_,
        "bike": np.bool_,
        "max_commute": np.float64,
        "earliest": np.int32,
        "hours": np.float64,
        "shifts": np.int8,
        "types": np.int8,
        "permit": np.int8,
        "permit_until": np.int32,
        "renewal": np.bool_,
        "consent": np.bool_,
        "share": np.bool_,
        "active": np.bool_,
        "n_wanted": np.int16,
    }
    ENTRY_DTYPES = {  # noqa: RUF012
        "langs": {"row": np.int64, "code": np.int64, "level": np.int8},
        "occupations": {
            "row": np.int64,
            "code": np.int64,
            "isco4": np.int16,
            "isco3": np.int16,
            "isco2": np.int16,
            "years": np.float64,
        },
        "wanted": {"row": np.int64, "field": np.int64},
        "excluded": {"row": np.int64, "field": np.int64},
    }

    def __init__(self, participants: Iterable[ParticipantProfile] = ()) -> None:
        self.occupation_vocab = Vocabulary()
        self.field_vocab = Vocabulary()
        self.lang_vocab = Vocabulary()
        self._max_commute = 0.0
        super().__init__(participants)

    def _encode(self, p: ParticipantProfile, row: int, entries, skills) -> tuple:
        for skill_id, held in p.skills.items():
            col = self.skill_vocab.id(skill_id)
            skills.append((row, col, SOURCE_INDEX[held.source] * 8 + held.level))
        for code, level in p.other_languages.items():
            entries["langs"].append((row, self.lang_vocab.id(code), CEFR_INDEX[level]))
        for occ in p.occupations:
            code = -1 if occ.code is None else self.occupation_vocab.id(occ.code)
            entries["occupations"].append((row, code, *isco_parts(occ.isco_group), occ.years))
        for f in sorted(p.fields_wanted):
            entries["wanted"].append((row, self.field_vocab.id(f)))
        for f in sorted(p.fields_excluded):
            entries["excluded"].append((row, self.field_vocab.id(f)))
        licences = 0
        for cls in p.driving_licences:
            licences |= 1 << LICENCE_INDEX[cls]
        types = 0
        for t in p.placement_types:
            types |= 1 << TYPE_INDEX[t]
        self._max_commute = max(self._max_commute, p.max_commute_minutes)
        level = CEFR_INDEX[p.german_level]
        return (
            level,
            day(p.expected_b1_date, missing=DAY_NONE_HIGH) if level < B1 else DAY_NONE_HIGH,
            p.latin_literacy,
            p.home_lat,
            p.home_lon,
            p.home_transit,
            licences,
            p.has_car and CAR_LICENCE in p.driving_licences,
            p.has_bike,
            p.max_commute_minutes,
            day(p.earliest_start, missing=DAY_NONE_LOW),
            np.nan if p.hours_per_week is None else p.hours_per_week,
            shift_mask(p.shifts),
            types,
            PERMIT_INDEX[p.work_permit],
            day(p.permit_valid_until, missing=DAY_NONE_HIGH),
            p.permit_renewal_pending,
            p.consent_processing,
            p.share_with_employers,
            p.status == "active",
            len(p.fields_wanted),
        )

    @property
    def max_commute_minutes(self) -> float:
        """Largest commute limit ever indexed: bounds the radius of the spatial prefilter."""
        return self._max_commute
