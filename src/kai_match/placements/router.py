"""Placement routes: create from a match, move through the states, follow up after a hire.

Admins and counsellors (own site) create and move placements; employers see the placements of
their own vacancies once a person was sent to them and record the trial and its outcome;
partners and analysts read pseudonymised. See docs/placements.md.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Body, Query, Response, status

from kai_match.api.deps import IfMatch, PageDep, PrincipalDep, SessionDep, SettingsDep, allow
from kai_match.api.examples import (
    FOLLOW_UP,
    PLACEMENT_CREATE,
    PLACEMENT_CREATE_OVERRIDE,
    PLACEMENT_UPDATE,
    TRANSITION_NOT_HIRED,
    TRANSITION_SCHEDULE,
    example,
)
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.kit.versioning import first_etag, record_etag
from kai_match.models import Placement
from kai_match.models.api_key import Role
from kai_match.models.common import MAX_RECORD_ID, IsoDate, Site
from kai_match.models.placement import (
    FollowUpDueList,
    FollowUpIn,
    PlacementCreate,
    PlacementPage,
    PlacementPublic,
    PlacementState,
    PlacementUpdate,
    TransitionIn,
)
from kai_match.placements import follow_ups, views
from kai_match.placements import service as placements
from kai_match.placements.congestion import ProposalCaps
from kai_match.placements.deps import PlacementDep

router = domain_router(tags=["placements"])
KEEPERS = (Role.admin, Role.counsellor)


@router.post(
    "/placements",
    status_code=status.HTTP_201_CREATED,
    response_model=PlacementPublic,
    responses=problem_responses(400, 404, 409, 413, 422, 503),
    **allow(*KEEPERS),
)
def create_placement(
    session: SessionDep,
    principal: PrincipalDep,
    data: Annotated[
        PlacementCreate,
        Body(
            openapi_examples={
                **example("From a ranking", PLACEMENT_CREATE),
                "override": {
                    "summary": "Not eligible, placed anyway with a reason",
                    "value": PLACEMENT_CREATE_OVERRIDE,
                },
            }
        ),
    ],
    response: Response,
) -> PlacementPublic:
    """Store the pair's score and explanation now; a failed hard constraint is a 409 naming
    it, unless ``override_reason`` says why (work_permit and consent cannot be overridden)."""
    created = placements.create_placement(session=session, data=data, principal=principal)
    response.headers["Location"] = f"/api/v1/placements/{created.id}"
    response.headers["ETag"] = first_etag(Placement, created.id)
    return created


@router.get(
    "/placements",
    response_model=PlacementPage,
    responses=problem_responses(422, 503),
    **allow(*Role),
)
def list_placements(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    state: PlacementState | None = None,
    vacancy_id: Annotated[int | None, Query(ge=1, le=MAX_RECORD_ID)] = None,
    participant_id: Annotated[
        int | None, Query(ge=1, le=MAX_RECORD_ID, description="Admins and counsellors only")
    ] = None,
    participant_public_id: Annotated[str | None, Query(max_length=16)] = None,
) -> PlacementPage:
    """Placements in the caller's reach, oldest first (employers: own vacancies, once sent)."""
    result = views.list_placements(
        session=session,
        page=page,
        principal=principal,
        state=state,
        vacancy_id=vacancy_id,
        participant_id=participant_id,
        participant_public_id=participant_public_id,
    )
    return PlacementPage(items=result.items, next_cursor=result.next_cursor)


@router.get(
    "/placements/{placement_id}",
    response_model=PlacementPublic,
    responses=problem_responses(404, 422, 503),
    **allow(*Role),
)
def get_placement(
    session: SessionDep, principal: PrincipalDep, placement: PlacementDep, response: Response
) -> PlacementPublic:
    response.headers["ETag"] = record_etag(placement)
    return views.read_placement(session=session, placement=placement, principal=principal)


@router.patch(
    "/placements/{placement_id}",
    response_model=PlacementPublic,
    responses=problem_responses(400, 404, 412, 413, 422, 428, 503),
    **allow(*KEEPERS),
)
def update_placement(
    session: SessionDep,
    principal: PrincipalDep,
    placement: PlacementDep,
    data: Annotated[
        PlacementUpdate, Body(openapi_examples=example("Note and trial end", PLACEMENT_UPDATE))
    ],
    response: Response,
    if_match: IfMatch = None,
) -> PlacementPublic:
    updated = placements.update_placement(
        session=session, placement=placement, data=data, principal=principal, if_match=if_match
    )
    response.headers["ETag"] = record_etag(placement)
    return updated


@router.post(
    "/placements/{placement_id}/transitions",
    response_model=PlacementPublic,
    responses=problem_responses(400, 404, 409, 412, 413, 422, 503),
    **allow(*KEEPERS, Role.employer),
)
def move_placement(
    session: SessionDep,
    principal: PrincipalDep,
    placement: PlacementDep,
    data: Annotated[
        TransitionIn,
        Body(
            openapi_examples={
                **example("Schedule a work trial", TRANSITION_SCHEDULE),
                "not_hired": {"summary": "Not hired, with reason", "value": TRANSITION_NOT_HIRED},
            }
        ),
    ],
    response: Response,
    settings: SettingsDep,
    if_match: IfMatch = None,
) -> PlacementPublic:
    """Move to the next state. An illegal move is a 409 that lists the allowed next states;
    starting a trial or hiring books an opening (409 when none is left); sending to the
    employer is a 409 naming the cap when the vacancy or the firm has too many open proposals."""
    moved = placements.transition(
        session=session,
        placement=placement,
        data=data,
        principal=principal,
        if_match=if_match,
        caps=ProposalCaps.from_settings(settings),
    )
    response.headers["ETag"] = record_etag(placement)  # the same, reloaded row
    return moved


@router.post(
    "/placements/{placement_id}/follow-ups",
    status_code=status.HTTP_201_CREATED,
    response_model=PlacementPublic,
    responses=problem_responses(400, 404, 409, 413, 422, 503),
    **allow(*KEEPERS),
)
def record_follow_up(
    session: SessionDep,
    principal: PrincipalDep,
    placement: PlacementDep,
    data: Annotated[FollowUpIn, Body(openapi_examples=example("Three months on", FOLLOW_UP))],
) -> PlacementPublic:
    """Still employed 3, 6 or 12 months after the hire? Once per month, after it has passed."""
    return follow_ups.record_follow_up(
        session=session, placement=placement, data=data, principal=principal
    )


@router.get(
    "/follow-ups/due",
    response_model=FollowUpDueList,
    responses=problem_responses(422, 503),
    **allow(*KEEPERS),
)
def follow_ups_due(
    session: SessionDep,
    principal: PrincipalDep,
    site: Annotated[Site | None, Query(description="Counsellors: their own site")] = None,
    as_of: Annotated[IsoDate | None, Query(description="Default today")] = None,
) -> FollowUpDueList:
    """Follow-ups whose month has come and that are not recorded yet, oldest first."""
    return follow_ups.follow_ups_due(
        session=session,
        principal=principal,
        site=site.value if site else None,
        as_of=as_of or date.today(),
    )
