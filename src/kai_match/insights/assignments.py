"""Cohort assignment proposals: the best joint allocation of openings, beside greedy.

Scores come from the engine with the active (or named) profile; only eligible pairs count.
Counsellors may include only participants of their own site (others are a 404, like any record
out of reach). A proposal only: nothing is booked, no placement is created.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlmodel import Session, col, select

from kai_match.access.scopes import participant_scope, vacancy_scope
from kai_match.analytics import greedy_assignment, lp_bound, optimal_assignment
from kai_match.audit import service as audit
from kai_match.data.taxonomy import related_skills
from kai_match.errors import NotFound
from kai_match.kit.principal import Principal
from kai_match.matching.inputs import participant_profiles, vacancy_profiles
from kai_match.matching.profiles import resolve_profile
from kai_match.matching.service import commute_model
from kai_match.models import Participant, Vacancy
from kai_match.models.analytics import AssignedPair, AssignmentOut, AssignmentRequest
from kai_match.models.matching import WeightProfileRef
from kai_match.scoring import ParticipantIndex, RankingContext, rank_participants


def _load(session: Session, model, ids: list[int], scope: list, what: str) -> list:
    rows = list(session.exec(select(model).where(col(model.id).in_(ids), *scope)))
    missing = sorted(set(ids) - {r.id for r in rows})
    if missing:
        raise NotFound(detail=f"{what} {', '.join(map(str, missing[:10]))} not found.")
    return sorted(rows, key=lambda r: r.id)


def score_matrix(people, jobs, profile, *, as_of: date) -> np.ndarray:
    """Engine scores, participants × vacancies; -inf where a pair is not eligible."""
    index = ParticipantIndex(people)
    row = {p.id: i for i, p in enumerate(people)}
    scores = np.full((len(people), len(jobs)), -np.inf)
    context = RankingContext(
        profile=profile, commute=commute_model(), related=related_skills, as_of=as_of
    )
    for j, job in enumerate(jobs):
        result = rank_participants(job, index, context, limit=len(people))
        for item in result.items:
            scores[row[item.participant_id], j] = item.score
    return scores


def propose_assignment(
    *, session: Session, data: AssignmentRequest, principal: Principal
) -> AssignmentOut:
    """Optimal and greedy allocation of the vacancies' openings left among the participants."""
    record, profile = resolve_profile(
        session=session, name=data.profile, version=data.profile_version
    )
    person_rows = _load(
        session, Participant, data.participant_ids, participant_scope(principal), "Participants"
    )
    job_rows = _load(session, Vacancy, data.vacancy_ids, vacancy_scope(principal), "Vacancies")
    people = participant_profiles(session, person_rows)
    jobs = vacancy_profiles(session, job_rows)
    scores = score_matrix(people, jobs, profile, as_of=data.as_of or date.today())
    openings = np.array([max(0, j.openings_left) for j in jobs], dtype=np.int64)
    best, greedy = optimal_assignment(scores, openings), greedy_assignment(scores, openings)
    bound = lp_bound(scores, openings)
    public = {r.id: r.public_id for r in person_rows}
    audit.record_reads(session, principal, [r.public_id for r in person_rows], "full", "rank")

    def pairs(result) -> list[AssignedPair]:
        return [
            AssignedPair(
                participant_id=people[r].id,
                participant_public_id=public[people[r].id],
                vacancy_id=jobs[c].id,
                score=round(float(s), 4),
            )
            for r, c, s in zip(result.rows, result.cols, result.scores, strict=True)
        ]

    assigned = {people[r].id for r in best.rows}
    return AssignmentOut(
        weight_profile=WeightProfileRef(name=record.name, version=record.version),
        total_optimal=round(best.total, 4),
        total_greedy=round(greedy.total, 4),
        lp_bound=round(bound, 4),
        ratio_to_lp_bound=round(best.total / bound, 6) if bound > 0 else None,
        gain_over_greedy=round(best.total - greedy.total, 4),
        eligible_pairs=int(np.isfinite(scores).sum()),
        openings=int(openings.sum()),
        assignments=pairs(best),
        greedy_assignments=pairs(greedy),
        unassigned_participant_ids=[p.id for p in people if p.id not in assigned],
    )
