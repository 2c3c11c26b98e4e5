"""Employer routes: admins manage employers; an employer key reaches only its own record."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Query, Response, status
from pydantic import BaseModel

from kai_match.api.deps import IfMatch, PageDep, PrincipalDep, SessionDep, allow
from kai_match.api.examples import EMPLOYER_CREATE, EMPLOYER_UPDATE, example
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.employers import service
from kai_match.employers.deps import EmployerDep
from kai_match.external_refs.paths import RefIdPath, RefSystemPath, answer_upsert
from kai_match.kit.versioning import record_etag
from kai_match.models.api_key import Role
from kai_match.models.employer import EmployerCreate, EmployerPublic, EmployerUpdate

router = domain_router(prefix="/employers", tags=["employers"])


class EmployerPage(BaseModel):
    items: list[EmployerPublic]
    next_cursor: str | None


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=EmployerPublic,
    responses=problem_responses(400, 413, 422, 503),
    **allow(Role.admin),
)
def create_employer(
    session: SessionDep,
    principal: PrincipalDep,
    data: Annotated[
        EmployerCreate, Body(openapi_examples=example("Logistics company", EMPLOYER_CREATE))
    ],
    response: Response,
) -> EmployerPublic:
    created = service.create_employer(session=session, data=data, principal=principal)
    response.headers["Location"] = f"/api/v1/employers/{created.id}"
    return created


@router.get("", response_model=EmployerPage, responses=problem_responses(422, 503), **allow(*Role))
def list_employers(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    name: Annotated[str | None, Query(max_length=200, description="Part of the name")] = None,
) -> EmployerPage:
    """An employer key lists its own record only; analysts get no contact persons."""
    result = service.list_employers(session=session, page=page, name=name, principal=principal)
    return EmployerPage(items=result.items, next_cursor=result.next_cursor)


@router.get(
    "/{employer_id:int}",
    response_model=EmployerPublic,
    responses=problem_responses(404, 422, 503),
    **allow(*Role),
)
def get_employer(
    session: SessionDep, principal: PrincipalDep, employer: EmployerDep, response: Response
) -> EmployerPublic:
    response.headers["ETag"] = record_etag(employer)
    return service.employer_public(session, employer, contacts=principal.role != Role.analyst)


@router.patch(
    "/{employer_id:int}",
    response_model=EmployerPublic,
    responses=problem_responses(400, 404, 412, 413, 422, 428, 503),
    **allow(Role.admin, Role.employer),
)
def update_employer(
    session: SessionDep,
    principal: PrincipalDep,
    employer: EmployerDep,
    data: Annotated[
        EmployerUpdate, Body(openapi_examples=example("More support", EMPLOYER_UPDATE))
    ],
    response: Response,
    if_match: IfMatch = None,
) -> EmployerPublic:
    updated = service.update_employer(
        session=session, employer=employer, data=data, if_match=if_match, principal=principal
    )
    response.headers["ETag"] = record_etag(employer)
    return updated


@router.delete(
    "/{employer_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 409, 422, 503),
    **allow(Role.admin),
)
def delete_employer(session: SessionDep, employer: EmployerDep) -> Response:
    service.delete_employer(session=session, employer=employer)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/by-ref/{system}/{ref_id:path}",
    response_model=EmployerPublic,
    responses=problem_responses(400, 403, 409, 412, 413, 422, 503)
    | {201: {"model": EmployerPublic, "description": "Created: the reference was new"}},
    **allow(Role.admin, Role.partner),
)
def put_employer_by_ref(
    session: SessionDep,
    principal: PrincipalDep,
    system: RefSystemPath,
    ref_id: RefIdPath,
    data: Annotated[
        EmployerCreate, Body(openapi_examples=example("Logistics company", EMPLOYER_CREATE))
    ],
    response: Response,
    if_match: IfMatch = None,
) -> EmployerPublic:
    """Create the employer this reference names (201) or replace it whole (200; `If-Match` is
    honoured). Partner keys need the system among their key's `ref_systems`."""
    upserted = service.upsert_employer_by_ref(
        session=session,
        system=system,
        ref_id=ref_id,
        data=data,
        principal=principal,
        if_match=if_match,
    )
    employer = service.get_employer(session=session, employer_id=upserted.public.id)
    answer_upsert(response, upserted, "employers", record_etag(employer))
    return upserted.public


@router.get(
    "/by-ref/{system}/{ref_id:path}",
    response_model=EmployerPublic,
    responses=problem_responses(404, 422, 503),
    **allow(*Role),
)
def get_employer_by_ref(
    session: SessionDep,
    principal: PrincipalDep,
    system: RefSystemPath,
    ref_id: RefIdPath,
    response: Response,
) -> EmployerPublic:
    employer = service.get_employer_by_ref(
        session=session, system=system, ref_id=ref_id, principal=principal
    )
    response.headers["ETag"] = record_etag(employer)
    return service.employer_public(session, employer, contacts=principal.role != Role.analyst)
