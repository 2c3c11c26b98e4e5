"""Analyst routes: evaluate profiles on outcomes, learn a draft profile, propose assignments."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Request

from kai_match.access.budget import spend
from kai_match.api.deps import PrincipalDep, SessionDep, allow
from kai_match.api.examples import example
from kai_match.api.heavy import heavy
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


# Each body, once it is valid and its cost is charged to the caller's budget (access.budget):
# analyses take seconds, so they pay before the work starts.
def _evaluation_paid(
    request: Request,
    principal: PrincipalDep,
    data: Annotated[
        EvaluationRequest,
        Body(openapi_examples=example("A draft against the default", EVALUATION_EXAMPLE)),
    ],
) -> EvaluationRequest:
    spend(request, principal, "evaluation", resamples=data.resamples, baseline=bool(data.baseline))
    return data


def _fit_paid(
    request: Request,
    principal: PrincipalDep,
    data: Annotated[FitRequest, Body(openapi_examples=example("Learn a draft", FIT_EXAMPLE))],
) -> FitRequest:
    spend(request, principal, "fit")
    return data


def _assignment_paid(
    request: Request,
    principal: PrincipalDep,
    data: Annotated[
        AssignmentRequest,
        Body(openapi_examples=example("A cohort of four, three vacancies", ASSIGNMENT_EXAMPLE)),
    ],
) -> AssignmentRequest:
    sizes = {"participant_ids": len(data.participant_ids), "vacancy_ids": len(data.vacancy_ids)}
    spend(request, principal, "assignment", **sizes)
    return data


@router.post(
    "/evaluations",
    response_model=EvaluationOut,
    response_model_exclude_none=True,
    responses=problem_responses(400, 413, 422, 503),
    **heavy(allow(Role.admin, Role.analyst)),
)
def create_evaluation(
    session: SessionDep,
    principal: PrincipalDep,
    data: Annotated[EvaluationRequest, Depends(_evaluation_paid)],
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
        result, evaluations.public_ids(session=session, result=result, principal=principal)
    )


@router.post(
    "/weight-profiles/fit",
    response_model=FitOut,
    response_model_exclude_none=True,
    responses=problem_responses(400, 409, 413, 422, 503),
    **heavy(allow(Role.admin, Role.analyst)),
)
def fit_profile(
    session: SessionDep,
    principal: PrincipalDep,
    data: Annotated[FitRequest, Depends(_fit_paid)],
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
    movers = evaluations.public_ids(session=session, result=result, principal=principal)
    return evaluations.fit_out(result, movers)


@router.post(
    "/assignments",
    response_model=AssignmentOut,
    responses=problem_responses(400, 404, 413, 422, 503),
    **heavy(allow(Role.admin, Role.counsellor)),
)
def propose_assignment(
    session: SessionDep,
    principal: PrincipalDep,
    data: Annotated[AssignmentRequest, Depends(_assignment_paid)],
) -> AssignmentOut:
    """Best joint allocation of openings beside greedy; a proposal, nothing is booked."""
    return assignments.propose_assignment(session=session, data=data, principal=principal)
