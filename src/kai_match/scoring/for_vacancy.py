"""Candidates for one vacancy: the vacancy is a scalar query, participants are index rows.

Mirrors for_participant.py with the roles swapped; the formulas are the same functions, and the
component values come from the registry (components/).
"""

from __future__ import annotations

import numpy as np

from . import components, recognition, schedule_fit
from .components import ParticipantRows
from .constants import IMPORTANCE_INDEX, SKILL_SOURCES
from .context import RankingContext
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
    b1_by_start,
    combine,
    commute_off_peak,
    dates_fail,
    language_fails,
    level_fit,
    licence_fails,
    permit_fails,
    permit_horizon,
)
from .participant_index import ParticipantIndex
from .protocols import CommuteModel
from .vacancy_query import VacancyQuery, vacancy_query  # noqa: F401 - re-exported


def cheap_fails(q: VacancyQuery, col: RowView, ctx: RankingContext):
    """Constraints that need no commute or skills, plus B1-by-start and permit rule per row.

    Scalars (`True`/`False`) stand for "every row"; callers skip `False`.
    """
    v = q.v
    as_of_day = ctx.as_of_day
    start_eff = max(q.start, as_of_day)
    level = col("level")
    rule = permit_table(ctx.profile)[q.type][col("permit")]
    b1_ok = b1_by_start(level, col("b1_day"), start_eff)
    consent = ~col("consent")
    if ctx.employer_view:
        consent |= ~col("share")
    fails = {
        "status": True if v.status != "open" else ~col("active"),
        "openings": v.openings_left < 1,
        "dates": dates_fail(
            as_of_day,
            q.valid_through,
            q.end,
            q.boxed_start,
            col("earliest"),
            ctx.profile.params.start_slack_days,
        ),
        "work_permit": permit_fails(
            rule,
            col("permit_until"),
            col("renewal"),
            permit_horizon(start_eff) if ctx.employer_view else start_eff,
        ),
        "driving_licence": licence_fails(q.licence, col("licences")),
        "language": language_fails(level, b1_ok, q.min_level, v.german_tolerance),
        "consent": consent,
        "recognition": recognition.fails_for_vacancy(q, col.ix, col.rows),
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
        off_peak=commute_off_peak(c["shifts"][rows], q.shifts),
        car=c["car"][rows],
        bike=c["bike"][rows],
    )
    minutes, modes = as_row_arrays(minutes, modes, len(rows))
    return schedule_fit.shuttle_for_vacancy(q.v, q.shifts, ix, rows, minutes, modes, commute)


def schedule(q: VacancyQuery, ix: ParticipantIndex, rows, minutes, ctx: RankingContext):
    """(schedule fails, share of working times that fit) per row (schedule_fit.py)."""
    return schedule_fit.for_vacancy(
        q.windows,
        q.v.childcare_friendly,
        q.start,
        ix,
        rows,
        minutes,
        ctx.as_of_day,
        ctx.profile.params,
    )


def _positions(ix: ParticipantIndex, rows: np.ndarray) -> np.ndarray:
    pos = np.full(ix.cols.n, -1, dtype=np.int64)
    pos[rows] = np.arange(len(rows))
    return pos


def skill_sums(q: VacancyQuery, ix, rows, ctx: RankingContext):
    """Importance-weighted credit, total importance and covered must skills per row.

    `rows` None means every index row (then no position mapping is needed).
    """
    prm = ctx.profile.params
    related = ctx.related
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
        hit = column(s.skill_id, s.level_needed)
        if hit is not None:
            direct[hit[0]] = hit[1]
            held[hit[0]] = True
        rel = None
        stand_ins = related(s.skill_id) if related and not s.certificate else {}
        for other, sim in stand_ins.items():
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
    # Unverified requirements weigh in the total with no credit: they count as not covered.
    den += sum(prm.importance_weights[imp] for _, imp in q.v.unverified)
    return num, den, must


def component_values(
    q: VacancyQuery,
    ix: ParticipantIndex,
    rows,
    minutes,
    num,
    den,
    ctx: RankingContext,
    b1_ok,
    share,
) -> dict[str, np.ndarray]:
    """Every registered component's values for the given rows (`num`: their skill credit,
    `share`: of the working times that fit them)."""
    batch = ParticipantRows(
        q=q,
        ix=ix,
        rows=rows,
        minutes=minutes,
        skill_credit=num,
        skill_total=den,
        b1_ok=b1_ok,
        params=ctx.profile.params,
        as_of_day=ctx.as_of_day,
        schedule_share=share,
    )
    return components.participant_values(batch)


def _n_must(q: VacancyQuery, prm) -> int:
    """Must skills to cover (unverified ones too when the profile excludes on them)."""
    n = sum(1 for s in q.v.skills if s.importance == "must")
    if prm.unverified_must == "exclude":
        n += sum(1 for _, imp in q.v.unverified if imp == "must")
    return n


def survivors(
    q: VacancyQuery,
    ix: ParticipantIndex,
    candidates: np.ndarray | None,
    ctx: RankingContext,
    *,
    max_commute: float | None,
) -> Survivors:
    """Eligible rows among `rows`, scored: cheap masks → commute → must skills → components."""
    profile = ctx.profile
    hard = hard_matrix(profile)[:, q.type]
    col = RowView(ix, candidates)
    fails, b1_ok, _ = cheap_fails(q, col, ctx)
    ok = ix.cols["alive"].copy() if candidates is None else np.ones(len(candidates), np.bool_)
    for name, f in fails.items():
        if not hard[HARD_ROW[name]] or f is False:
            continue
        if f is True:
            return empty_survivors()
        ok &= ~f
    # Must skills before commute (see for_participant.survivors).
    num, den, must = skill_sums(q, ix, candidates, ctx)
    if hard[HARD_ROW["must_skill"]]:
        ok &= must >= _n_must(q, profile.params)
    at = np.flatnonzero(ok)
    rows = at if candidates is None else candidates[at]
    num, b1_ok = num[at], b1_ok[at]
    if not len(rows):
        return empty_survivors()
    minutes, modes = commute_minutes(q, ix, rows, ctx.commute)
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
    unfit, share = schedule(q, ix, rows, minutes, ctx)
    keep = ~unfit if hard[HARD_ROW["schedule"]] else np.ones(len(rows), dtype=np.bool_)
    rows, b1_ok, minutes, modes, num, share = (
        rows[keep],
        b1_ok[keep],
        minutes[keep],
        modes[keep],
        num[keep],
        share[keep],
    )
    values = component_values(q, ix, rows, minutes, num, den, ctx, b1_ok, share)
    _, score = combine(values, profile.shares)
    return Survivors(rows, score, minutes, modes, values=values)


def evaluate(
    q: VacancyQuery,
    ix: ParticipantIndex,
    rows: np.ndarray,
    ctx: RankingContext,
    *,
    known: tuple[np.ndarray, np.ndarray] | None = None,
) -> Evaluation:
    """Every constraint and component for the given rows, nothing skipped (explanations).

    `known` = (minutes, modes) already computed by `survivors` for these rows.
    """
    n = len(rows)
    fails_raw, b1_ok, rule = cheap_fails(q, RowView(ix, rows), ctx)
    fails = {k: np.broadcast_to(np.asarray(f, dtype=np.bool_), (n,)) for k, f in fails_raw.items()}
    if known is None:
        minutes, modes = commute_minutes(q, ix, rows, ctx.commute)
    else:
        minutes, modes = known
    fails["commute"] = ~(minutes <= ix.cols["max_commute"][rows])
    num, den, must = skill_sums(q, ix, rows, ctx)
    fails["must_skill"] = must < _n_must(q, ctx.profile.params)
    fails["schedule"], share = schedule(q, ix, rows, minutes, ctx)
    values = component_values(q, ix, rows, minutes, num, den, ctx, b1_ok, share)
    contributions, score = combine(values, ctx.profile.shares)
    return Evaluation(rows, fails, values, contributions, score, minutes, modes, b1_ok, rule)
