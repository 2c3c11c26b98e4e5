"""Vacancy routes: everyone reads; admins and the owning employer write."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Query, Request, Response, status
from pydantic import BaseModel, Field

from kai_match.api.deps import IfMatch, PageDep, PrincipalDep, SessionDep, allow
from kai_match.api.examples import VACANCY_CREATE, VACANCY_UPDATE, example
from kai_match.api.problems import problem_responses
from kai_match.api.representations import JSON, JSON_LD, json_ld_response, preferred
from kai_match.api.unit_of_work import domain_router
from kai_match.external_refs.paths import RefIdPath, RefSystemPath, answer_upsert
from kai_match.kit.versioning import first_etag, record_etag
from kai_match.models import Vacancy
from kai_match.models.api_key import Role
from kai_match.models.common import (
    MAX_RECORD_ID,
    PlacementType,
    PostalCode,
    StrictModel,
    VacancyStatus,
)
from kai_match.models.vacancy import VacancyCreate, VacancyPublic, VacancyUpdate
from kai_match.vacancies import service
from kai_match.vacancies.deps import VacancyDep
from kai_match.vacancies.jobposting_out import job_posting_of
from kai_match.vacancies.merge import merge_vacancies

router = domain_router(prefix="/vacancies", tags=["vacancies"])


class VacancyPage(BaseModel):
    items: list[VacancyPublic]
    next_cursor: str | None


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=VacancyPublic,
    responses=problem_responses(400, 403, 413, 422, 503),
    **allow(Role.admin, Role.employer),
)
def create_vacancy(
    session: SessionDep,
    principal: PrincipalDep,
    data: Annotated[
        VacancyCreate, Body(openapi_examples=example("Warehouse job in Borna", VACANCY_CREATE))
    ],
    response: Response,
) -> VacancyPublic:
    created = service.create_vacancy(session=session, data=data, principal=principal)
    response.headers["Location"] = f"/api/v1/vacancies/{created.id}"
    response.headers["ETag"] = first_etag(Vacancy, created.id)
    return created


@router.get("", response_model=VacancyPage, responses=problem_responses(422, 503), **allow(*Role))
def list_vacancies(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    employer_id: Annotated[int | None, Query(ge=1, le=MAX_RECORD_ID)] = None,
    type: PlacementType | None = None,
    status: VacancyStatus | None = None,
    postal_code: PostalCode | None = None,
) -> VacancyPage:
    result = service.list_vacancies(
        session=session,
        page=page,
        employer_id=employer_id,
        type=type,
        status=status,
        postal_code=postal_code,
        principal=principal,
    )
    return VacancyPage(items=result.items, next_cursor=result.next_cursor)


@router.get(
    "/{vacancy_id:int}",
    response_model=VacancyPublic,
    responses=problem_responses(404, 422, 503)
    | {200: {"content": {JSON_LD: {"schema": {"type": "object"}}}, "description": "Vacancy"}},
    **allow(*Role),
)
def get_vacancy(
    request: Request, session: SessionDep, vacancy: VacancyDep, response: Response
) -> VacancyPublic | Response:
    """``Accept: application/ld+json`` answers a schema.org JobPosting."""
    if preferred(request, (JSON, JSON_LD)) == JSON_LD:
        return json_ld_response(job_posting_of(session, vacancy), record_etag(vacancy))
    response.headers["ETag"] = record_etag(vacancy)
    return service.vacancy_public(session, vacancy)


@router.patch(
    "/{vacancy_id:int}",
    response_model=VacancyPublic,
    responses=problem_responses(400, 404, 412, 413, 422, 428, 503),
    **allow(Role.admin, Role.employer),
)
def update_vacancy(
    session: SessionDep,
    principal: PrincipalDep,
    vacancy: VacancyDep,
    data: Annotated[VacancyUpdate, Body(openapi_examples=example("More openings", VACANCY_UPDATE))],
    response: Response,
    if_match: IfMatch = None,
) -> VacancyPublic:
    updated = service.update_vacancy(
        session=session, vacancy=vacancy, data=data, if_match=if_match, principal=principal
    )
    response.headers["ETag"] = record_etag(vacancy)
    return updated


@router.delete(
    "/{vacancy_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 422, 503),
    **allow(Role.admin, Role.employer),
)
def close_vacancy(session: SessionDep, vacancy: VacancyDep) -> Response:
    """Close the vacancy; it leaves every ranking but stays for placements and outcomes."""
    service.close_vacancy(session=session, vacancy=vacancy)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/by-ref/{system}/{ref_id:path}",
    response_model=VacancyPublic,
    responses=problem_responses(400, 403, 409, 412, 413, 422, 503)
    | {201: {"model": VacancyPublic, "description": "Created: the reference was new"}},
    **allow(Role.admin, Role.employer, Role.partner),
)
def put_vacancy_by_ref(
    session: SessionDep,
    principal: PrincipalDep,
    system: RefSystemPath,
    ref_id: RefIdPath,
    data: Annotated[
        VacancyCreate, Body(openapi_examples=example("Warehouse job in Borna", VACANCY_CREATE))
    ],
    response: Response,
    if_match: IfMatch = None,
) -> VacancyPublic:
    """Create the vacancy this reference names (201) or replace it whole (200; `If-Match` is
    honoured). Sending the same body again changes nothing, not even the ETag. Partner and
    employer keys need the system among their key's `ref_systems`."""
    upserted = service.upsert_vacancy_by_ref(
        session=session,
        system=system,
        ref_id=ref_id,
        data=data,
        principal=principal,
        if_match=if_match,
    )
    stored = service.get_vacancy(session=session, vacancy_id=upserted.public.id)
    answer_upsert(response, upserted, "vacancies", record_etag(stored))
    return upserted.public


@router.get(
    "/by-ref/{system}/{ref_id:path}",
    response_model=VacancyPublic,
    responses=problem_responses(404, 422, 503),
    **allow(*Role),
)
def get_vacancy_by_ref(
    session: SessionDep,
    principal: PrincipalDep,
    system: RefSystemPath,
    ref_id: RefIdPath,
    response: Response,
) -> VacancyPublic:
    vacancy = service.get_vacancy_by_ref(
        session=session, system=system, ref_id=ref_id, principal=principal
    )
    response.headers["ETag"] = record_etag(vacancy)
    return service.vacancy_public(session, vacancy)


class MergeRequest(StrictModel):
    duplicate_id: int = Field(
        ge=1, le=MAX_RECORD_ID, description="The vacancy to merge into this one; it is closed"
    )


@router.post(
    "/{vacancy_id:int}/merge",
    response_model=VacancyPublic,
    responses=problem_responses(400, 404, 412, 413, 422, 503),
    **allow(Role.admin, Role.counsellor),
)
def merge_vacancy(
    session: SessionDep,
    principal: PrincipalDep,
    vacancy: VacancyDep,
    body: MergeRequest,
    response: Response,
    if_match: IfMatch = None,
) -> VacancyPublic:
    """Merge a duplicate (e.g. from `possible_duplicates`) into this vacancy: its references
    and placements move here, and it is closed."""
    duplicate = service.get_vacancy(
        session=session, vacancy_id=body.duplicate_id, principal=principal
    )
    merged = merge_vacancies(session=session, keep=vacancy, duplicate=duplicate, if_match=if_match)
    stored = service.get_vacancy(session=session, vacancy_id=merged.id)
    response.headers["ETag"] = record_etag(stored)
    return merged
