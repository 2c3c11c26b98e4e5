"""Vacancies for one participant: the participant is a scalar query, vacancies are index rows.

The staged pipeline runs the cheapest masks over all candidate rows first, then the commute model
only on survivors, then the must-skill check, and computes components only for what is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .constants import (
    B1,
    CEFR_INDEX,
    IMPORTANCES,
    LICENCE_INDEX,
    PERMIT_INDEX,
    TYPE_INDEX,
    shift_mask,
)
from .evaluation import (
    Evaluation,
    Survivors,
    as_row_arrays,
    empty_survivors,
    excluded_by,
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
from .profiles import ParticipantProfile
from .protocols import CommuteModel, RelatedSkills
from .store import gather_columns
from .vacancy_index import VacancyIndex, isco_parts
from .weights import WeightProfile

_LEVELS = np.arange(1, 5)


@dataclass
class PersonQuery:
    """A participant encoded against one VacancyIndex (vocabulary ids, day numbers, masks)."""

    p: ParticipantProfile
    level: int
    b1_day: int
    licences: int
    car: bool
    earliest: int
    permit_until: int
    hours: float
    shifts: int
    types: int
    wanted: np.ndarray
    excluded: np.ndarray
    lang_levels: np.ndarray
    occupations: list[tuple[int, int, int, int, float]]
    credit: np.ndarray  # (4, n_skills): credit for a required skill at required level 1..4
    covered: np.ndarray  # (n_skills,): counts as holding the skill for the must-skill check
    skill_cols: np.ndarray  # columns where credit or covered is nonzero


def person_query(
    p: ParticipantProfile, ix: VacancyIndex, profile: WeightProfile, related: RelatedSkills | None
) -> PersonQuery:
    """Encode a participant once per ranking, including its per-skill credit table."""
    reverse = ix.related_reverse(related)
    n_skills = len(ix.skill_vocab)
    prm = profile.params
    factors = prm.skill_source_factors
    direct = np.zeros((4, n_skills))
    rel = np.zeros((4, n_skills))
    rel_sim = np.zeros(n_skills)
    covered = np.zeros(n_skills, dtype=np.bool_)
    for skill_id, held in p.skills.items():
        col = ix.skill_vocab.get(skill_id)
        if col is None:
            continue
        per_level = factors[held.source] * level_fit(held.level, _LEVELS, prm)
        direct[:, col] = per_level
        covered[col] = True
        links = reverse.get(col)
        if links:
            s_cols = np.fromiter((s for s, _ in links), dtype=np.int64, count=len(links))
            sims = np.fromiter((w for _, w in links), dtype=np.float64, count=len(links))
            cand = sims[None, :] * per_level[:, None]
            rel[:, s_cols] = np.maximum(rel[:, s_cols], cand)
            rel_sim[s_cols] = np.maximum(rel_sim[s_cols], sims)
    credit = np.maximum(direct, np.minimum(prm.related_credit_cap, rel))
    if prm.must_skill_accepts_related:
        covered |= rel_sim >= prm.must_skill_related_threshold
    skill_cols = np.flatnonzero(covered | (credit > 0).any(axis=0))

    lang_levels = np.full(len(ix.lang_vocab), -1, dtype=np.int8)
    for code, level in p.other_languages.items():
        if code in ix.lang_vocab:
            lang_levels[ix.lang_vocab[code]] = CEFR_INDEX[level]
    occupations = []
    for occ in p.occupations:
        code = -1 if occ.code is None else ix.occupation_vocab.get(occ.code, -1)
        occupations.append((code, *isco_parts(occ.isco_group), occ.years))
    level = CEFR_INDEX[p.german_level]
    licences = 0
    for cls in p.driving_licences:
        licences |= 1 << LICENCE_INDEX[cls]
    types = 0
    for t in p.placement_types:
        types |= 1 << TYPE_INDEX[t]
    fv = ix.field_vocab
    return PersonQuery(
        p=p,
        level=level,
        b1_day=day(p.expected_b1_date, missing=DAY_NONE_HIGH) if level < B1 else DAY_NONE_HIGH,
        licences=licences,
        car=p.has_car_access,
        earliest=day(p.earliest_start, missing=DAY_NONE_LOW),
        permit_until=day(p.permit_valid_until, missing=DAY_NONE_HIGH),
        hours=np.nan if p.hours_per_week is None else p.hours_per_week,
        shifts=shift_mask(p.shifts),
        types=types,
        wanted=np.array(sorted(fv[f] for f in p.fields_wanted if f in fv), dtype=np.int64),
        excluded=np.array(sorted(fv[f] for f in p.fields_excluded if f in fv), dtype=np.int64),
        lang_levels=lang_levels,
        occupations=occupations,
        credit=credit,
        covered=covered,
        skill_cols=skill_cols,
    )


def cheap_fails(
    q: PersonQuery,
    ix: VacancyIndex,
    rows: np.ndarray,
    profile: WeightProfile,
    as_of_day: int,
    employer_view: bool,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Constraints that need no commute or skills, plus B1-by-start and permit rule per row."""
    c = ix.cols
    n = len(rows)
    vtype = c["type"][rows]
    start = c["start"][rows]
    start_eff = np.maximum(start, as_of_day)
    rule = permit_table(profile)[vtype, PERMIT_INDEX[q.p.work_permit]]
    b1_ok = b1_by_start(q.level, q.b1_day, start_eff)
    p = q.p
    consent_fails = not p.consent_processing or (employer_view and not p.share_with_employers)
    fails = {
        "status": ~c["open"][rows] | (p.status != "active"),
        "openings": c["openings"][rows] < 1,
        "dates": dates_fail(
            as_of_day,
            c["valid_through"][rows],
            c["end"][rows],
            start,
            q.earliest,
            profile.params.start_slack_days,
        ),
        "work_permit": permit_fails(rule, q.permit_until, p.permit_renewal_pending, start_eff),
        "driving_licence": licence_fails(c["licence"][rows], q.licences),
        "language": language_fails(q.level, b1_ok, c["min_level"][rows], c["tolerance"][rows]),
        "consent": np.full(n, consent_fails),
    }
    return fails, b1_ok, rule


def commute_minutes(q: PersonQuery, ix: VacancyIndex, rows: np.ndarray, commute: CommuteModel):
    """Best minutes and mode from the participant's home to each row's workplace."""
    c = ix.cols
    p = q.p
    minutes, modes = commute.best_minutes(
        origin_lat=p.home_lat,
        origin_lon=p.home_lon,
        origin_transit=p.home_transit,
        dest_lat=c["lat"][rows],
        dest_lon=c["lon"][rows],
        dest_transit=c["transit"][rows],
        off_peak=c["off_peak"][rows],
        car=q.car,
        bike=p.has_bike,
    )
    return as_row_arrays(minutes, modes, len(rows))


def skill_sums(q: PersonQuery, ix: VacancyIndex, profile: WeightProfile):
    """Importance-weighted credit and covered must skills for every index row (sparse sweep)."""
    n = ix.cols.n
    w = profile.params.importance_weights
    iw = np.array([w[i] for i in IMPORTANCES])
    num = np.zeros(n)
    must = np.zeros(n)
    sk = ix.skills
    pos, col = gather_columns(sk.indptr, q.skill_cols)
    parts = [(sk.csc_row[pos], col, sk.csc_code[pos])]
    t_rows, t_cols, t_codes = sk.tail()
    if len(t_rows):
        parts.append((t_rows, t_cols, t_codes))
    for rows, cols, codes in parts:
        if not len(rows):
            continue
        imp = codes >> 3
        lvl = codes & 7
        num += np.bincount(rows, weights=q.credit[lvl - 1, cols] * iw[imp], minlength=n)
        hit = (imp == 0) & q.covered[cols]
        must += np.bincount(rows[hit], minlength=n)
    return num, must


def component_values(q, ix, rows, minutes, num, profile: WeightProfile, as_of_day: int, b1_ok):
    """The five component values for the given rows."""
    c = ix.cols
    prm = profile.params
    p = q.p
    # language
    n_langs = c["n_langs"][rows]
    langs_frac = np.zeros(len(rows))
    if len(q.lang_levels) and n_langs.any():
        e = ix.entries["langs"]
        met = q.lang_levels[e["code"]] >= e["level"]
        met_rows = np.bincount(e["row"], weights=met, minlength=ix.cols.n)[rows]
        langs_frac = np.where(n_langs > 0, met_rows / np.maximum(n_langs, 1), 0.0)
    language = language_value(
        q.level,
        b1_ok,
        p.latin_literacy,
        c["min_level"][rows],
        c["tolerance"][rows],
        c["support"][rows],
        langs_frac,
        prm,
    )
    # skills
    iw = prm.importance_weights
    den = (
        iw["must"] * c["n_must"][rows]
        + iw["should"] * c["n_should"][rows]
        + iw["nice"] * c["n_nice"][rows]
    )
    skills = np.where(den > 0, num[rows] / np.where(den > 0, den, 1.0), prm.skills_neutral)
    # occupation
    best = np.zeros(len(rows))
    if q.occupations:
        v_occ, v4, v3, v2 = (c[k][rows] for k in ("occupation", "isco4", "isco3", "isco2"))
        for code, i4, i3, i2, years in q.occupations:
            m = occupation_match(code, i4, i3, i2, years, v_occ, v4, v3, v2, prm)
            best = np.maximum(best, m)
    occupation = occupation_value(best, c["has_occupation"][rows], prm)
    # commute
    commute = commute_value(minutes, p.max_commute_minutes, prm)
    # preferences
    vfield = c["field"][rows]
    preferences = preference_value(
        type_fit(q.types, c["type"][rows]),
        field_fit(
            np.isin(vfield, q.excluded), bool(p.fields_wanted), np.isin(vfield, q.wanted), prm
        ),
        hours_fit(q.hours, c["hours"][rows]),
        shift_fit(q.shifts, c["shifts"][rows]),
        start_fit(q.earliest, c["start"][rows], as_of_day, prm),
        prm,
    )
    return [language, skills, occupation, commute, preferences]


def survivors(
    q: PersonQuery,
    ix: VacancyIndex,
    rows: np.ndarray,
    profile: WeightProfile,
    *,
    commute: CommuteModel,
    as_of: date,
    employer_view: bool,
    max_commute: float | None,
) -> Survivors:
    """Eligible rows among `rows`, scored: cheap masks → commute → must skills → components."""
    hard = hard_matrix(profile)
    as_of_day = as_of.toordinal()
    fails, b1_ok, _ = cheap_fails(q, ix, rows, profile, as_of_day, employer_view)
    vtype = ix.cols["type"][rows]
    drop = np.zeros(len(rows), dtype=np.bool_)
    for name, f in fails.items():
        drop |= excluded_by(f, name, hard, vtype)
    keep = ~drop
    rows, b1_ok = rows[keep], b1_ok[keep]
    if not len(rows):
        return empty_survivors()
    minutes, modes = commute_minutes(q, ix, rows, commute)
    too_far = ~(minutes <= q.p.max_commute_minutes)
    drop = excluded_by(too_far, "commute", hard, ix.cols["type"][rows])
    if max_commute is not None:
        drop = drop | ~(minutes <= max_commute)
    keep = ~drop
    rows, b1_ok, minutes, modes = rows[keep], b1_ok[keep], minutes[keep], modes[keep]
    if not len(rows):
        return empty_survivors()
    num, must = skill_sums(q, ix, profile)
    missing = must[rows] < ix.cols["n_must"][rows]
    keep = ~excluded_by(missing, "must_skill", hard, ix.cols["type"][rows])
    rows, b1_ok, minutes, modes = rows[keep], b1_ok[keep], minutes[keep], modes[keep]
    values = component_values(q, ix, rows, minutes, num, profile, as_of_day, b1_ok)
    _, score = combine(values, profile.weight_shares())
    return Survivors(rows, score, minutes, modes, (num, must))


def evaluate(
    q: PersonQuery,
    ix: VacancyIndex,
    rows: np.ndarray,
    profile: WeightProfile,
    *,
    commute: CommuteModel,
    as_of: date,
    employer_view: bool,
    known: tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray] | None] | None = None,
) -> Evaluation:
    """Every constraint and component for the given rows, nothing skipped (explanations).

    `known` = (minutes, modes, skill sums) already computed by `survivors` for these rows, so
    the returned items carry exactly the numbers they were ranked by.
    """
    as_of_day = as_of.toordinal()
    fails, b1_ok, rule = cheap_fails(q, ix, rows, profile, as_of_day, employer_view)
    if known is None:
        minutes, modes = commute_minutes(q, ix, rows, commute)
        sums = None
    else:
        minutes, modes, sums = known
    fails["commute"] = ~(minutes <= q.p.max_commute_minutes)
    num, must = sums if sums is not None else skill_sums(q, ix, profile)
    fails["must_skill"] = must[rows] < ix.cols["n_must"][rows]
    values = component_values(q, ix, rows, minutes, num, profile, as_of_day, b1_ok)
    contributions, score = combine(values, profile.weight_shares())
    return Evaluation(rows, fails, values, contributions, score, minutes, modes, b1_ok, rule)
