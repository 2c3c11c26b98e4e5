"""Errors that carry their HTTP status, rendered as RFC 9457 problem documents.

KaiError (500)
├── NotFound (404)
├── Conflict (409)
├── PreconditionFailed (412)
├── PreconditionRequired (428)
├── InvalidInput (422)        field-level errors found by services (unknown postal code …)
└── ServiceUnavailable (503)  the database cannot be reached
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

    detail: str = "Internal error"
    errors: list[FieldError] = field(default_factory=list)
    status = 500
    title = "Internal Server Error"
    slug = "internal-error"

    def __str__(self) -> str:
        return self.detail


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


class ServiceUnavailable(KaiError):
    status = 503
    title = "Service Unavailable"
    slug = "service-unavailable"
