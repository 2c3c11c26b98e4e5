"""The audit log, for admins: who read or changed whose data, when, in which request."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel

from kai_match.api.deps import PageDep, SessionDep, allow
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.audit import service
from kai_match.models.api_key import Role
from kai_match.models.audit import AuditEntryPublic
from kai_match.models.common import MAX_RECORD_ID

router = domain_router(prefix="/audit", tags=["audit"])


class AuditPage(BaseModel):
    items: list[AuditEntryPublic]
    next_cursor: str | None


@router.get(
    "", response_model=AuditPage, responses=problem_responses(422, 503), **allow(Role.admin)
)
def list_audit_entries(
    session: SessionDep,
    page: PageDep,
    public_id: Annotated[str | None, Query(max_length=16, description="About this person")] = None,
    key_id: Annotated[
        int | None, Query(ge=1, le=MAX_RECORD_ID, description="By this API key")
    ] = None,
    since: Annotated[
        datetime | None, Query(description="At or after this time (ISO 8601; UTC if no offset)")
    ] = None,
) -> AuditPage:
    """Entries oldest first, with cursor pagination."""
    if since is not None and since.utcoffset() is None:
        since = since.replace(tzinfo=UTC)
    result = service.list_entries(
        session=session, page=page, public_id=public_id, key_id=key_id, since=since
    )
    return AuditPage(items=result.items, next_cursor=result.next_cursor)
