"""Vacancies from schema.org JobPosting documents (JSON-LD), as job boards publish them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Query, Response, status

from kai_match.api.deps import PrincipalDep, SessionDep, allow
from kai_match.api.examples import JOB_POSTING
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.external_refs.upsert import Outcome
from kai_match.models.api_key import Role
from kai_match.models.common import MAX_RECORD_ID
from kai_match.models.external_ref import SYSTEM_PATTERN
from kai_match.models.jobposting import JobPostingImport
from kai_match.vacancies import jobposting_in as service

router = domain_router(prefix="/vacancies", tags=["vacancies"])


@router.post(
    "/jobposting",
    status_code=status.HTTP_201_CREATED,
    response_model=JobPostingImport,
    responses=problem_responses(400, 403, 409, 413, 422, 503)
    | {200: {"model": JobPostingImport, "description": "Updated: the identifier was known"}},
    **allow(Role.admin, Role.employer),
)
def import_job_posting(
    session: SessionDep,
    principal: PrincipalDep,
    document: Annotated[
        dict[str, Any],
        Body(
            media_type="application/ld+json",
            openapi_examples={"default": {"summary": "Warehouse job", "value": JOB_POSTING}},
        ),
    ],
    response: Response,
    employer_id: Annotated[
        int | None, Query(ge=1, le=MAX_RECORD_ID, description="Admins: the posting employer")
    ] = None,
    ref_system: Annotated[
        str | None,
        Query(
            pattern=SYSTEM_PATTERN,
            description="The system a plain-text `identifier` belongs to (e.g. `ba`)",
        ),
    ] = None,
) -> JobPostingImport:
    """Create a vacancy from a JobPosting; the answer says which fields were not taken over
    (``unmapped``, with the reason) and which vacancy fields got a default (``defaults_applied``).
    The minimum German level comes from ``kai:minGermanLevel`` or the employer's typical one.
    An ``identifier`` (a ``PropertyValue`` whose ``propertyID`` names the system, or a text with
    ``?ref_system=``) becomes an external reference: importing it again updates that vacancy
    (200) instead of creating a second one."""
    result = service.import_job_posting(
        session=session,
        document=document,
        principal=principal,
        employer_id=employer_id,
        ref_system=ref_system,
    )
    if result.outcome == Outcome.created:
        response.headers["Location"] = f"/api/v1/vacancies/{result.vacancy.id}"
    else:
        response.status_code = status.HTTP_200_OK
    return result
