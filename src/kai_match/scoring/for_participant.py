"""Vacancies for one participant: the participant is a scalar query, vacancies are index rows.

The staged pipeline runs the cheap masks and the must-skill sweep over whole columns (no
gathers), then the commute model only on survivors, and computes components only for what is
left.
The participant is encoded once per ranking (person_query.py) into look-up tables; the
component values come from the registry (components/).
"""

from __future__ import annotations

import numpy as np

from . import components, recognition, schedule_fit
from .components import VacancyRows
from .constants import B1, IMPORTANCES
from .context import RankingContext
from .evaluation import (
    HARD_ROW,
    Evaluation,
    RowView,
    Survivors,
    as_row_arrays,
    empty_survivors,
    excluded_by,
    hard_matrix,
)
from .formulas import DAY_NONE_HIGH, DAY_NONE_LOW, combine, commute_off_peak, permit_horizon
from .person_query import PersonQuery, person_query  # noqa: F401 - re-exported
from .protocols import CommuteModel
from .store import sweep_columns
from .vacancy_index import VacancyIndex
from .weights import WeightProfile


def person_fails(q: PersonQuery, col: RowView, ctx: RankingContext):
    """Fail masks that depend on the participant (dates only the person's part).

    Returns ({constraint: bool array}, b1_ok array or False); a constraint that cannot fail
    for this participant is left out.
    """
    p = q.p
    profile = ctx.profile
    as_of_day = ctx.as_of_day
    fails: dict[str, np.ndarray] = {}
    if q.earliest > as_of_day:
        slack = profile.params.start_slack_days
        fails["dates"] = (col("end") < q.earliest) | (col("boxed_start") + slack < q.earliest)
    elif q.earliest > DAY_NONE_LOW:
        fails["dates"] = col("boxed_start") + profile.params.start_slack_days < q.earliest
    start_eff = None
    if q.deny_bits:
        fails["work_permit"] = (col("type_bit") & q.deny_bits) != 0
    if q.permit_until < DAY_NONE_HIGH and not p.permit_renewal_pending:
        start_eff = np.maximum(col("start"), as_of_day)
        permit_day = permit_horizon(start_eff) if ctx.employer_view else start_eff
        ends_early = q.permit_until < permit_day
        fails["work_permit"] = fails["work_permit"] | ends_early if q.deny_bits else ends_early
    fails["driving_licence"] = (col("licence_bit") & ~q.licence_bits) != 0
    fails["recognition"] = recognition.fails_for_person(q, col)
    b1_ok: np.ndarray | bool = False
    if q.b1_day < DAY_NONE_HIGH:
        if start_eff is None:
            start_eff = np.maximum(col("start"), as_of_day)
        b1_ok = q.b1_day <= start_eff
        fails["language"] = col("lang_floor") > np.where(b1_ok, B1, q.level)
    else:
        fails["language"] = col("lang_floor") > q.level
    return fails, b1_ok


def musts_needed(col: RowView, profile: WeightProfile) -> np.ndarray:
    """Must skills a person has to cover: the verified ones, and the unverified ones too when
    the profile excludes rather than flags them (`unverified_must`)."""
    if profile.params.unverified_must == "exclude":
        return col("n_must") + col("u_must")
    return col("n_must")


def cheap_fails(q: PersonQuery, col: RowView, ctx: RankingContext):
    """Fail masks of every constraint that needs neither commute nor skills.

    Returns ({constraint: bool array or bool}, b1_ok array or False).
    """
    p = q.p
    as_of_day = ctx.as_of_day
    person, b1_ok = person_fails(q, col, ctx)
    expired = (col("valid_through") < as_of_day) | (col("end") < as_of_day)
    fails: dict[str, np.ndarray | bool] = {
        "status": True if p.status != "active" else ~col("open"),
        "consent": not p.consent_processing or (ctx.employer_view and not p.share_with_employers),
        "openings": col("openings") < 1,
        "dates": expired | person["dates"] if "dates" in person else expired,
        "work_permit": person.get("work_permit", False),
        "driving_licence": person["driving_licence"],
        "language": person["language"],
        "recognition": person["recognition"],
    }
    return fails, b1_ok


def commute_minutes(q: PersonQuery, ix: VacancyIndex, rows: np.ndarray, commute: CommuteModel):
    """Best minutes and mode from the participant's home to each row's workplace (the
    employer's shuttle included)."""
    c = ix.cols
    p = q.p
    minutes, modes = commute.best_minutes(
        origin_lat=p.home_lat,
        origin_lon=p.home_lon,
        origin_transit=p.home_transit,
        dest_lat=c["lat"][rows],
        dest_lon=c["lon"][rows],
        dest_transit=c["transit"][rows],
        off_peak=commute_off_peak(q.shifts, c["shifts"][rows]),
        car=p.has_car_access,
        bike=p.has_bike,
    )
    minutes, modes = as_row_arrays(minutes, modes, len(rows))
    return schedule_fit.shuttle_for_person(p, q.shifts, ix, rows, minutes, modes, commute)


def schedule(q: PersonQuery, ix: VacancyIndex, rows, minutes, ctx: RankingContext):
    """(schedule fails, share of working times that fit) per row (schedule_fit.py)."""
    return schedule_fit.for_person(
        q.shifts, q.commitments, q.earliest, ix, rows, minutes, ctx.as_of_day, ctx.profile.params
    )


def skill_sums(
    q: PersonQuery, ix: VacancyIndex, profile: WeightProfile, rows: np.ndarray | None = None
):
    """Importance-weighted credit and number of covered must skills, per row.

    For every index row (`rows` None): a sparse sweep over only the skill columns where the
    participant has credit, so the cost is the number of vacancies asking for those skills, not
    the size of the index. For a few given rows (a spatial prefilter, a page): their own
    entries, so the cost is proportional to those rows. Results align with `rows`.
    """
    if rows is not None and len(rows) * 8 < ix.cols.n:
        return _skill_sums_by_row(q, ix, profile, rows)
    sums = _skill_sums_by_column(q, ix, profile)
    return sums if rows is None else (sums[0][rows], sums[1][rows])


def _skill_sums_by_row(q: PersonQuery, ix: VacancyIndex, profile: WeightProfile, rows):
    w = profile.params.importance_weights
    iw = np.array([w[i] for i in IMPORTANCES])
    c = ix.cols
    coo = ix.skills.coo
    lengths = (c["n_must"][rows] + c["n_should"][rows] + c["n_nice"][rows]).astype(np.int64)
    starts = np.searchsorted(coo["row"], rows)  # entries are stored in row order
    pos = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    owner = np.repeat(np.arange(len(rows)), lengths)
    cols, codes = coo["col"][pos], coo["code"][pos]
    kind = codes >> 3
    credit = q.credit[cols * 4 + (codes & 7) - 1] * iw[kind]
    num = np.bincount(owner, weights=credit, minlength=len(rows))
    must = np.bincount(owner[(kind == 0) & q.covered[cols]], minlength=len(rows))
    return num, must


def _skill_sums_by_column(q: PersonQuery, ix: VacancyIndex, profile: WeightProfile):
    n = ix.cols.n
    w = profile.params.importance_weights
    iw = tuple(w[i] for i in IMPORTANCES)
    sk = ix.skills
    weight = sk.kind_weights(iw)
    level0 = sk.csc_level0
    by_col = q.credit.reshape(-1, 4)

    def credit_of(col, a, b):
        if b is None:  # gathered entries: `col` and `a` are per-entry arrays
            return by_col[col, level0[a]] * weight[a]
        return by_col[col][level0[a:b]] * weight[a:b]

    num = np.zeros(n)
    sweep_columns(num, sk.indptr, sk.csc_row, q.credit_cols, credit_of)
    must = np.zeros(n, dtype=np.int64)
    must_indptr, must_rows = sk.kind0_columns()
    sweep_columns(must, must_indptr, must_rows, q.covered_cols, None)
    t_rows, t_cols, t_codes = sk.tail()
    if len(t_rows):
        kind = t_codes >> 3
        slot = t_cols * 4 + (t_codes & 7) - 1
        np.add.at(num, t_rows, q.credit[slot] * np.asarray(iw)[kind])
        np.add.at(must, t_rows[(kind == 0) & q.covered[t_cols]], 1)
    return num, must


def component_values(
    q: PersonQuery, ix: VacancyIndex, rows, minutes, num, ctx: RankingContext, b1_ok, share
) -> dict[str, np.ndarray]:
    """Every registered component's values for the given rows (`num`: their skill credit,
    `share`: of their working times that fit)."""
    batch = VacancyRows(
        q=q,
        ix=ix,
        rows=rows,
        minutes=minutes,
        skill_credit=num,
        b1_ok=b1_ok,
        params=ctx.profile.params,
        as_of_day=ctx.as_of_day,
        schedule_share=share,
    )
    return components.vacancy_values(batch)


def _take(values, keep):
    """values[keep] for arrays (keep = None: all), scalars unchanged."""
    if keep is None or not isinstance(values, np.ndarray):
        return values
    return values[keep]


def survivors(
    q: PersonQuery,
    ix: VacancyIndex,
    candidates: np.ndarray | None,
    ctx: RankingContext,
    *,
    max_commute: float | None,
) -> Survivors:
    """Eligible rows (all live rows, or `candidates`), scored.

    Cheap masks → must skills → commute → components; each stage sees only the survivors of
    the one before (the must-skill sweep runs over whole columns, so it is folded into the
    cheap mask; the commute model is the most expensive per row, so it comes last).
    """
    profile = ctx.profile
    hard = hard_matrix(profile)
    col = RowView(ix, candidates)
    types = col("type")
    static = ("status", "openings", "dates")
    if all(hard[HARD_ROW[c]].all() for c in static) and q.p.status == "active":
        # Common case: the participant-independent part is a cached mask.
        ok = ix.static_ok(ctx.as_of_day)
        ok = ok.copy() if candidates is None else ok[candidates]
        fails, b1_ok = person_fails(q, col, ctx)
        p = q.p
        fails["consent"] = not p.consent_processing or (
            ctx.employer_view and not p.share_with_employers
        )
    else:
        ok = ix.cols["alive"].copy() if candidates is None else np.ones(len(candidates), np.bool_)
        fails, b1_ok = cheap_fails(q, col, ctx)
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
    # Must skills before commute: the sparse sweep is cheap and often rules out many rows.
    num, must = skill_sums(q, ix, profile, candidates)
    ok &= ~excluded_by(must < musts_needed(col, profile), "must_skill", hard, types)
    at = np.flatnonzero(ok)
    rows = at if candidates is None else candidates[at]
    num, must, b1_ok = num[at], must[at], _take(b1_ok, at)
    if not len(rows):
        return empty_survivors()
    minutes, modes = commute_minutes(q, ix, rows, ctx.commute)
    drop = excluded_by(
        ~(minutes <= q.p.max_commute_minutes), "commute", hard, ix.cols["type"][rows]
    )
    if max_commute is not None:
        drop = drop | ~(minutes <= max_commute)
    keep = np.flatnonzero(~drop)
    rows, minutes, modes, b1_ok = rows[keep], minutes[keep], modes[keep], _take(b1_ok, keep)
    num, must = num[keep], must[keep]
    # The schedule needs the commute (there and back around each shift), so it comes last.
    unfit, share = schedule(q, ix, rows, minutes, ctx)
    keep = np.flatnonzero(~excluded_by(unfit, "schedule", hard, ix.cols["type"][rows]))
    rows, minutes, modes, b1_ok = rows[keep], minutes[keep], modes[keep], _take(b1_ok, keep)
    num, must, share = num[keep], must[keep], share[keep]
    values = component_values(q, ix, rows, minutes, num, ctx, b1_ok, share)
    _, score = combine(values, profile.shares)
    return Survivors(rows, score, minutes, modes, (num, must), values)


def evaluate(
    q: PersonQuery,
    ix: VacancyIndex,
    rows: np.ndarray,
    ctx: RankingContext,
    *,
    known: Survivors | None = None,
    page: np.ndarray | None = None,
) -> Evaluation:
    """Every constraint and component for the given rows, nothing skipped (explanations).

    With `known` (the survivors these rows were picked from, `page` their positions) the
    commute, skill sums and component values are reused, so the items carry exactly the numbers
    they were ranked by.
    """
    n = len(rows)
    fails_raw, b1_ok = cheap_fails(q, RowView(ix, rows), ctx)
    fails = {k: np.broadcast_to(np.asarray(v, dtype=np.bool_), (n,)) for k, v in fails_raw.items()}
    b1_ok = np.broadcast_to(np.asarray(b1_ok, dtype=np.bool_), (n,))
    if known is None:
        minutes, modes = commute_minutes(q, ix, rows, ctx.commute)
        num, must = skill_sums(q, ix, ctx.profile, rows)
        fails["schedule"], share = schedule(q, ix, rows, minutes, ctx)
        values = component_values(q, ix, rows, minutes, num, ctx, b1_ok, share)
    else:
        minutes, modes = known.minutes[page], known.modes[page]
        must = known.skills[1][page]
        values = {name: v[page] for name, v in known.values.items()}
        fails["schedule"] = schedule(q, ix, rows, minutes, ctx)[0]
    fails["commute"] = ~(minutes <= q.p.max_commute_minutes)
    fails["must_skill"] = must < musts_needed(RowView(ix, rows), ctx.profile)
    contributions, score = combine(values, ctx.profile.shares)
    rule = q.rule_by_type[ix.cols["type"][rows]]
    return Evaluation(rows, fails, values, contributions, score, minutes, modes, b1_ok, rule)
