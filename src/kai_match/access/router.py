"""API key administration (admins only): create (secret shown once), list, revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Query, Request, Response, status
from pydantic import BaseModel

from kai_match.access import service
from kai_match.access.deps import ApiKeyDep
from kai_match.api.deps import PageDep, PrincipalDep, SessionDep, allow
from kai_match.api.examples import API_KEY_CREATE, API_KEY_CREATE_EMPLOYER
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.models.api_key import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic, Role

router = domain_router(prefix="/api-keys", tags=["api keys"])


class ApiKeyPage(BaseModel):
    items: list[ApiKeyPublic]
    next_cursor: str | None


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    responses=problem_responses(400, 413, 422, 503),
    **allow(Role.admin),
)
def create_key(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    data: Annotated[
        ApiKeyCreate,
        Body(
            openapi_examples={
                "counsellor": {"summary": "Counsellor in Grimma", "value": API_KEY_CREATE},
                "employer": {"summary": "Employer 1", "value": API_KEY_CREATE_EMPLOYER},
            }
        ),
    ],
    response: Response,
) -> ApiKeyCreated:
    """Create a key; the answer holds the secret, which is never shown again."""
    created = service.create_key(
        session=session, data=data, hasher=request.app.state.auth.hasher, principal=principal
    )
    response.headers["Location"] = f"/api/v1/api-keys/{created.id}"
    response.headers["Cache-Control"] = "no-store"
    return created


@router.get(
    "", response_model=ApiKeyPage, responses=problem_responses(422, 503), **allow(Role.admin)
)
def list_keys(
    session: SessionDep,
    page: PageDep,
    include_revoked: Annotated[bool, Query(description="List revoked keys as well")] = False,
) -> ApiKeyPage:
    """Keys without their secrets."""
    result = service.list_keys(session=session, page=page, include_revoked=include_revoked)
    return ApiKeyPage(items=result.items, next_cursor=result.next_cursor)


@router.delete(
    "/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 422, 503),
    **allow(Role.admin),
)
def revoke_key(session: SessionDep, principal: PrincipalDep, key: ApiKeyDep) -> Response:
    """Revoke at once in every worker; the row stays so audit entries keep naming it."""
    service.revoke_key(session=session, key=key, principal=principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
