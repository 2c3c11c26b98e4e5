"""RFC 9457 problem documents: the schema for OpenAPI and the renderers for every error."""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from kai_match.api.problem_types import TYPE_BASE
from kai_match.errors import FieldError, KaiError

PROBLEM_MEDIA_TYPE = "application/problem+json"


class ProblemFieldError(BaseModel):
    field: str = Field(examples=["german_level"])
    message: str = Field(examples=["must be one of A1, A2, B1, B2, C1, C2"])


class Problem(BaseModel):
    """Error body (RFC 9457) with the offending fields named."""

    type: str = Field(
        examples=[TYPE_BASE + "validation-error"],
        description="Relative to the service: GET it for what the type means (`/problems` lists all)",
    )
    title: str = Field(examples=["Unprocessable Content"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["The request body has 1 invalid field."])
    instance: str | None = Field(None, examples=["/api/v1/participants"])
    errors: list[ProblemFieldError] = Field(default_factory=list)


def _problem_response(name: str, status: int, example: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": name,
        "model": Problem,
        "content": {PROBLEM_MEDIA_TYPE: {"example": example}},
    }


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` entries a route declares, so clients see every error it can give."""
    catalogue = {
        400: ("Malformed JSON", "bad-request", "body", "is not valid JSON"),
        401: ("No valid credentials", "unauthorized", "Authorization", "Bearer key required"),
        403: ("Role not allowed", "forbidden", "role", "may not use this function"),
        404: ("Not found", "not-found", "id", "no such record"),
        409: ("Conflict", "conflict", "employer_id", "has vacancies"),
        412: ("Stale If-Match", "precondition-failed", "If-Match", "does not match"),
        413: ("Body too large", "payload-too-large", "body", "exceeds the size limit"),
        428: ("If-Match required", "precondition-required", "If-Match", "is required"),
        422: ("Invalid input", "validation-error", "german_level", "must be one of A1, …"),
        429: ("Rate limit reached", "too-many-requests", "Authorization", "retry after"),
        503: ("Database unavailable", "service-unavailable", "database", "not reachable"),
    }
    out: dict[int | str, dict[str, Any]] = {}
    for status in (*statuses, 500):
        if status == 500:
            out[500] = _problem_response(
                "Internal error",
                500,
                {
                    "type": TYPE_BASE + "internal-error",
                    "title": "Internal Server Error",
                    "status": 500,
                    "detail": "An unexpected error occurred.",
                    "errors": [],
                },
            )
            continue
        name, slug, field, message = catalogue[status]
        out[status] = _problem_response(
            name,
            status,
            {
                "type": TYPE_BASE + slug,
                "title": name,
                "status": status,
                "detail": name + ".",
                "errors": [{"field": field, "message": message}],
            },
        )
    return out


def auth_problem_responses() -> dict[int | str, dict[str, Any]]:
    """401, 403 and 429, which every ``/api/v1`` route can answer (declared once per router)."""
    return {k: v for k, v in problem_responses(401, 403, 429).items() if k != 500}


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    slug: str,
    errors: list[FieldError] | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=TYPE_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        errors=[ProblemFieldError(field=e.field, message=e.message) for e in errors or []],
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def render_kai_error(error: KaiError, instance: str, headers: dict | None = None) -> JSONResponse:
    return problem(
        error.status,
        error.title,
        error.detail,
        slug=error.slug,
        errors=error.errors,
        instance=instance,
        headers=headers,
    )


def field_errors_from_validation(
    exc: RequestValidationError | ValidationError,
) -> tuple[int, list[FieldError]]:
    """Turn pydantic's error list into named fields and rules a counsellor's tool can show
    (a request's, or a model's built from a console form)."""
    errors: list[FieldError] = []
    status = 422
    for err in exc.errors():
        kind = err.get("type", "")
        if kind == "json_invalid":
            status = 400
            errors.append(
                FieldError(
                    "body", f"is not valid JSON ({err.get('ctx', {}).get('error', 'syntax error')})"
                )
            )
            continue
        errors.append(FieldError(_field_path(err.get("loc", ())), _message(err)))
    return status, errors


def _field_path(loc: tuple | list) -> str:
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("function-after[_check_language_code(), str]",):
            continue
        else:
            path += ("." if path else "") + str(part)
    return path or "body"


_BOUNDS = {
    "less_than_equal": ("must be at most", "le"),
    "less_than": ("must be less than", "lt"),
    "greater_than_equal": ("must be at least", "ge"),
    "greater_than": ("must be greater than", "gt"),
}


def _message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "enum":
        expected = ctx.get("expected", "").replace("'", "").replace(" or ", ", ")
        return f"must be one of {expected}"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind == "missing":
        return "is required"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return "must be a real calendar date in the form YYYY-MM-DD"
    if kind == "date_past":
        return "must lie in the past"
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "must not be empty"
    # Bounds in the project's words, naming the bound: ``limit`` above its maximum reads
    # "must be at most 100" on every list and ranking (docs/partners.md, limit policy).
    if kind in _BOUNDS:
        rule, key = _BOUNDS[kind]
        return f"{rule} {ctx.get(key)}"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return "must be a whole number"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters long"
    if kind == "value_error":
        return str(ctx.get("error", err.get("msg", "is invalid")))
    return str(err.get("msg", "is invalid")).removeprefix("Value error, ")
