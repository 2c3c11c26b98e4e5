"""Vacancies for one participant: the participant is a scalar query, vacancies are index rows.

The staged pipeline runs the cheap masks over whole columns (no gathers), then the commute model
only on survivors, then the must-skill check, and computes components only for what is left.
Components that depend on a few small vacancy keys (language, type × shifts, field) are computed
once per query for every key value with the shared formulas and then looked up per row.
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
    PLACEMENT_TYPES,
    TYPE_INDEX,
    shift_mask,
)
from .evaluation import (
    HARD_ROW,
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
    combine,
    commute_value,
    day,
    field_fit,
    hours_fit,
    level_fit,
    occupation_match,
    occupation_value,
    shift_fit,
    start_fit,
    type_fit,
)
from .formulas import (
    language_raw as language_raw_value,
)
from .profiles import ParticipantProfile
from .protocols import CommuteModel, RelatedSkills
from .store import gather_columns
from .vacancy_index import VacancyIndex, isco_parts
from .weights import WeightProfile

_LEVELS = np.arange(1, 5)
_KEYS = np.arange(72)
_LANG_MIN, _LANG_TOL, _LANG_SUPPORT = _KEYS // 12, (_KEYS // 2) % 6, (_KEYS % 2) == 1
_TS_KEYS = np.arange(len(PLACEMENT_TYPES) * 32)


@dataclass
class PersonQuery:
    """A participant encoded against one VacancyIndex and profile (ids, masks, look-up tables)."""

    p: ParticipantProfile
    level: int
    b1_day: int
    earliest: int
    permit_until: int
    deny_bits: int  # placement types (bits) the profile's permit rules deny this person
    rule_by_type: np.ndarray  # (types,) rule code 0 allow / 1 flag / 2 deny
    licence_bits: int  # licence classes held (bits)
    language_raw: np.ndarray  # (2, 72) language value before bonus and clipping, by b1 ok / key
    language: np.ndarray  # (2, 72) the same, clipped: the value where no language is wanted
    ts_part: np.ndarray  # (types × 32,) weighted type fit + shift fit by ts_key
    field_part: np.ndarray  # (1 + fields,) weighted field fit by field id + 1
    lang_levels: np.ndarray  # participant level per index language id (-1 = not spoken)
    occupations: list[tuple[int, int, int, int, float]]
    credit: np.ndarray  # (skills × 4,): credit for a required skill at level 1..4, at col*4+lvl-1
    covered: np.ndarray  # (skills,): counts as holding the skill for the must-skill check
    credit_cols: np.ndarray  # skill columns with some credit
    covered_cols: np.ndarray  # skill columns that count as held


def _skill_tables(p: ParticipantProfile, ix: VacancyIndex, profile, related):
    reverse = ix.related_reverse(related)
    n_skills = len(ix.skill_vocab)
    prm = profile.params
    direct = np.zeros((4, n_skills))
    rel = np.zeros((4, n_skills))
    rel_sim = np.zeros(n_skills)
    covered = np.zeros(n_skills, dtype=np.bool_)
    factors = prm.skill_source_factors
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
            rel[:, s_cols] = np.maximum(rel[:, s_cols], sims[None, :] * per_level[:, None])
            rel_sim[s_cols] = np.maximum(rel_sim[s_cols], sims)
    credit = np.maximum(direct, np.minimum(prm.related_credit_cap, rel))
    if prm.must_skill_accepts_related:
        covered |= rel_sim >= prm.must_skill_related_threshold
    credit_cols = np.flatnonzero((credit > 0).any(axis=0))
    return np.ascontiguousarray(credit.T).ravel(), covered, credit_cols, np.flatnonzero(covered)


def person_query(
    p: ParticipantProfile, ix: VacancyIndex, profile: WeightProfile, related: RelatedSkills | None
) -> PersonQuery:
    """Encode a participant once per ranking, including its per-key component tables."""
    prm = profile.params
    level = CEFR_INDEX[p.german_level]
    rules = permit_table(profile)[:, PERMIT_INDEX[p.work_permit]]
    licence_bits = 0
    for cls in p.driving_licences:
        licence_bits |= 1 << LICENCE_INDEX[cls]
    language_raw = np.stack(
        [
            language_raw_value(
                level, b1, p.latin_literacy, _LANG_MIN, _LANG_TOL, _LANG_SUPPORT, prm
            )
            for b1 in (False, True)
        ]
    )
    types = 0
    for t in p.placement_types:
        types |= 1 << TYPE_INDEX[t]
    w = prm.preference_weights
    ts_part = w["type"] * type_fit(types, _TS_KEYS // 32) + w["shifts"] * shift_fit(
        shift_mask(p.shifts), _TS_KEYS % 32
    )
    fv = ix.field_vocab
    field_ids = np.arange(-1, len(fv))
    wanted = np.isin(field_ids, [fv[f] for f in p.fields_wanted if f in fv])
    excluded = np.isin(field_ids, [fv[f] for f in p.fields_excluded if f in fv])
    field_part = w["field"] * field_fit(excluded, bool(p.fields_wanted), wanted, prm)
    lang_levels = np.full(len(ix.lang_vocab), -1, dtype=np.int8)
    for code, lvl in p.other_languages.items():
        if code in ix.lang_vocab:
            lang_levels[ix.lang_vocab[code]] = CEFR_INDEX[lvl]
    occupations = [
        (
            -1 if occ.code is None else ix.occupation_vocab.get(occ.code, -1),
            *isco_parts(occ.isco_group),
            occ.years,
        )
        for occ in p.occupations
    ]
    credit, covered, credit_cols, covered_cols = _skill_tables(p, ix, profile, related)
    return PersonQuery(
        p=p,
        level=level,
        b1_day=day(p.expected_b1_date, missing=DAY_NONE_HIGH) if level < B1 else DAY_NONE_HIGH,
        earliest=day(p.earliest_start, missing=DAY_NONE_LOW),
        permit_until=day(p.permit_valid_until, missing=DAY_NONE_HIGH),
        deny_bits=sum(1 << t for t in range(len(rules)) if rules[t] == 2),
        rule_by_type=rules,
        licence_bits=licence_bits,
        language_raw=language_raw,
        language=np.clip(language_raw, 0.0, 1.0),
        ts_part=ts_part,
        field_part=field_part,
        lang_levels=lang_levels,
        occupations=occupations,
        credit=credit,
        covered=covered,
        credit_cols=credit_cols,
        covered_cols=covered_cols,
    )


class _Cols:
    """Index columns for some rows: whole-column views when rows is None (no copying)."""

    def __init__(self, ix: VacancyIndex, rows: np.ndarray | None) -> None:
        self.cols = ix.cols
        self.rows = rows

    def __call__(self, name: str) -> np.ndarray:
        column = self.cols[name]
        return column if self.rows is None else column[self.rows]


def person_fails(q: PersonQuery, col: _Cols, as_of_day: int, profile: WeightProfile):
    """Fail masks that depend on the participant (dates only the person's part).

    Returns ({constraint: bool array}, b1_ok array or False); a constraint that cannot fail
    for this participant is left out.
    """
    p = q.p
    fails: dict[str, np.ndarray] = {}
    if q.earliest > as_of_day:
        slack = profile.params.start_slack_days
        fails["dates"] = (col("end") < q.earliest) | (col("start_high") + slack < q.earliest)
    elif q.earliest > DAY_NONE_LOW:
        fails["dates"] = col("start_high") + profile.params.start_slack_days < q.earliest
    start_eff = None
    if q.deny_bits:
        fails["work_permit"] = (col("type_bit") & q.deny_bits) != 0
    if q.permit_until < DAY_NONE_HIGH and not p.permit_renewal_pending:
        start_eff = np.maximum(col("start"), as_of_day)
        ends_early = q.permit_until < start_eff
        fails["work_permit"] = fails["work_permit"] | ends_early if q.deny_bits else ends_early
    fails["driving_licence"] = (col("licence_bit") & ~q.licence_bits) != 0
    b1_ok: np.ndarray | bool = False
    if q.b1_day < DAY_NONE_HIGH:
        if start_eff is None:
            start_eff = np.maximum(col("start"), as_of_day)
        b1_ok = q.b1_day <= start_eff
        fails["language"] = col("lang_floor") > np.where(b1_ok, B1, q.level)
    else:
        fails["language"] = col("lang_floor") > q.level
    return fails, b1_ok


def cheap_fails(q: PersonQuery, col: _Cols, as_of_day: int, profile, employer_view: bool):
    """Fail masks of every constraint that needs neither commute nor skills.

    Returns ({constraint: bool array or bool}, b1_ok array or False).
    """
    p = q.p
    person, b1_ok = person_fails(q, col, as_of_day, profile)
    expired = (col("valid_through") < as_of_day) | (col("end") < as_of_day)
    fails: dict[str, np.ndarray | bool] = {
        "status": True if p.status != "active" else ~col("open"),
        "consent": not p.consent_processing or (employer_view and not p.share_with_employers),
        "openings": col("openings") < 1,
        "dates": expired | person["dates"] if "dates" in person else expired,
        "work_permit": person.get("work_permit", False),
        "driving_licence": person["driving_licence"],
        "language": person["language"],
    }
    return fails, b1_ok


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
        car=p.has_car_access,
        bike=p.has_bike,
    )
    return as_row_arrays(minutes, modes, len(rows))


def skill_sums(q: PersonQuery, ix: VacancyIndex, profile: WeightProfile):
    """Importance-weighted credit and covered must skills for every index row.

    A sparse sweep over only the skill columns where the participant has credit, so the cost
    is the number of vacancies asking for those skills, not the size of the index.
    """
    n = ix.cols.n
    w = profile.params.importance_weights
    iw = tuple(w[i] for i in IMPORTANCES)
    sk = ix.skills
    num = np.zeros(n)
    pos = gather_columns(sk.indptr, q.credit_cols)[0]
    if len(pos):
        weights = q.credit[sk.csc_slot[pos]] * sk.kind_weights(iw)[pos]
        num += np.bincount(sk.csc_row[pos], weights=weights, minlength=n)
    must = np.zeros(n, dtype=np.int64)
    must_indptr, must_rows = sk.kind0_columns()
    pos = gather_columns(must_indptr, q.covered_cols)[0]
    if len(pos):
        must += np.bincount(must_rows[pos], minlength=n)
    t_rows, t_cols, t_codes = sk.tail()
    if len(t_rows):
        kind = t_codes >> 3
        slot = t_cols * 4 + (t_codes & 7) - 1
        num += np.bincount(t_rows, weights=q.credit[slot] * np.asarray(iw)[kind], minlength=n)
        must += np.bincount(t_rows[(kind == 0) & q.covered[t_cols]], minlength=n)
    return num, must


def component_values(q, ix, rows, minutes, num, profile: WeightProfile, as_of_day: int, b1_ok):
    """The five component values for the given rows."""
    c = ix.cols
    prm = profile.params
    p = q.p
    language = q.language[np.asarray(b1_ok, dtype=np.intp), c["lang_key"][rows]]
    if len(q.lang_levels):
        n_langs = c["n_langs"][rows]
        if n_langs.any():
            e = ix.entries["langs"]
            met = q.lang_levels[e["code"]] >= e["level"]
            met_rows = np.bincount(e["row"], weights=met, minlength=c.n)[rows]
            frac = np.where(n_langs > 0, met_rows / np.maximum(n_langs, 1), 0.0)
            unclipped = q.language_raw[np.asarray(b1_ok, dtype=np.intp), c["lang_key"][rows]]
            language = np.clip(unclipped + prm.languages_wanted_bonus * frac, 0.0, 1.0)
    den = ix.importance_total(prm.importance_weights)[rows]
    skills = np.where(den > 0, num[rows] / np.where(den > 0, den, 1.0), prm.skills_neutral)
    best = np.zeros(len(rows))
    if q.occupations:
        v_occ, v4, v3, v2 = (c[k][rows] for k in ("occupation", "isco4", "isco3", "isco2"))
        for code, i4, i3, i2, years in q.occupations:
            best = np.maximum(
                best, occupation_match(code, i4, i3, i2, years, v_occ, v4, v3, v2, prm)
            )
    occupation = occupation_value(best, c["has_occupation"][rows], prm)
    commute = commute_value(minutes, p.max_commute_minutes, prm)
    w = prm.preference_weights
    preferences = (
        q.ts_part[c["ts_key"][rows]]
        + q.field_part[c["field"][rows] + 1]
        + w["hours"]
        * hours_fit(np.nan if p.hours_per_week is None else p.hours_per_week, c["hours"][rows])
        + w["start"] * start_fit(q.earliest, c["start"][rows], as_of_day, prm)
    ) / (w["type"] + w["field"] + w["hours"] + w["shifts"] + w["start"])
    return [language, skills, occupation, commute, preferences]


def _take(values, keep):
    return values[keep] if isinstance(values, np.ndarray) else values


def survivors(
    q: PersonQuery,
    ix: VacancyIndex,
    candidates: np.ndarray | None,
    profile: WeightProfile,
    *,
    commute: CommuteModel,
    as_of: date,
    employer_view: bool,
    max_commute: float | None,
) -> Survivors:
    """Eligible rows (all live rows, or `candidates`), scored.

    Cheap masks → commute → must skills → components; each stage sees only the survivors of
    the one before.
    """
    hard = hard_matrix(profile)
    as_of_day = as_of.toordinal()
    col = _Cols(ix, candidates)
    types = col("type")
    static = ("status", "openings", "dates")
    if all(hard[HARD_ROW[c]].all() for c in static) and q.p.status == "active":
        # Common case: the participant-independent part is a cached mask.
        ok = ix.static_ok(as_of_day)
        ok = ok.copy() if candidates is None else ok[candidates]
        fails, b1_ok = person_fails(q, col, as_of_day, profile)
        p = q.p
        fails["consent"] = not p.consent_processing or (
            employer_view and not p.share_with_employers
        )
    else:
        ok = ix.cols["alive"].copy() if candidates is None else np.ones(len(candidates), np.bool_)
        fails, b1_ok = cheap_fails(q, col, as_of_day, profile, employer_view)
    for name, f in fails.items():
        if f is False:
            continue
        if f is True:
            h = hard[HARD_ROW[name]]
            if h.all():
                return empty_survivors()
            ok &= ~h[types]
            continue
        ok &= ~excluded_by(f, name, hard, types)
    rows = np.flatnonzero(ok) if candidates is None else candidates[ok]
    b1_ok = _take(b1_ok, ok)
    if not len(rows):
        return empty_survivors()
    # Must skills before commute: the sparse sweep is cheap and often rules out many rows.
    num, must = skill_sums(q, ix, profile)
    missing = must[rows] < ix.cols["n_must"][rows]
    keep = ~excluded_by(missing, "must_skill", hard, ix.cols["type"][rows])
    rows, b1_ok = rows[keep], _take(b1_ok, keep)
    if not len(rows):
        return empty_survivors()
    minutes, modes = commute_minutes(q, ix, rows, commute)
    drop = excluded_by(
        ~(minutes <= q.p.max_commute_minutes), "commute", hard, ix.cols["type"][rows]
    )
    if max_commute is not None:
        drop = drop | ~(minutes <= max_commute)
    keep = ~drop
    rows, minutes, modes, b1_ok = rows[keep], minutes[keep], modes[keep], _take(b1_ok, keep)
    values = component_values(q, ix, rows, minutes, num, profile, as_of_day, b1_ok)
    _, score = combine(values, profile.weight_shares())
    return Survivors(rows, score, minutes, modes, (num, must), values)


def evaluate(
    q: PersonQuery,
    ix: VacancyIndex,
    rows: np.ndarray,
    profile: WeightProfile,
    *,
    commute: CommuteModel,
    as_of: date,
    employer_view: bool,
    known: Survivors | None = None,
    page: np.ndarray | None = None,
) -> Evaluation:
    """Every constraint and component for the given rows, nothing skipped (explanations).

    With `known` (the survivors these rows were picked from, `page` their positions) the
    commute, skill sums and component values are reused, so the items carry exactly the numbers
    they were ranked by.
    """
    as_of_day = as_of.toordinal()
    n = len(rows)
    fails_raw, b1_ok = cheap_fails(q, _Cols(ix, rows), as_of_day, profile, employer_view)
    fails = {k: np.broadcast_to(np.asarray(v, dtype=np.bool_), (n,)) for k, v in fails_raw.items()}
    b1_ok = np.broadcast_to(np.asarray(b1_ok, dtype=np.bool_), (n,))
    if known is None:
        minutes, modes = commute_minutes(q, ix, rows, commute)
        num, must = skill_sums(q, ix, profile)
        values = component_values(q, ix, rows, minutes, num, profile, as_of_day, b1_ok)
    else:
        minutes, modes = known.minutes[page], known.modes[page]
        num, must = known.skills
        values = [v[page] for v in known.values]
    fails["commute"] = ~(minutes <= q.p.max_commute_minutes)
    fails["must_skill"] = must[rows] < ix.cols["n_must"][rows]
    contributions, score = combine(values, profile.weight_shares())
    rule = q.rule_by_type[ix.cols["type"][rows]]
    return Evaluation(rows, fails, values, contributions, score, minutes, modes, b1_ok, rule)
