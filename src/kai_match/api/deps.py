"""Dependencies every domain shares, as ``Annotated`` aliases: session, caller, role rules, pages.

Dependencies that do no I/O are ``async``: FastAPI runs each synchronous one in a worker
thread, and those hand-overs cost more than the checks themselves.

Load-or-404 dependencies live in each domain's ``deps.py``; they apply the caller's scope in
the same query (``access.scopes``), so a record outside the caller's reach is a 404 exactly like
a missing one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from kai_match.api.cleanup import run_cleanup
from kai_match.api.page_links import link_next_page
from kai_match.api.unit_of_work import bind, unbind
from kai_match.config import Settings
from kai_match.db import release
from kai_match.errors import FieldError, Forbidden, InvalidInput, PreconditionRequired
from kai_match.kit import signing
from kai_match.kit.pagination import PageRequest, decode_cursor
from kai_match.kit.principal import Principal
from kai_match.models.api_key import Role

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An API key (`kai_…`) or an OAuth2 client-credentials access token (JWT).",
)


async def _settings(request: Request) -> Settings:
    return request.app.state.settings


async def _session(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work (``api.unit_of_work``): one session, committed once.

    The route commits it when it returns (``UnitOfWorkRoute``); whatever is still open here (a
    route that raised, a request refused before its route ran) is rolled back, so nothing is
    ever half-written. The dependency is function-scoped, so this runs before the answer is
    sent. Opening a session does no I/O (the first query takes the connection), so only ending a
    transaction needs a thread, taken from the clean-up pool (``api.cleanup``): the transaction
    may hold locks that the shared pool's threads wait for.
    """
    # Cursors are signed with the app's keys (``kit.signing``); bound before any lock is held.
    keys = await signing.bind_for_request(request.app.state.cursor_keys)
    session = Session(request.app.state.engine, expire_on_commit=False)
    token = bind(session)
    try:
        yield session
    finally:
        unbind(token)
        signing.unbind(keys)
        if session.in_transaction():
            await run_cleanup(release, session)
        else:
            session.close()


SettingsDep = Annotated[Settings, Depends(_settings)]
SessionDep = Annotated[Session, Depends(_session, scope="function")]


def current_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    """The authenticated caller (401 without one); every ``/api/v1`` router depends on it."""
    return request.app.state.auth.principal_for(request, session, credentials)


PrincipalDep = Annotated[Principal, Depends(current_principal)]

# API clients of other organisations must say which version they change (RFC 6585, 428).
IF_MATCH_REQUIRED = frozenset({Role.employer, Role.partner})


async def _if_match(
    request: Request,
    principal: PrincipalDep,
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description="ETag from a previous GET; required from employer and partner keys",
        ),
    ] = None,
) -> str | None:
    """The If-Match header; employer and partner keys must send a real ETag on PATCH (428).

    Declared after the load-or-404 dependency in each route, so 403 and 404 come first.
    """
    missing = if_match is None or if_match.strip() in ("", "*")
    if request.method == "PATCH" and principal.role in IF_MATCH_REQUIRED and missing:
        raise PreconditionRequired(
            detail="Send If-Match with the ETag of your last GET, so no update is lost.",
            errors=[FieldError("If-Match", "is required (an ETag, not *) for this key")],
        )
    return if_match


IfMatch = Annotated[str | None, Depends(_if_match)]


def allow(*roles: Role) -> dict[str, Any]:
    """Route rule: ``@router.get(..., **allow(Role.admin, Role.counsellor))``.

    Runs before the route's other dependencies (so 403 comes before a 404 from loading), and
    names the roles in the OpenAPI operation (``x-roles``).
    """
    allowed = frozenset(roles)

    async def check_role(principal: PrincipalDep) -> None:
        if principal.role not in allowed:
            raise Forbidden(
                detail=f"The role '{principal.role}' may not use this function.",
            )

    names = [r.value for r in Role if r in allowed]
    return {
        "dependencies": [Depends(check_role)],
        "openapi_extra": {"x-roles": names},
    }


async def _page(
    request: Request,
    response: Response,
    settings: SettingsDep,
    limit: Annotated[
        int | None,
        Query(
            ge=1, description="Page size (default KAI_PAGE_LIMIT_DEFAULT); above the maximum a 422"
        ),
    ] = None,
    cursor: Annotated[
        str | None, Query(max_length=200, description="next_cursor of the previous page")
    ] = None,
) -> PageRequest:
    """The page asked for; a ``limit`` above the maximum is a 422 like every list's and
    ranking's (one rule, docs/partners.md), and the answer links its next page."""
    if limit is not None and limit > settings.page_limit_max:
        raise InvalidInput(
            errors=[FieldError("limit", f"must be at most {settings.page_limit_max}")]
        )
    link_next_page(request, response)
    return PageRequest(limit=limit or settings.page_limit_default, after_id=decode_cursor(cursor))


PageDep = Annotated[PageRequest, Depends(_page)]
