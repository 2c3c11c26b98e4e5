"""Evaluate and learn weight profiles against the recorded placement outcomes.

A placement that reached an outcome (`completed`, `hired`, `not_hired`, `withdrawn`) is one
candidate of its vacancy. Pairs are judged as the engine saw them when they were proposed: the
day is the vacancy's first proposal, and what changed *because* of the placement (the vacancy
filled, the person placed) is set back to open and active. Nothing is stored unless a learned
profile is explicitly saved, and then as a new inactive version; nothing is ever activated.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlmodel import Session, col, select

from kai_match.analytics import (
    Comparison,
    Outcome,
    ProfileEvaluation,
    build_pairs,
    evaluate_scores,
    fit_weights,
)
from kai_match.analytics.evaluate import compare_scores
from kai_match.analytics.metrics import Interval
from kai_match.errors import Conflict, FieldError
from kai_match.kit.principal import SYSTEM, Principal
from kai_match.matching.inputs import participant_profiles, vacancy_profiles
from kai_match.matching.profiles import create_profile, resolve_profile
from kai_match.matching.service import commute_model
from kai_match.models import Participant, Placement, PlacementTransition, Vacancy
from kai_match.models.analytics import (
    EvaluationOut,
    FitOut,
    IntervalOut,
    MoverOut,
    ProfileEvaluationOut,
)
from kai_match.models.placement import OUTCOME_STATES, SUCCESS_STATES, PlacementState
from kai_match.models.weight_profile import WeightProfileCreate
from kai_match.participants import pseudonyms
from kai_match.scoring import WeightProfile

SUCCESS_LEVEL = {PlacementState.completed: 1, PlacementState.hired: 2}


@dataclasses.dataclass(frozen=True)
class OutcomeData:
    """Engine profiles and outcomes of every vacancy with recorded outcomes."""

    participants: list
    vacancies: list
    outcomes: list[Outcome]
    as_of: dict[int, date]


def outcome_data(*, session: Session) -> OutcomeData:
    """Placements with an outcome, as engine inputs (pseudonymous: ids and matching data only).

    Only people who still consent to processing and were not erased: a withdrawal or an erasure
    takes a person out of every later evaluation and fit (docs/security.md).
    """
    placements = list(
        session.exec(
            select(Placement)
            .join(Participant, col(Participant.id) == col(Placement.participant_id))
            .where(
                col(Placement.state).in_(OUTCOME_STATES),
                col(Participant.consent_processing).is_(True),
                col(Participant.erased_at).is_(None),
            )
            .order_by(col(Placement.id))
        )
    )
    if not placements:
        return OutcomeData([], [], [], {})
    ids = [p.id for p in placements]
    passed = set(
        session.exec(
            select(PlacementTransition.placement_id).where(
                col(PlacementTransition.placement_id).in_(ids),
                PlacementTransition.to_state == PlacementState.completed,
            )
        )
    )
    outcomes = [
        Outcome(
            p.vacancy_id,
            p.participant_id,
            completed=p.state in SUCCESS_STATES or p.id in passed,
            hired=p.state == PlacementState.hired,
        )
        for p in placements
    ]
    as_of: dict[int, date] = {}
    for p in placements:
        day = p.proposed_on or p.created_at.date()
        as_of[p.vacancy_id] = min(as_of.get(p.vacancy_id, day), day)
    people_rows = session.exec(
        select(Participant).where(col(Participant.id).in_({p.participant_id for p in placements}))
    )
    job_rows = session.exec(
        select(Vacancy).where(col(Vacancy.id).in_({p.vacancy_id for p in placements}))
    )
    people = [
        dataclasses.replace(p, status="active") for p in participant_profiles(session, people_rows)
    ]
    jobs = [
        dataclasses.replace(v, status="open", openings_left=max(1, v.openings_left))
        for v in vacancy_profiles(session, job_rows, openings_used={})
    ]
    return OutcomeData(people, jobs, outcomes, as_of)


def _table(data: OutcomeData, profile: WeightProfile):
    from kai_match.data.taxonomy import related_skills

    return build_pairs(
        data.participants,
        data.vacancies,
        data.outcomes,
        profile,
        commute=commute_model(),
        related=related_skills,
        as_of=data.as_of,
    )


def evaluate_profiles(
    *,
    session: Session,
    profile: tuple[str | None, int | None] = (None, None),
    baseline: tuple[str | None, int | None] | None = None,
    k: int = 10,
    success_level: int = 1,
    resamples: int = 1000,
) -> ProfileEvaluation | Comparison:
    """The named (default: active) profile against the outcomes; beside a baseline if given."""
    _, chosen = resolve_profile(session=session, name=profile[0], version=profile[1])
    data = outcome_data(session=session)
    table = _table(data, chosen)
    kw = {"k": k, "success_level": success_level, "resamples": resamples}
    if baseline is None:
        return evaluate_scores(
            table, table.scores(chosen.weights), name=chosen.name, version=chosen.version, **kw
        )
    _, base = resolve_profile(session=session, name=baseline[0], version=baseline[1])
    base_table = _table(data, base)
    return compare_scores(
        table,
        base_table.scores(base.weights),
        table.scores(chosen.weights),
        names=((base.name, base.version), (chosen.name, chosen.version)),
        **kw,
    )


@dataclasses.dataclass(frozen=True)
class FitOutcome:
    """A learned draft, the cross-validation behind it, and its evaluation beside the active."""

    weights: dict[str, float]
    c: float
    cv_ndcg: dict[float, float]
    pairs: int
    comparison: Comparison
    stored: object | None


def fit_profile(
    *,
    session: Session,
    name: str = "learned",
    store: bool = False,
    description: str | None = None,
    k: int = 10,
    success_level: int = 1,
) -> FitOutcome:
    """Learn weights on the active profile's settings; store as an inactive version if asked."""
    _, active = resolve_profile(session=session)
    data = outcome_data(session=session)
    table = _table(data, active)
    try:
        fit = fit_weights(table, k=k, success_level=success_level)
    except ValueError as exc:
        raise Conflict(
            detail="There are not enough recorded outcomes to learn from.",
            errors=[FieldError("outcomes", str(exc).split(": ", 1)[-1])],
        ) from exc
    draft = WeightProfile(
        name=name,
        weights=fit.weights,
        hard_constraints=active.hard_constraints,
        permit_rules=active.permit_rules,
        params=active.params,
    )
    comparison = compare_scores(
        table,
        table.scores(active.weights),
        table.scores(draft.weights),
        names=((active.name, active.version), (name, None)),
        k=k,
        success_level=success_level,
    )
    stored = None
    if store:
        config = draft.to_dict()
        stored = create_profile(
            session=session,
            data=WeightProfileCreate(
                name=name,
                description=description or f"Learned from {len(data.outcomes)} outcomes",
                weights=config["weights"],
                hard_constraints=config["hard_constraints"],
                permit_rules=config["permit_rules"],
                params=config["params"],
            ),
        )
    return FitOutcome(fit.weights, fit.c, fit.cv_ndcg, fit.pairs, comparison, stored)


def _interval(i: Interval) -> IntervalOut:
    def clean(x: float) -> float | None:
        return None if x != x else round(x, 6)  # NaN (no data) → null

    return IntervalOut(mean=clean(i.mean), low=clean(i.low), high=clean(i.high), n=i.n)


def _profile_out(e: ProfileEvaluation) -> ProfileEvaluationOut:
    return ProfileEvaluationOut(
        name=e.name,
        version=e.version,
        k=e.k,
        vacancies=e.vacancies,
        candidates=e.candidates,
        successes=e.successes,
        metrics={m: _interval(i) for m, i in e.metrics.items()},
    )


def evaluation_out(
    result: ProfileEvaluation | Comparison, public_ids: dict[int, str]
) -> EvaluationOut:
    """The response form; movers are named by pseudonym (analysts see no internal ids)."""
    if isinstance(result, ProfileEvaluation):
        return EvaluationOut(evaluation=_profile_out(result))
    return EvaluationOut(
        a=_profile_out(result.a),
        b=_profile_out(result.b),
        difference={m: _interval(i) for m, i in result.difference.items()},
        movers=[
            MoverOut(
                vacancy_id=m.vacancy_id,
                participant_public_id=public_ids.get(m.participant_id, "unknown"),
                rank_a=m.rank_a,
                rank_b=m.rank_b,
                relevance=m.relevance,
            )
            for m in result.movers
        ],
    )


def fit_out(result: FitOutcome, public_ids: dict[int, str]) -> FitOut:
    """The response form of a fit."""
    return FitOut(
        weights=result.weights,
        regularisation_c=result.c,
        cv_ndcg={str(c): round(v, 6) for c, v in result.cv_ndcg.items() if v == v},
        pairs=result.pairs,
        comparison=evaluation_out(result.comparison, public_ids),
        stored=result.stored,
    )


def public_ids(
    *,
    session: Session,
    result: ProfileEvaluation | Comparison | FitOutcome,
    principal: Principal = SYSTEM,
) -> dict:
    """Ids of the participants a result names (movers): analysts get their own pseudonyms."""
    comparison = result.comparison if isinstance(result, FitOutcome) else result
    if not isinstance(comparison, Comparison) or not comparison.movers:
        return {}
    return pseudonyms.ids_for(session, principal, {m.participant_id for m in comparison.movers})
