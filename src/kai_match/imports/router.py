"""``POST /api/v1/{vacancies|employers|participants}/bulk``: many rows, one request, a report.

The body is read raw (JSON array, JSON Lines, JobPosting ``@graph`` or CSV, by its
``Content-Type``), so the route declares its body in the OpenAPI by hand. One bulk request
counts once against the request limit and pays by rows from the cost budget
(``access.budget``, ``bulk_import``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request

from kai_match.access.budget import spend
from kai_match.api.deps import PrincipalDep, SessionDep, allow
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.errors import FieldError, InvalidInput
from kai_match.imports.bulk import BulkOptions, run_import
from kai_match.imports.rows import format_of_media_type, parse
from kai_match.kit.principal import Principal
from kai_match.models.api_key import Role
from kai_match.models.bulk import BulkReport
from kai_match.models.common import MAX_RECORD_ID
from kai_match.models.external_ref import SYSTEM_PATTERN, RefResource

router = domain_router(tags=["bulk import"])


async def _raw_body(request: Request) -> bytes:
    return await request.body()


RawBody = Annotated[bytes, Depends(_raw_body)]
DryRun = Annotated[bool, Query(description="Check and report every row, store nothing")]
Atomic = Annotated[bool, Query(description="All rows or none: one failed row stores nothing")]


def _rule(description: str, *roles: Role) -> dict[str, Any]:
    """``allow(...)`` with the raw request body described in its ``openapi_extra``."""
    rule = allow(*roles)
    rule["openapi_extra"] = rule["openapi_extra"] | _body_doc(description)
    return rule


def _body_doc(description: str) -> dict[str, Any]:
    """Only the JSON form is declared: generated clients know no CSV or JSON Lines bodies,
    which the description names (``Content-Type: text/csv``, ``application/x-ndjson``)."""
    schema = {"type": "array", "items": {"type": "object"}}
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    }


def _import(
    request: Request,
    session: SessionDep,
    principal: Principal,
    kind: RefResource,
    raw: bytes,
    options: BulkOptions,
) -> BulkReport:
    max_rows = request.app.state.settings.bulk_max_rows
    body = parse(raw, format_of_media_type(request.headers.get("content-type")), max_rows)
    spend(request, principal, "bulk_import", rows=len(body.rows))
    report = run_import(session, kind, body, principal, options)
    if options.atomic and report.failed and not options.dry_run:
        raise InvalidInput(
            detail=f"{report.failed} of {report.rows} rows failed; with atomic=true nothing "
            "was stored.",
            errors=[
                FieldError(f"rows[{result.row}].{error.field}", error.message)
                for result in report.results
                for error in result.errors
            ],
        )
    return report


ROWS_DOC = (
    "Rows as a JSON array (the body of the single create, plus `external_refs`), as JSON "
    "Lines (`Content-Type: application/x-ndjson`) or as CSV (`text/csv`; `;` or `,`, UTF-8 "
    "with or without BOM; columns in docs/partners.md). A row with "
    "`external_refs` is upserted by its first reference (created, updated or unchanged); "
    "without, it is created."
)


@router.post(
    "/vacancies/bulk",
    response_model=BulkReport,
    responses=problem_responses(400, 403, 413, 422, 429, 503),
    **_rule(
        ROWS_DOC + " Vacancy rows name their employer by `employer_id` or `employer_ref`; "
        "JSON-LD JobPosting documents (an array or `@graph`) are taken as `POST "
        "/vacancies/jobposting` takes one.",
        Role.admin,
        Role.employer,
        Role.partner,
    ),
)
def vacancies_bulk(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    raw: RawBody,
    dry_run: DryRun = False,
    atomic: Atomic = False,
    employer_id: Annotated[
        int | None, Query(ge=1, le=MAX_RECORD_ID, description="JobPosting rows: the employer")
    ] = None,
    ref_system: Annotated[
        str | None,
        Query(pattern=SYSTEM_PATTERN, description="JobPosting rows: system of a text identifier"),
    ] = None,
) -> BulkReport:
    options = BulkOptions(dry_run, atomic, employer_id=employer_id, ref_system=ref_system)
    return _import(request, session, principal, RefResource.vacancy, raw, options)


@router.post(
    "/employers/bulk",
    response_model=BulkReport,
    responses=problem_responses(400, 403, 413, 422, 429, 503),
    **_rule(ROWS_DOC, Role.admin, Role.partner),
)
def employers_bulk(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    raw: RawBody,
    dry_run: DryRun = False,
    atomic: Atomic = False,
) -> BulkReport:
    options = BulkOptions(dry_run, atomic)
    return _import(request, session, principal, RefResource.employer, raw, options)


@router.post(
    "/participants/bulk",
    response_model=BulkReport,
    responses=problem_responses(400, 403, 413, 422, 429, 503),
    **_rule(ROWS_DOC, Role.admin, Role.counsellor),
)
def participants_bulk(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    raw: RawBody,
    dry_run: DryRun = False,
    atomic: Atomic = False,
) -> BulkReport:
    options = BulkOptions(dry_run, atomic)
    return _import(request, session, principal, RefResource.participant, raw, options)
