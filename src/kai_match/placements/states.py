"""Who may move a placement where: the state machine's table read for one caller.

The states, the transition table and its named subsets are the table's vocabulary and live
with it (``models.placement``); this module holds the rules that depend on the caller.
"""

from __future__ import annotations

from kai_match.errors import Conflict, FieldError, Forbidden
from kai_match.kit.principal import FULL_VIEW_ROLES, Principal
from kai_match.models.api_key import Role
from kai_match.models.placement import EMPLOYER_STATES, TRANSITIONS, PlacementState


def allowed_next(state: str, role: Role) -> list[PlacementState]:
    """The states ``role`` may move a placement in ``state`` to."""
    nxt = TRANSITIONS[PlacementState(state)]
    if role == Role.employer:
        return [s for s in nxt if s in EMPLOYER_STATES]
    if role in FULL_VIEW_ROLES:
        return list(nxt)
    return []


def check_allowed(source: str, target: str, principal: Principal) -> None:
    """An employer may record the trial and its outcome only; the rest is the machine's rule."""
    legal = TRANSITIONS[PlacementState(source)]
    if principal.role == Role.employer and target not in EMPLOYER_STATES and target in legal:
        raise Forbidden(
            detail="Employers record the trial and its outcome; counsellors do the rest.",
            errors=[FieldError("to", "must be one of " + ", ".join(sorted(EMPLOYER_STATES)))],
        )
    if target in legal:
        return
    allowed = allowed_next(source, principal.role)
    listed = ", ".join(allowed) if allowed else "none (final state)"
    raise Conflict(
        detail=f"A placement in '{source}' cannot move to '{target}'. Allowed next states: "
        f"{listed}.",
        errors=[FieldError("to", f"must be one of: {listed}")],
    )
