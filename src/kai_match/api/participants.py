"""Participant routes: thin wrappers around ``services.participants``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response, status
from pydantic import BaseModel

from kai_match.api.deps import IfMatch, PageDep, ParticipantDep, SessionDep
from kai_match.api.examples import PARTICIPANT_CREATE, PARTICIPANT_UPDATE, example
from kai_match.api.problems import problem_responses
from kai_match.models.common import CefrLevel, ParticipantStatus, Site
from kai_match.models.participant import ParticipantCreate, ParticipantPublic, ParticipantUpdate
from kai_match.services import participants as service

router = APIRouter(prefix="/participants", tags=["participants"])


class ParticipantPage(BaseModel):
    items: list[ParticipantPublic]
    next_cursor: str | None


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ParticipantPublic,
    responses=problem_responses(400, 413, 422, 503),
)
def create_participant(
    session: SessionDep,
    data: Annotated[
        ParticipantCreate,
        Body(openapi_examples=example("Participant in Grimma", PARTICIPANT_CREATE)),
    ],
    response: Response,
) -> ParticipantPublic:
    created = service.create_participant(session=session, data=data)
    response.headers["Location"] = f"/api/v1/participants/{created.id}"
    response.headers["ETag"] = f'"participant-{created.id}-v1"'
    return created


@router.get("", response_model=ParticipantPage, responses=problem_responses(422, 503))
def list_participants(
    session: SessionDep,
    page: PageDep,
    site: Site | None = None,
    status: ParticipantStatus | None = None,
    german_level: CefrLevel | None = None,
) -> ParticipantPage:
    result = service.list_participants(
        session=session, page=page, site=site, status=status, german_level=german_level
    )
    return ParticipantPage(items=result.items, next_cursor=result.next_cursor)


@router.get(
    "/{participant_id}",
    response_model=ParticipantPublic,
    responses=problem_responses(404, 422, 503),
)
def get_participant(
    session: SessionDep, participant: ParticipantDep, response: Response
) -> ParticipantPublic:
    response.headers["ETag"] = service.participant_etag(participant)
    return service.participant_public(session, participant)


@router.patch(
    "/{participant_id}",
    response_model=ParticipantPublic,
    responses=problem_responses(400, 404, 412, 413, 422, 503),
)
def update_participant(
    session: SessionDep,
    participant: ParticipantDep,
    data: Annotated[
        ParticipantUpdate,
        Body(openapi_examples=example("German level and skills", PARTICIPANT_UPDATE)),
    ],
    response: Response,
    if_match: IfMatch = None,
) -> ParticipantPublic:
    updated = service.update_participant(
        session=session, participant=participant, data=data, if_match=if_match
    )
    response.headers["ETag"] = service.participant_etag(participant)
    return updated


@router.delete(
    "/{participant_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 422, 503),
)
def archive_participant(
    session: SessionDep,
    participant: ParticipantDep,
) -> Response:
    """Archive the profile: it leaves every ranking but stays for outcome statistics."""
    service.archive_participant(session=session, participant=participant)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
