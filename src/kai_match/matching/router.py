"""Ranking routes: matches for a participant or a vacancy, one pair explained, batches."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Header, Query, Request, Response

from kai_match.access.budget import spend
from kai_match.api.deps import PrincipalDep, SessionDep, allow
from kai_match.api.page_links import link_next_page
from kai_match.api.problems import problem_responses
from kai_match.api.reason_language import LANG_PATTERN, reason_language
from kai_match.api.representations import CSV, JSON, csv_content, preferred, ranking_csv
from kai_match.api.unit_of_work import domain_router
from kai_match.matching import service
from kai_match.matching.indexes import MatchingIndexes
from kai_match.models.api_key import Role
from kai_match.models.common import MAX_RECORD_ID, IsoDate, PlacementType
from kai_match.models.matching import BatchOut, BatchRequest, ExplanationOut, RankingOut
from kai_match.participants.deps import ParticipantDep
from kai_match.participants.service import get_participant
from kai_match.vacancies.deps import VacancyDep
from kai_match.vacancies.service import get_vacancy

router = domain_router(tags=["matching"])


async def _indexes(request: Request) -> MatchingIndexes:
    return request.app.state.matching


IndexesDep = Annotated[MatchingIndexes, Depends(_indexes)]


async def _ranking_request(
    http_request: Request,
    http_response: Response,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=100, description="Items per page")] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    max_commute: Annotated[
        int | None, Query(ge=1, le=240, description="Minutes; tighter than the person's limit")
    ] = None,
    profile: Annotated[
        str | None, Query(max_length=64, description="Weight profile for a what-if ranking")
    ] = None,
    version: Annotated[
        int | None, Query(ge=1, le=MAX_RECORD_ID, description="Version of `profile`")
    ] = None,
    lang: Annotated[str | None, Query(pattern=LANG_PATTERN, description="Reason texts")] = None,
    accept_language: Annotated[str | None, Header(alias="Accept-Language")] = None,
    as_of: Annotated[
        IsoDate | None,
        Query(
            description="Rank as on this earlier day (reproduce a list); admins and analysts "
            "only, never in the future"
        ),
    ] = None,
) -> service.RankingRequest:
    service.check_as_of(as_of, principal)
    link_next_page(http_request, http_response)  # a ranking's JSON answer links its next page
    return service.RankingRequest(
        limit=limit,
        cursor=cursor,
        max_commute_minutes=max_commute,
        profile_name=profile,
        profile_version=version,
        lang=reason_language(lang, accept_language),
        as_of=as_of,
        proposals_per_opening=http_request.app.state.settings.proposals_per_opening,
    )


RankingRequestDep = Annotated[service.RankingRequest, Depends(_ranking_request)]


@router.get(
    "/participants/{participant_id}/matches",
    response_model=RankingOut,
    responses=problem_responses(404, 422, 503) | csv_content("Ranking (JSON, or CSV on Accept)"),
    **allow(Role.admin, Role.counsellor, Role.partner, Role.analyst),
)
def participant_matches(
    http_request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    indexes: IndexesDep,
    participant: ParticipantDep,
    request: RankingRequestDep,
    type: Annotated[list[PlacementType] | None, Query(description="Placement types")] = None,
) -> RankingOut | Response:
    """Which placements fit this person, best first, each with its explanation.

    ``Accept: text/csv`` answers one CSV row per item."""
    if type:
        request = service.RankingRequest(**{**request.__dict__, "types": tuple(type)})
    ranking = service.matches_for_participant(
        session=session,
        indexes=indexes,
        participant=participant,
        request=request,
        principal=principal,
    )
    if preferred(http_request, (JSON, CSV)) == CSV:
        return ranking_csv(http_request, ranking)
    return ranking


@router.get(
    "/vacancies/{vacancy_id}/matches",
    response_model=RankingOut,
    responses=problem_responses(404, 422, 503) | csv_content("Ranking (JSON, or CSV on Accept)"),
    **allow(*Role),
)
def vacancy_matches(
    http_request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    indexes: IndexesDep,
    vacancy: VacancyDep,
    request: RankingRequestDep,
) -> RankingOut | Response:
    """Which participants fit this vacancy, best first (employers: their own vacancies).

    ``Accept: text/csv`` answers one CSV row per item."""
    ranking = service.matches_for_vacancy(
        session=session, indexes=indexes, vacancy=vacancy, request=request, principal=principal
    )
    if preferred(http_request, (JSON, CSV)) == CSV:
        return ranking_csv(http_request, ranking)
    return ranking


@router.get(
    "/matches/explain",
    response_model=ExplanationOut,
    responses=problem_responses(404, 422, 503),
    **allow(Role.admin, Role.counsellor),
)
def explain_match(
    http_request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    request: RankingRequestDep,
    participant_id: Annotated[int, Query(ge=1, le=MAX_RECORD_ID)],
    vacancy_id: Annotated[int, Query(ge=1, le=MAX_RECORD_ID)],
) -> ExplanationOut:
    """Why a pair is or is not suggested: failed constraints by name, and the score anyway."""
    return service.explain_pair(
        session=session,
        participant=get_participant(
            session=session, participant_id=participant_id, principal=principal
        ),
        vacancy=get_vacancy(session=session, vacancy_id=vacancy_id, principal=principal),
        request=request,
        principal=principal,
        router=http_request.app.state.router,
    )


@router.post(
    "/matches/batch",
    response_model=BatchOut,
    responses=problem_responses(400, 404, 413, 422, 503),
    **allow(Role.admin, Role.counsellor, Role.partner, Role.analyst),
)
def batch_matches(
    http_request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    indexes: IndexesDep,
    body: Annotated[
        BatchRequest,
        Body(
            openapi_examples={
                "default": {
                    "summary": "Three participants",
                    "value": {"participant_ids": [1, 2, 3], "limit": 5, "type": ["work_trial"]},
                }
            }
        ),
    ],
    lang: Annotated[str | None, Query(pattern=LANG_PATTERN)] = None,
    accept_language: Annotated[str | None, Header(alias="Accept-Language")] = None,
) -> BatchOut:
    """Rankings for many participants or many vacancies (e.g. a cohort) in one call.

    Ids per batch and items per ranking are bounded per role, and a batch costs
    ⌈ids × (limit + 30) / 100⌉ units of the caller's cost budget per minute (429 with
    Retry-After once it is used up)."""
    spend(http_request, principal, "batch", **service.batch_sizes(body))
    return service.batch(
        session=session,
        indexes=indexes,
        body=body,
        lang=reason_language(lang, accept_language),
        principal=principal,
    )
