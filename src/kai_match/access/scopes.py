"""The query conditions that keep each role inside its reach.

Scope is applied *in the query* (``WHERE site = …``), never by filtering results afterwards: a
record outside the caller's reach is then simply not found, which the API answers with 404.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col

from kai_match.errors import FieldError, Forbidden
from kai_match.kit.principal import Principal
from kai_match.models import Employer, Participant, Vacancy
from kai_match.models.api_key import Role


def participant_scope(principal: Principal | None) -> list[Any]:
    """Conditions on ``Participant`` for what the caller may see.

    Counsellors: their site. Employers: only people who agreed to share their pseudonymised
    profile (and to processing at all) — used by rankings, as employers cannot list people.
    """
    if principal is None:
        return []
    if principal.role == Role.counsellor:
        return [col(Participant.site) == principal.site]
    if principal.role == Role.employer:
        return [
            col(Participant.consent_processing).is_(True),
            col(Participant.consent_share_with_employers).is_(True),
            col(Participant.erased_at).is_(None),
        ]
    return []


def vacancy_scope(principal: Principal | None) -> list[Any]:
    """Employers reach their own vacancies only; everyone else reads all of them."""
    if principal is not None and principal.role == Role.employer:
        return [col(Vacancy.employer_id) == principal.employer_id]
    return []


def employer_scope(principal: Principal | None) -> list[Any]:
    """Employers reach their own employer record only."""
    if principal is not None and principal.role == Role.employer:
        return [col(Employer.id) == principal.employer_id]
    return []


def site_in_reach(principal: Principal, site: str | None, *, what: str) -> str | None:
    """The site a per-site list answers for: a counsellor's own (asking for another is a 403
    naming ``site``), anyone else's choice (None: all sites). ``what`` names the list."""
    if principal.role != Role.counsellor:
        return site
    if site is not None and site != principal.site:
        raise Forbidden(
            detail=f"Counsellors see the {what} of their own site.",
            errors=[FieldError("site", f"must be {principal.site}")],
        )
    return principal.site
