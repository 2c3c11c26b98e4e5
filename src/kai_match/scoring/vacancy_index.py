"""VacancyIndex: the region's vacancies as numpy columns, for ranking vacancies for a person."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import scipy.sparse as sp

from .constants import (
    CEFR_INDEX,
    IMPORTANCE_INDEX,
    IMPORTANCES,
    LICENCE_INDEX,
    TYPE_INDEX,
    shift_mask,
)
from .formulas import DAY_NONE_HIGH, DAY_NONE_LOW, boxed_start, day
from .index_base import BaseIndex, Put, Vocabulary
from .profiles import VacancyProfile
from .protocols import RelatedSkills
from .schedule import window_rows

_WINDOW_COLUMNS = ("time", "kind_bit", "days", "start", "end")
_MUST, _SHOULD, _NICE = (IMPORTANCE_INDEX[i] for i in ("must", "should", "nice"))


def isco_parts(group: str | None) -> tuple[int, int, int]:
    """ISCO-08 group as comparable ints for its 4-, 3- and 2-digit levels (-1 = not given)."""
    if group is None:
        return -1, -1, -1
    return (
        int(group) if len(group) >= 4 else -1,
        int(group[:3]) if len(group) >= 3 else -1,
        int(group[:2]) if len(group) >= 2 else -1,
    )


def lang_key(level: int, tolerance: int, support: bool) -> int:
    """Minimum level, tolerance and language support packed into 0..71."""
    return (level * 6 + tolerance) * 2 + int(support)


class VacancyIndex(BaseIndex[VacancyProfile]):
    """Columnar index of vacancies; keep it in step with writes via `upsert` and `remove`.

    Vacancies of any status may be upserted (the `status` constraint excludes non-open ones), but
    removing filled or closed vacancies keeps the index small. Skills are held as sparse
    vacancy × skill entries; `skill_matrices()` returns them as scipy CSR matrices.
    """

    ROW_DTYPES = {  # noqa: RUF012 - class-level schema
        "employer": np.int64,
        "type": np.int8,
        "min_level": np.int8,
        "tolerance": np.int8,
        "lat": np.float64,
        "lon": np.float64,
        "transit": np.float64,
        "occupation": np.int64,
        "has_occupation": np.bool_,
        "isco4": np.int16,
        "isco3": np.int16,
        "isco2": np.int16,
        "field": np.int64,
        "shifts": np.int8,
        "hours": np.float64,
        "openings": np.int64,
        "start": np.int32,
        "end": np.int32,
        "valid_through": np.int32,
        "licence": np.int8,
        "open": np.bool_,
        "support": np.bool_,
        "n_must": np.int16,
        "n_should": np.int16,
        "n_nice": np.int16,
        "n_langs": np.int16,
        "u_must": np.int16,  # unverified requirements by importance (count as not covered)
        "u_should": np.int16,
        "u_nice": np.int16,
        # Derived keys, so that per-query work is table look-ups (see for_participant.py).
        "boxed_start": np.int32,  # start of a time-boxed vacancy, else far future (start slack)
        "lang_floor": np.int8,  # lowest accepted German level: minimum - tolerance
        "lang_key": np.int16,  # (minimum, tolerance, language support) as one small int
        "ts_key": np.int16,  # (type, shift mask) as one small int
        "type_bit": np.int8,  # 1 << type
        "licence_bit": np.int32,  # 1 << required licence class, 0 = none
        "n_times": np.int8,  # working times (shifts) offered
        "childcare": np.bool_,  # childcare-friendly hours
        "regulated": np.bool_,  # a regulated occupation (recognition.py)
    }
    ENTRY_DTYPES = {  # noqa: RUF012
        "langs": {"row": np.int64, "code": np.int64, "level": np.int8},
        # One entry per window of a working time: which working time, its shift kind (bit).
        "windows": {
            "row": np.int64,
            "time": np.int64,
            "kind_bit": np.int64,
            "days": np.int64,
            "start": np.int64,
            "end": np.int64,
        },
        "shuttle": {
            "row": np.int64,
            "lat": np.float64,
            "lon": np.float64,
            "transit": np.float64,
            "ride": np.float64,
        },
    }

    def __init__(self, vacancies: Iterable[VacancyProfile] = ()) -> None:
        self.occupation_vocab = Vocabulary()
        self.field_vocab = Vocabulary()
        self.lang_vocab = Vocabulary()
        self._required: set[int] = set()
        self._certificates: set[int] = set()  # skill columns that are certificates
        self._related_fn: RelatedSkills | None = None
        self._related_done: set[int] = set()
        self._reverse: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._reverse_lists: dict[int, list[tuple[int, float]]] = {}
        self._importance_totals: dict[tuple[float, ...], np.ndarray] = {}
        self._static_ok: dict[int, np.ndarray] = {}
        super().__init__(vacancies)

    def _changed(self) -> None:
        super()._changed()
        self._importance_totals = {}
        self._static_ok: dict[int, np.ndarray] = {}

    def static_ok(self, as_of_day: int) -> np.ndarray:
        """Live, open rows with openings that have not expired or ended by `as_of_day`.

        The part of the status, openings and dates constraints that does not depend on the
        participant; cached per day until the next write. Do not modify the result.
        """
        ok = self._static_ok.get(as_of_day)
        if ok is None:
            c = self.cols
            ok = c["alive"] & c["open"] & (c["openings"] >= 1)
            ok &= (c["valid_through"] >= as_of_day) & (c["end"] >= as_of_day)
            self._static_ok = {as_of_day: ok}
        return ok

    def importance_total(self, weights: Mapping[str, float]) -> np.ndarray:
        """Per row, the sum of importance weights of its skills (cached per weights)."""
        key = tuple(weights[i] for i in IMPORTANCES)
        total = self._importance_totals.get(key)
        if total is None:
            c = self.cols
            total = (
                key[0] * (c["n_must"] + c["u_must"])
                + key[1] * (c["n_should"] + c["u_should"])
                + key[2] * (c["n_nice"] + c["u_nice"])
            )
            self._importance_totals[key] = total
        return total

    def _encode(self, v: VacancyProfile, row: int, put: Put, entries, skills) -> None:
        counts = [0, 0, 0]
        for s in v.skills:
            col = self.skill_vocab.id(s.skill_id)
            imp = IMPORTANCE_INDEX[s.importance]
            counts[imp] += 1
            skills.append((row, col, imp * 8 + s.level_needed))
            self._required.add(col)
            if s.certificate and col not in self._certificates:
                self._certificates.add(col)
                if col in self._related_done:  # relations cached before it was a certificate
                    self.clear_related()
        langs = entries["langs"]
        for lw in v.languages_wanted:
            langs["row"](row)
            langs["code"](self.lang_vocab.id(lw.code))
            langs["level"](CEFR_INDEX[lw.level])
        windows = entries["windows"]
        for values in window_rows(v.times):
            windows["row"](row)
            for name, value in zip(_WINDOW_COLUMNS, values, strict=True):
                windows[name](value)
        shuttle = entries["shuttle"]
        for stop in v.shuttle:
            shuttle["row"](row)
            shuttle["lat"](stop.lat)
            shuttle["lon"](stop.lon)
            shuttle["transit"](stop.transit)
            shuttle["ride"](stop.ride_minutes)
        i4, i3, i2 = isco_parts(v.isco_group)
        level = CEFR_INDEX[v.min_german_level]
        shifts = shift_mask(v.shifts)
        kind = TYPE_INDEX[v.type]
        licence = (
            -1 if v.driving_licence_required is None else LICENCE_INDEX[v.driving_licence_required]
        )
        start = day(v.start_date, missing=DAY_NONE_LOW)
        put["employer"](v.employer_id)
        put["type"](kind)
        put["min_level"](level)
        put["tolerance"](v.german_tolerance)
        put["lat"](v.lat)
        put["lon"](v.lon)
        put["transit"](v.transit)
        put["occupation"](
            -1 if v.occupation_code is None else self.occupation_vocab.id(v.occupation_code)
        )
        put["has_occupation"](v.occupation_code is not None or v.isco_group is not None)
        put["isco4"](i4)
        put["isco3"](i3)
        put["isco2"](i2)
        put["field"](-1 if v.field is None else self.field_vocab.id(v.field))
        put["shifts"](shifts)
        put["hours"](np.nan if v.hours_per_week is None else v.hours_per_week)
        put["openings"](v.openings_left)
        put["start"](start)
        put["end"](day(v.end_date, missing=DAY_NONE_HIGH))
        put["valid_through"](day(v.valid_through, missing=DAY_NONE_HIGH))
        put["licence"](licence)
        put["open"](v.status == "open")
        put["support"](v.employer_offers_language_support)
        put["n_must"](counts[_MUST])
        put["n_should"](counts[_SHOULD])
        put["n_nice"](counts[_NICE])
        put["n_langs"](len(v.languages_wanted))
        for imp in IMPORTANCES:
            put[f"u_{imp}"](sum(1 for _, i in v.unverified if i == imp))
        put["boxed_start"](boxed_start(v.type, start, v.end_date is not None))
        put["lang_floor"](level - v.german_tolerance)
        put["lang_key"](lang_key(level, v.german_tolerance, v.employer_offers_language_support))
        put["ts_key"](kind * 32 + shifts)
        put["type_bit"](1 << kind)
        put["licence_bit"](0 if licence < 0 else 1 << licence)
        put["n_times"](len(v.times))
        put["childcare"](v.childcare_friendly)
        put["regulated"](v.regulated)

    def related_reverse(
        self, related: RelatedSkills | None
    ) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """For each skill r: the required skills s with `related(s)[r] > 0`, and those values.

        Computed once per required skill and cached while the same (equal) callable is
        passed; call `clear_related()` when the taxonomy behind it changes.
        """
        if related is None:
            return {}
        if self._related_fn is None or self._related_fn != related:
            self.clear_related()
            self._related_fn = related
        new = self._required - self._related_done
        if new:
            vocab = self.skill_vocab
            names = list(vocab)
            touched: set[int] = set()
            for s in sorted(new - self._certificates):  # no stand-ins for a certificate
                for other, sim in related(names[s]).items():
                    if other == names[s] or not sim > 0.0:
                        continue
                    r = vocab.id(other)
                    self._reverse_lists.setdefault(r, []).append((s, float(sim)))
                    touched.add(r)
            self._related_done |= new
            for r in touched:
                links = self._reverse_lists[r]
                self._reverse[r] = (
                    np.array([s for s, _ in links], dtype=np.int64),
                    np.array([w for _, w in links], dtype=np.float64),
                )
        return self._reverse

    def clear_related(self) -> None:
        """Forget cached skill relations (after a taxonomy reload)."""
        self._related_fn = None
        self._related_done = set()
        self._reverse_lists: dict[int, list[tuple[int, float]]] = {}
        self._reverse = {}

    def skill_matrices(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Rows × skills: importance codes (1 must, 2 should, 3 nice) and required levels."""
        n, v = self.cols.n, len(self.skill_vocab)
        code = self.skills.coo["code"].astype(np.int64)
        return self.skills.matrix(n, v, (code >> 3) + 1), self.skills.matrix(n, v, code & 7)
