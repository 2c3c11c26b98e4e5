"""Analyst routes: evaluate profiles on outcomes, learn a draft profile, propose assignments."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body

from kai_match.api.deps import PrincipalDep, SessionDep, allow
from kai_match.api.examples import example
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.insights import assignments, evaluations
from kai_match.models.analytics import (
    AssignmentOut,
    AssignmentRequest,
    EvaluationOut,
    EvaluationRequest,
    FitOut,
    FitRequest,
)
from kai_match.models.api_key import Role

router = domain_router(tags=["analytics"])

EVALUATION_EXAMPLE = {
    "profile": "commute-first",
    "baseline": "default",
    "k": 10,
    "success": "completed",
}
FIT_EXAMPLE = {"name": "learned", "store": False, "k": 10, "success": "completed"}
ASSIGNMENT_EXAMPLE = {"participant_ids": [12, 15, 31, 40], "vacancy_ids": [7, 9, 22]}


@router.post(
    "/evaluations",
    response_model=EvaluationOut,
    response_model_exclude_none=True,
    responses=problem_responses(400, 413, 422, 503),
    **allow(Role.admin, Role.analyst),
)
def create_evaluation(
    session: SessionDep,
    data: Annotated[
        EvaluationRequest,
        Body(openapi_examples=example("A draft against the default", EVALUATION_EXAMPLE)),
    ],
) -> EvaluationOut:
    """Rank the recorded candidates of every vacancy with outcomes; computed, never stored."""
    result = evaluations.evaluate_profiles(
        session=session,
        profile=(data.profile, data.profile_version),
        baseline=(data.baseline, data.baseline_version) if data.baseline else None,
        k=data.k,
        success_level=evaluations.SUCCESS_LEVEL[data.success],
        resamples=data.resamples,
    )
    return evaluations.evaluation_out(
        result, evaluations.public_ids(session=session, result=result)
    )


@router.post(
    "/weight-profiles/fit",
    response_model=FitOut,
    response_model_exclude_none=True,
    responses=problem_responses(400, 409, 413, 422, 503),
    **allow(Role.admin, Role.analyst),
)
def fit_profile(
    session: SessionDep,
    data: Annotated[FitRequest, Body(openapi_examples=example("Learn a draft", FIT_EXAMPLE))],
) -> FitOut:
    """Learn non-negative weights from outcomes; a draft, stored inactive only if asked."""
    result = evaluations.fit_profile(
        session=session,
        name=data.name,
        store=data.store,
        description=data.description,
        k=data.k,
        success_level=evaluations.SUCCESS_LEVEL[data.success],
    )
    return evaluations.fit_out(result, evaluations.public_ids(session=session, result=result))


@router.post(
    "/assignments",
    response_model=AssignmentOut,
    responses=problem_responses(400, 404, 413, 422, 503),
    **allow(Role.admin, Role.counsellor),
)
def propose_assignment(
    session: SessionDep,
    principal: PrincipalDep,
    data: Annotated[
        AssignmentRequest,
        Body(openapi_examples=example("A cohort of four, three vacancies", ASSIGNMENT_EXAMPLE)),
    ],
) -> AssignmentOut:
    """Best joint allocation of openings beside greedy; a proposal, nothing is booked."""
    return assignments.propose_assignment(session=session, data=data, principal=principal)
