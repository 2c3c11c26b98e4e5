"""Participant routes: thin wrappers around ``participants.service``.

Archiving and erasure (``DELETE``) are in ``privacy.router``.

Admins and counsellors of the participant's site see the full record; analysts see the
pseudonymised view, under their own pseudonyms and with site, municipality, age band and German
level generalised over the whole population (``participants.anonymity``); employers and partners
get no participant records at all.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Query, Response, status
from pydantic import BaseModel

from kai_match.api.deps import IfMatch, PageDep, PrincipalDep, SessionDep, allow
from kai_match.api.examples import PARTICIPANT_CREATE, PARTICIPANT_UPDATE, example
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.external_refs.paths import RefIdPath, RefSystemPath, answer_upsert
from kai_match.kit.versioning import first_etag, record_etag
from kai_match.models import Participant
from kai_match.models.api_key import Role
from kai_match.models.common import CefrLevel, ParticipantStatus, Site
from kai_match.models.participant import (
    ParticipantCreate,
    ParticipantPseudonymous,
    ParticipantPublic,
    ParticipantUpdate,
)
from kai_match.participants import service
from kai_match.participants.deps import ParticipantDep

router = domain_router(prefix="/participants", tags=["participants"])

KEEPERS = (Role.admin, Role.counsellor)


class ParticipantPage(BaseModel):
    items: list[ParticipantPublic | ParticipantPseudonymous]
    next_cursor: str | None


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ParticipantPublic,
    responses=problem_responses(400, 413, 422, 503),
    **allow(*KEEPERS),
)
def create_participant(
    session: SessionDep,
    principal: PrincipalDep,
    data: Annotated[
        ParticipantCreate,
        Body(openapi_examples=example("Participant in Grimma", PARTICIPANT_CREATE)),
    ],
    response: Response,
) -> ParticipantPublic:
    created = service.create_participant(session=session, data=data, principal=principal)
    response.headers["Location"] = f"/api/v1/participants/{created.id}"
    response.headers["ETag"] = first_etag(Participant, created.id)
    return created


@router.get(
    "",
    response_model=ParticipantPage,
    responses=problem_responses(422, 503),
    **allow(*KEEPERS, Role.analyst),
)
def list_participants(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    site: Site | None = None,
    status: ParticipantStatus | None = None,
    german_level: CefrLevel | None = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Counsellors and admins: part of the name, the id or any pseudonym; "
            "analysts: the pseudonym they were given",
        ),
    ] = None,
) -> ParticipantPage:
    """Counsellors get their site's participants; analysts get pseudonymised, generalised items
    (their ``site`` and ``german_level`` filters compare with the values shown)."""
    result = service.list_participants(
        session=session,
        page=page,
        principal=principal,
        site=site,
        status=status,
        german_level=german_level,
        q=q,
    )
    return ParticipantPage(items=result.items, next_cursor=result.next_cursor)


@router.get(
    "/{participant_id:int}",
    response_model=ParticipantPublic | ParticipantPseudonymous,
    responses=problem_responses(404, 422, 503),
    **allow(*KEEPERS, Role.analyst),
)
def get_participant(
    session: SessionDep, principal: PrincipalDep, participant: ParticipantDep, response: Response
) -> ParticipantPublic | ParticipantPseudonymous:
    response.headers["ETag"] = record_etag(participant)
    return service.read_participant(session=session, participant=participant, principal=principal)


@router.patch(
    "/{participant_id:int}",
    response_model=ParticipantPublic,
    responses=problem_responses(400, 404, 409, 412, 413, 422, 503),
    **allow(*KEEPERS),
)
def update_participant(
    session: SessionDep,
    principal: PrincipalDep,
    participant: ParticipantDep,
    data: Annotated[
        ParticipantUpdate,
        Body(openapi_examples=example("German level and skills", PARTICIPANT_UPDATE)),
    ],
    response: Response,
    if_match: IfMatch = None,
) -> ParticipantPublic:
    updated = service.update_participant(
        session=session, participant=participant, data=data, if_match=if_match, principal=principal
    )
    response.headers["ETag"] = record_etag(participant)
    return updated


@router.put(
    "/by-ref/{system}/{ref_id:path}",
    response_model=ParticipantPublic,
    responses=problem_responses(400, 403, 409, 412, 413, 422, 503)
    | {201: {"model": ParticipantPublic, "description": "Created: the reference was new"}},
    **allow(*KEEPERS),
)
def put_participant_by_ref(
    session: SessionDep,
    principal: PrincipalDep,
    system: RefSystemPath,
    ref_id: RefIdPath,
    data: Annotated[
        ParticipantCreate,
        Body(openapi_examples=example("Participant in Grimma", PARTICIPANT_CREATE)),
    ],
    response: Response,
    if_match: IfMatch = None,
) -> ParticipantPublic:
    """Create the profile this reference names, e.g. the job centre's customer number (201),
    or replace it whole (200; `If-Match` is honoured). Counsellor keys need the system among
    their key's `ref_systems`."""
    upserted = service.upsert_participant_by_ref(
        session=session,
        system=system,
        ref_id=ref_id,
        data=data,
        principal=principal,
        if_match=if_match,
    )
    stored = service.get_participant(session=session, participant_id=upserted.public.id)
    answer_upsert(response, upserted, "participants", record_etag(stored))
    return upserted.public


@router.get(
    "/by-ref/{system}/{ref_id:path}",
    response_model=ParticipantPublic,
    responses=problem_responses(404, 422, 503),
    **allow(*KEEPERS),
)
def get_participant_by_ref(
    session: SessionDep,
    principal: PrincipalDep,
    system: RefSystemPath,
    ref_id: RefIdPath,
    response: Response,
) -> ParticipantPublic:
    participant = service.get_participant_by_ref(
        session=session, system=system, ref_id=ref_id, principal=principal
    )
    response.headers["ETag"] = record_etag(participant)
    view = service.read_participant(session=session, participant=participant, principal=principal)
    assert isinstance(view, ParticipantPublic)  # keepers see the full record
    return view
