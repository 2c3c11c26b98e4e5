"""Aggregates over participants (no records): for analysts, admins and counsellors."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from kai_match.api.deps import PrincipalDep, SessionDep, allow
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.insights import statistics as service
from kai_match.models.api_key import Role
from kai_match.models.statistics import ParticipantDimension, ParticipantStatistics

router = domain_router(prefix="/statistics", tags=["statistics"])


@router.get(
    "/participants",
    response_model=ParticipantStatistics,
    responses=problem_responses(422, 503),
    **allow(Role.admin, Role.counsellor, Role.analyst),
)
def participant_statistics(
    session: SessionDep,
    principal: PrincipalDep,
    by: Annotated[
        list[ParticipantDimension] | None,
        Query(description="Group by these (repeat the parameter); site when none is given"),
    ] = None,
) -> ParticipantStatistics:
    """Counts by group; counsellors count their site, analysts do not see groups below 5."""
    return service.participant_counts(session=session, principal=principal, by=by or [])
