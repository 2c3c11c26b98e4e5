"""Candidates for one vacancy: the vacancy is a scalar query, participants are index rows.

Mirrors for_participant.py with the roles swapped; the formulas are the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .constants import (
    CEFR_INDEX,
    IMPORTANCE_INDEX,
    LICENCE_INDEX,
    OFF_PEAK_SHIFTS,
    SKILL_SOURCES,
    TYPE_INDEX,
    shift_mask,
)
from .evaluation import (
    HARD_ROW,
    Evaluation,
    RowView,
    Survivors,
    as_row_arrays,
    empty_survivors,
    hard_matrix,
    permit_table,
)
from .formulas import (
    DAY_NONE_HIGH,
    DAY_NONE_LOW,
    b1_by_start,
    combine,
    commute_value,
    dates_fail,
    day,
    field_fit,
    hours_fit,
    language_fails,
    language_value,
    level_fit,
    licence_fails,
    occupation_match,
    occupation_value,
    permit_fails,
    preference_value,
    shift_fit,
    start_fit,
    type_fit,
)
from .participant_index import ParticipantIndex
from .profiles import VacancyProfile
from .protocols import CommuteModel, RelatedSkills
from .vacancy_index import isco_parts
from .weights import WeightProfile


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
    off_peak: bool
    hours: float
    start: int
    end: int
    valid_through: int
    licence: int
    langs: list[tuple[int, int]]


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
        off_peak=bool(v.shifts & OFF_PEAK_SHIFTS),
        hours=np.nan if v.hours_per_week is None else v.hours_per_week,
        start=day(v.start_date, missing=DAY_NONE_LOW),
        end=day(v.end_date, missing=DAY_NONE_HIGH),
        valid_through=day(v.valid_through, missing=DAY_NONE_HIGH),
        licence=-1
        if v.driving_licence_required is None
        else LICENCE_INDEX[v.driving_licence_required],
        langs=[(ix.lang_vocab.get(lw.code, -2), CEFR_INDEX[lw.level]) for lw in v.languages_wanted],
    )


def cheap_fails(q: VacancyQuery, col: RowView, profile, as_of_day: int, employer_view: bool):
    """Constraints that need no commute or skills, plus B1-by-start and permit rule per row.

    Scalars (`True`/`False`) stand for "every row"; callers skip `False`.
    """
    v = q.v
    start_eff = max(q.start, as_of_day)
    level = col("level")
    rule = permit_table(profile)[q.type][col("permit")]
    b1_ok = b1_by_start(level, col("b1_day"), start_eff)
    consent = ~col("consent")
    if employer_view:
        consent |= ~col("share")
    fails = {
        "status": True if v.status != "open" else ~col("active"),
        "openings": v.openings_left < 1,
        "dates": dates_fail(
            as_of_day,
            q.valid_through,
            q.end,
            q.start,
            col("earliest"),
            profile.params.start_slack_days,
        ),
        "work_permit": permit_fails(rule, col("permit_until"), col("renewal"), start_eff),
        "driving_licence": licence_fails(q.licence, col("licences")),
        "language": language_fails(level, b1_ok, q.min_level, v.german_tolerance),
        "consent": consent,
    }
    return fails, b1_ok, rule


def commute_minutes(q: VacancyQuery, ix: ParticipantIndex, rows, commute: CommuteModel):
    """Best minutes and mode from each row's home to the vacancy."""
    c = ix.cols
    minutes, modes = commute.best_minutes(
        origin_lat=c["home_lat"][rows],
        origin_lon=c["home_lon"][rows],
        origin_transit=c["home_transit"][rows],
        dest_lat=q.v.lat,
        dest_lon=q.v.lon,
        dest_transit=q.v.transit,
        off_peak=q.off_peak,
        car=c["car"][rows],
        bike=c["bike"][rows],
    )
    return as_row_arrays(minutes, modes, len(rows))


def _positions(ix: ParticipantIndex, rows: np.ndarray) -> np.ndarray:
    pos = np.full(ix.cols.n, -1, dtype=np.int64)
    pos[rows] = np.arange(len(rows))
    return pos


def skill_sums(q: VacancyQuery, ix, rows, profile: WeightProfile, related: RelatedSkills | None):
    """Importance-weighted credit, total importance and covered must skills per row.

    `rows` None means every index row (then no position mapping is needed).
    """
    prm = profile.params
    factors = np.array([prm.skill_source_factors[s] for s in SKILL_SOURCES])
    pos = None if rows is None else _positions(ix, rows)
    m = ix.cols.n if rows is None else len(rows)
    num = np.zeros(m)
    must = np.zeros(m, dtype=np.int64)
    den = 0.0
    vocab = ix.skill_vocab

    def column(skill_id: str, level: int):
        col = vocab.get(skill_id)
        if col is None:
            return None
        at, codes = ix.skills.column(col)
        if pos is not None:
            at = pos[at]
            inside = at >= 0
            at, codes = at[inside], codes[inside]
        return at, factors[codes >> 3] * level_fit(codes & 7, level, prm)

    for s in q.v.skills:
        w = prm.importance_weights[s.importance]
        den = den + w
        direct = np.zeros(m)
        held = np.zeros(m, dtype=np.bool_)
        hit = column(s.skill_id, s.level)
        if hit is not None:
            direct[hit[0]] = hit[1]
            held[hit[0]] = True
        rel = None
        for other, sim in (related(s.skill_id) if related else {}).items():
            if other == s.skill_id or not sim > 0.0:
                continue
            hit = column(other, s.level)
            if hit is None or not len(hit[0]):
                continue
            if rel is None:
                rel, rel_sim = np.zeros(m), np.zeros(m)
            rel[hit[0]] = np.maximum(rel[hit[0]], sim * hit[1])
            rel_sim[hit[0]] = np.maximum(rel_sim[hit[0]], sim)
        credit = (
            direct if rel is None else np.maximum(direct, np.minimum(prm.related_credit_cap, rel))
        )
        num += w * credit
        if IMPORTANCE_INDEX[s.importance] == 0:
            covered = held
            if prm.must_skill_accepts_related and rel is not None:
                covered = held | (rel_sim >= prm.must_skill_related_threshold)
            must += covered
    return num, den, must


def component_values(q, ix, rows, minutes, num, den, profile, as_of_day, b1_ok):
    """The five component values for the given rows (`num`: their skill credit sums)."""
    c = ix.cols
    prm = profile.params
    v = q.v
    pos = _positions(ix, rows)
    m = len(rows)
    langs_frac = np.zeros(m)
    if q.langs:
        e = ix.entries["langs"]
        at = pos[e["row"]]
        met = np.zeros(m)
        for code, level in q.langs:
            hit = (at >= 0) & (e["code"] == code) & (e["level"] >= level)
            met += np.bincount(at[hit], minlength=m)
        langs_frac = met / len(q.langs)
    language = language_value(
        c["level"][rows],
        b1_ok,
        c["literate"][rows],
        q.min_level,
        v.german_tolerance,
        v.employer_offers_language_support,
        langs_frac,
        prm,
    )
    skills = num / den if den > 0 else np.full(m, prm.skills_neutral)
    e = ix.entries["occupations"]
    at = pos[e["row"]]
    inside = at >= 0
    best = np.zeros(m)
    if inside.any():
        matches = occupation_match(
            e["code"][inside],
            e["isco4"][inside],
            e["isco3"][inside],
            e["isco2"][inside],
            e["years"][inside],
            q.occupation,
            *q.isco,
            prm,
        )
        np.maximum.at(best, at[inside], matches)
    has_occupation = v.occupation_code is not None or v.isco_group is not None
    occupation = occupation_value(best, has_occupation, prm)
    commute = commute_value(minutes, c["max_commute"][rows], prm)
    excluded = np.zeros(m, dtype=np.bool_)
    wanted = np.zeros(m, dtype=np.bool_)
    for name, flag in (("excluded", excluded), ("wanted", wanted)):
        e = ix.entries[name]
        at = pos[e["row"][e["field"] == q.field]]
        flag[at[at >= 0]] = True
    preferences = preference_value(
        type_fit(c["types"][rows], q.type),
        field_fit(excluded, c["n_wanted"][rows] > 0, wanted, prm),
        hours_fit(c["hours"][rows], q.hours),
        shift_fit(c["shifts"][rows], q.shifts),
        start_fit(c["earliest"][rows], q.start, as_of_day, prm),
        prm,
    )
    return [language, skills, occupation, commute, preferences]


def survivors(
    q: VacancyQuery,
    ix: ParticipantIndex,
    candidates: np.ndarray | None,
    profile: WeightProfile,
    *,
    commute: CommuteModel,
    related: RelatedSkills | None,
    as_of: date,
    employer_view: bool,
    max_commute: float | None,
) -> Survivors:
    """Eligible rows among `rows`, scored: cheap masks → commute → must skills → components."""
    hard = hard_matrix(profile)[:, q.type]
    as_of_day = as_of.toordinal()
    col = RowView(ix, candidates)
    fails, b1_ok, _ = cheap_fails(q, col, profile, as_of_day, employer_view)
    ok = ix.cols["alive"].copy() if candidates is None else np.ones(len(candidates), np.bool_)
    for name, f in fails.items():
        if not hard[HARD_ROW[name]] or f is False:
            continue
        if f is True:
            return empty_survivors()
        ok &= ~f
    # Must skills before commute (see for_participant.survivors).
    num, den, must = skill_sums(q, ix, candidates, profile, related)
    if hard[HARD_ROW["must_skill"]]:
        ok &= must >= sum(1 for s in q.v.skills if s.importance == "must")
    at = np.flatnonzero(ok)
    rows = at if candidates is None else candidates[at]
    num, b1_ok = num[at], b1_ok[at]
    if not len(rows):
        return empty_survivors()
    minutes, modes = commute_minutes(q, ix, rows, commute)
    keep = np.ones(len(rows), dtype=np.bool_)
    if hard[HARD_ROW["commute"]]:
        keep &= minutes <= ix.cols["max_commute"][rows]
    if max_commute is not None:
        keep &= minutes <= max_commute
    rows, b1_ok, minutes, modes, num = (
        rows[keep],
        b1_ok[keep],
        minutes[keep],
        modes[keep],
        num[keep],
    )
    values = component_values(q, ix, rows, minutes, num, den, profile, as_of_day, b1_ok)
    _, score = combine(values, profile.weight_shares())
    return Survivors(rows, score, minutes, modes)


def evaluate(
    q: VacancyQuery,
    ix: ParticipantIndex,
    rows: np.ndarray,
    profile: WeightProfile,
    *,
    commute: CommuteModel,
    related: RelatedSkills | None,
    as_of: date,
    employer_view: bool,
    known: tuple[np.ndarray, np.ndarray, None] | None = None,
) -> Evaluation:
    """Every constraint and component for the given rows, nothing skipped (explanations).

    `known` = (minutes, modes, None) already computed by `survivors` for these rows.
    """
    as_of_day = as_of.toordinal()
    n = len(rows)
    fails_raw, b1_ok, rule = cheap_fails(q, RowView(ix, rows), profile, as_of_day, employer_view)
    fails = {k: np.broadcast_to(np.asarray(f, dtype=np.bool_), (n,)) for k, f in fails_raw.items()}
    if known is None:
        minutes, modes = commute_minutes(q, ix, rows, commute)
    else:
        minutes, modes, _ = known
    fails["commute"] = ~(minutes <= ix.cols["max_commute"][rows])
    num, den, must = skill_sums(q, ix, rows, profile, related)
    fails["must_skill"] = must < sum(1 for s in q.v.skills if s.importance == "must")
    values = component_values(q, ix, rows, minutes, num, den, profile, as_of_day, b1_ok)
    contributions, score = combine(values, profile.weight_shares())
    return Evaluation(rows, fails, values, contributions, score, minutes, modes, b1_ok, rule)
