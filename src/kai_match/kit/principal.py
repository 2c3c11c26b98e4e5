"""Who is calling: the caller of one request as every layer sees it, without HTTP."""

from __future__ import annotations

from dataclasses import dataclass

from kai_match.models.api_key import Role

# Roles that see names, birth dates and contact data (of their own site, for counsellors).
FULL_VIEW_ROLES = frozenset({Role.admin, Role.counsellor})


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request, with what the audit log needs to name them."""

    role: Role
    actor: str  # "key:12", "bootstrap" or "jwt:<client>": never a secret
    key_id: int | None = None
    site: str | None = None
    employer_id: int | None = None
    route: str = ""  # "GET /api/v1/participants/{participant_id}"
    request_id: str | None = None

    @property
    def sees_personal_data(self) -> bool:
        return self.role in FULL_VIEW_ROLES

    def with_request(self, route: str, request_id: str | None) -> Principal:
        return Principal(
            role=self.role,
            actor=self.actor,
            key_id=self.key_id,
            site=self.site,
            employer_id=self.employer_id,
            route=route,
            request_id=request_id,
        )


SYSTEM = Principal(role=Role.admin, actor="system")
