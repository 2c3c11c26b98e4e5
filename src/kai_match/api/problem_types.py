"""The problem-type catalogue: what each ``type`` of a problem document means, served at its URI.

A problem document's ``type`` is ``/problems/<slug>``, a reference relative to the service
(RFC 9457 §3.1.1 resolves it against the request's URL), so it leads every client to this
deployment's own description. ``GET /problems`` lists every type; ``GET /problems/<slug>``
describes one. They hold no personal data and need no key, like ``/health``.
``tests/cross/test_openapi_problems.py`` ties the catalogue to every slug the code raises.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from kai_match.errors import FieldError, NotFound

TYPE_BASE = "/problems/"


class ProblemType(BaseModel):
    type: str = Field(description="The `type` of problem documents of this kind")
    status: int = Field(description="The HTTP status these documents carry")
    title: str
    meaning: str = Field(description="What went wrong and what a client should do")


def _type(slug: str, status: int, title: str, meaning: str) -> ProblemType:
    return ProblemType(type=TYPE_BASE + slug, status=status, title=title, meaning=meaning)


PROBLEM_TYPES: dict[str, ProblemType] = {
    t.type.removeprefix(TYPE_BASE): t
    for t in (
        _type(
            "bad-request",
            400,
            "Bad Request",
            "The body is not valid JSON (or not the declared format). Fix the syntax; `errors` "
            "names `body` and where parsing stopped.",
        ),
        _type(
            "unauthorized",
            401,
            "Unauthorized",
            "No, an unknown, a revoked or an expired API key or token. Send "
            "`Authorization: Bearer <key or token>`; `WWW-Authenticate` says which.",
        ),
        _type(
            "forbidden",
            403,
            "Forbidden",
            "The caller's role may not use this operation (`x-roles` in the OpenAPI lists "
            "who may). Retrying with the same key does not help.",
        ),
        _type(
            "not-found",
            404,
            "Not Found",
            "The record does not exist or lies outside the caller's reach (another site, "
            "another employer); both look the same on purpose.",
        ),
        _type(
            "http-404",
            404,
            "Not Found",
            "No route has this path. Check the URL and the `/api/v1` prefix.",
        ),
        _type(
            "http-405",
            405,
            "Method Not Allowed",
            "The path exists but not with this method; `Allow` lists the methods it has.",
        ),
        _type(
            "conflict",
            409,
            "Conflict",
            "The request contradicts the stored state: an illegal placement step (the detail "
            "names the allowed ones), no opening left, a record still in use, or a request "
            "with the same Idempotency-Key still running. Read the record again before retrying.",
        ),
        _type(
            "precondition-failed",
            412,
            "Precondition Failed",
            "`If-Match` does not match the record's current ETag: someone changed it since "
            "it was read. GET it again and reapply the change.",
        ),
        _type(
            "payload-too-large",
            413,
            "Content Too Large",
            "The body exceeds the configured size limit (`KAI_MAX_BODY_BYTES`). Send less "
            "per request.",
        ),
        _type(
            "validation-error",
            422,
            "Unprocessable Content",
            "One or more fields or parameters break a rule; `errors` names each `field` with "
            "its rule (an unknown query parameter, a `limit` above the maximum, an unknown "
            "postal code, …). Nothing was written.",
        ),
        _type(
            "precondition-required",
            428,
            "Precondition Required",
            "Employer and partner keys must send `If-Match` with the ETag of their last GET "
            "when they change a record, so that no update is lost.",
        ),
        _type(
            "too-many-requests",
            429,
            "Too Many Requests",
            "The key's request or cost budget per minute is used up; retry after the "
            "seconds in `Retry-After`.",
        ),
        _type(
            "internal-error",
            500,
            "Internal Server Error",
            "An unexpected error; it is logged with the request's `X-Request-ID`. Report "
            "that id to the operators.",
        ),
        _type(
            "service-unavailable",
            503,
            "Service Unavailable",
            "The database cannot be reached, the request took too long, or the expensive "
            "operations are all busy. Nothing was changed; retry after `Retry-After` seconds.",
        ),
        _type(
            "insufficient-storage",
            507,
            "Insufficient Storage",
            "The database cannot write (disk full or read-only). Nothing was changed; the "
            "operators have to act, retry after `Retry-After` seconds.",
        ),
    )
}


class ProblemTypeList(BaseModel):
    items: list[ProblemType]
    next_cursor: None = Field(None, description="Always null: the catalogue is one page")


router = APIRouter(prefix="/problems", tags=["operations"])


@router.get("", response_model=ProblemTypeList, summary="Problem types")
async def problem_types() -> ProblemTypeList:
    """Every ``type`` a problem document of this service can carry, with what it means."""
    return ProblemTypeList(items=list(PROBLEM_TYPES.values()))


@router.get("/{slug}", response_model=ProblemType, summary="One problem type")
async def problem_type(slug: Annotated[str, Path(max_length=40)]) -> ProblemType:
    """What the problem documents whose ``type`` is this URI mean."""
    found = PROBLEM_TYPES.get(slug)
    if found is None:
        raise NotFound(
            detail=f"There is no problem type '{slug}'.",
            errors=[FieldError("slug", "must be one of " + ", ".join(PROBLEM_TYPES))],
        )
    return found
