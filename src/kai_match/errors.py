"""Errors that carry their HTTP status, rendered as RFC 9457 problem documents.

KaiError (500)
├── Unauthorized (401)        no, unknown, revoked or expired credentials; sends WWW-Authenticate
├── Forbidden (403)           the caller's role may not use this function
├── NotFound (404)            also: a record outside the caller's reach (site, employer)
├── Conflict (409)            also: an illegal placement transition (names the allowed next
│                             states), no opening left, an Idempotency-Key still in flight
├── PreconditionFailed (412)  If-Match does not match the current ETag
├── PreconditionRequired (428) PATCH without If-Match from an employer or partner key
├── InvalidInput (422)        field-level errors found by services (unknown postal code …)
├── TooManyRequests (429)     the caller's rate limit is used up; sends Retry-After
└── ServiceUnavailable (503)  the database cannot be reached

An error may carry response ``headers`` (``WWW-Authenticate``, ``Retry-After``); the handler in
``main.py`` sends them with the problem document.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    """One offending field and the rule it broke."""

    field: str
    message: str


@dataclass
class KaiError(Exception):
    """Base error; ``main.py`` renders every subclass as ``application/problem+json``."""

    detail: str = ""  # empty: said from the title and the number of field errors
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    status = 500
    title = "Internal Server Error"
    slug = "internal-error"

    def __post_init__(self) -> None:
        """A detail that says something even where the raiser gave none; subclasses that add
        default headers extend this."""
        if not self.detail:
            count = len(self.errors)
            fields = f"{count} invalid field" + ("s" if count != 1 else "")
            self.detail = f"The request has {fields}." if count else f"{self.title}."

    def __str__(self) -> str:
        return self.detail


class Unauthorized(KaiError):
    """No valid credentials; RFC 6750 asks for a ``WWW-Authenticate: Bearer`` challenge."""

    status = 401
    title = "Unauthorized"
    slug = "unauthorized"

    def __post_init__(self) -> None:
        super().__post_init__()
        self.headers.setdefault("WWW-Authenticate", 'Bearer realm="kai-match"')


class Forbidden(KaiError):
    status = 403
    title = "Forbidden"
    slug = "forbidden"


class NotFound(KaiError):
    status = 404
    title = "Not Found"
    slug = "not-found"


class Conflict(KaiError):
    status = 409
    title = "Conflict"
    slug = "conflict"


class PreconditionFailed(KaiError):
    status = 412
    title = "Precondition Failed"
    slug = "precondition-failed"


class PreconditionRequired(KaiError):
    status = 428
    title = "Precondition Required"
    slug = "precondition-required"


class InvalidInput(KaiError):
    status = 422
    title = "Unprocessable Content"
    slug = "validation-error"


class TooManyRequests(KaiError):
    """Rate limit used up; ``Retry-After`` says when the window frees a request."""

    status = 429
    title = "Too Many Requests"
    slug = "too-many-requests"


class ServiceUnavailable(KaiError):
    status = 503
    title = "Service Unavailable"
    slug = "service-unavailable"
