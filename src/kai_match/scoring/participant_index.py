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
from .index_base import BaseIndex, Put, Vocabulary
from .profiles import RECOGNITION_INDEX, ParticipantProfile
from .schedule import commitment_row
from .vacancy_index import isco_parts

_COMMITMENT_COLUMNS = ("kind", "days", "start", "end", "valid_from", "valid_until")


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
            "recognition": np.int8,  # RECOGNITION_STATES index
        },
        "wanted": {"row": np.int64, "field": np.int64},
        "excluded": {"row": np.int64, "field": np.int64},
        "commitments": {
            "row": np.int64,
            "kind": np.int8,
            "days": np.int64,
            "start": np.int64,
            "end": np.int64,
            "valid_from": np.int32,
            "valid_until": np.int32,
        },
    }

    def __init__(self, participants: Iterable[ParticipantProfile] = ()) -> None:
        self.occupation_vocab = Vocabulary()
        self.field_vocab = Vocabulary()
        self.lang_vocab = Vocabulary()
        self._max_commute = 0.0
        super().__init__(participants)

    def _encode(self, p: ParticipantProfile, row: int, put: Put, entries, skills) -> None:
        commitments = entries["commitments"]
        for c in p.commitments:
            commitments["row"](row)
            for name, value in zip(_COMMITMENT_COLUMNS, commitment_row(c), strict=True):
                commitments[name](value)
        for skill_id, held in p.skills.items():
            col = self.skill_vocab.id(skill_id)
            skills.append((row, col, SOURCE_INDEX[held.source] * 8 + held.level))
        langs = entries["langs"]
        for code, level in p.other_languages.items():
            langs["row"](row)
            langs["code"](self.lang_vocab.id(code))
            langs["level"](CEFR_INDEX[level])
        occupations = entries["occupations"]
        for occ in p.occupations:
            i4, i3, i2 = isco_parts(occ.isco_group)
            occupations["row"](row)
            occupations["code"](-1 if occ.code is None else self.occupation_vocab.id(occ.code))
            occupations["isco4"](i4)
            occupations["isco3"](i3)
            occupations["isco2"](i2)
            occupations["years"](occ.years)
            occupations["recognition"](RECOGNITION_INDEX[occ.recognition])
        for name, fields in (("wanted", p.fields_wanted), ("excluded", p.fields_excluded)):
            table = entries[name]
            for f in sorted(fields):
                table["row"](row)
                table["field"](self.field_vocab.id(f))
        licences = 0
        for cls in p.driving_licences:
            licences |= 1 << LICENCE_INDEX[cls]
        types = 0
        for t in p.placement_types:
            types |= 1 << TYPE_INDEX[t]
        self._max_commute = max(self._max_commute, p.max_commute_minutes)
        level = CEFR_INDEX[p.german_level]
        put["level"](level)
        put["b1_day"](
            day(p.expected_b1_date, missing=DAY_NONE_HIGH) if level < B1 else DAY_NONE_HIGH
        )
        put["literate"](p.latin_literacy)
        put["home_lat"](p.home_lat)
        put["home_lon"](p.home_lon)
        put["home_transit"](p.home_transit)
        put["licences"](licences)
        put["car"](p.has_car and CAR_LICENCE in p.driving_licences)
        put["bike"](p.has_bike)
        put["max_commute"](p.max_commute_minutes)
        put["earliest"](day(p.earliest_start, missing=DAY_NONE_LOW))
        put["hours"](np.nan if p.hours_per_week is None else p.hours_per_week)
        put["shifts"](shift_mask(p.shifts))
        put["types"](types)
        put["permit"](PERMIT_INDEX[p.work_permit])
        put["permit_until"](day(p.permit_valid_until, missing=DAY_NONE_HIGH))
        put["renewal"](p.permit_renewal_pending)
        put["consent"](p.consent_processing)
        put["share"](p.share_with_employers)
        put["active"](p.status == "active")
        put["n_wanted"](len(p.fields_wanted))

    @property
    def max_commute_minutes(self) -> float:
        """Largest commute limit ever indexed: bounds the radius of the spatial prefilter."""
        return self._max_commute
