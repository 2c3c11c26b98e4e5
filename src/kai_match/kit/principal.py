"""Who is calling: the caller of one request as every layer sees it, without HTTP."""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    ref_systems: frozenset[str] | None = frozenset()
    """Partner systems whose external references this caller may set; ``None``: any (admins)."""

    def __post_init__(self) -> None:
        if self.role == Role.admin:  # admins may set every system's references
            object.__setattr__(self, "ref_systems", None)

    @property
    def sees_personal_data(self) -> bool:
        return self.role in FULL_VIEW_ROLES

    def with_request(self, route: str, request_id: str | None) -> Principal:
        return replace(self, route=route, request_id=request_id)

    def may_set_ref(self, system: str) -> bool:
        return self.ref_systems is None or system in self.ref_systems


SYSTEM = Principal(role=Role.admin, actor="system", ref_systems=None)
