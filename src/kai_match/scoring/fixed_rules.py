"""The default permit rules, and the rules no weight profile may soften.

Nobody is ranked without consent (to processing; in employer views also to sharing), and a
``prohibited`` permit is never listed for a placement type the default rules deny it, nor passes
a work trial without the ``measure_only`` flag (docs/security.md). Every profile is held to them,
also one stored before the rule (defence in depth); a posted profile that tries to soften them is
refused (``WeightProfile.from_dict(..., refuse_softened=True)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .constants import PLACEMENT_TYPES, RULE_INDEX


def default_permit_rules() -> dict[str, dict[str, str]]:
    """Rule per placement type and permit status when a profile names none."""
    rules = {}
    for t in PLACEMENT_TYPES:
        rules[t] = {
            "unrestricted": "allow",
            "permitted": "allow",
            "approval_required": "flag",
            # A work trial as a measure (Maßnahme) may be possible without an employment permit.
            "prohibited": "flag" if t == "work_trial" else "deny",
        }
    return rules


_PROHIBITED_FLOOR: Mapping[str, str] = MappingProxyType(
    {t: rules["prohibited"] for t, rules in default_permit_rules().items()}
)
_FIXED_HARD: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        t: frozenset({"consent", "work_permit"} if floor == "deny" else {"consent"})
        for t, floor in _PROHIBITED_FLOOR.items()
    }
)
_AT_LEAST = {"allow": "allow, flag or deny", "flag": "flag or deny", "deny": "deny"}


def with_fixed_hard(placement_type: str, names: frozenset[str]) -> frozenset[str]:
    """The hard constraints of a placement type with the fixed ones added."""
    return names | _FIXED_HARD.get(placement_type, frozenset())


def with_permit_floor(placement_type: str, by_status: Mapping[str, Any]) -> Mapping[str, Any]:
    """The rules with ``prohibited`` raised to the floor (invalid values stay, to be reported)."""
    floor = _PROHIBITED_FLOOR.get(placement_type)
    rule = by_status.get("prohibited")
    if floor is None or rule not in RULE_INDEX or RULE_INDEX[rule] >= RULE_INDEX[floor]:
        return by_status
    return {**by_status, "prohibited": floor}


def softened_errors(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Where a posted profile tries to soften a fixed rule (malformed parts are left to parsing)."""
    errors: list[tuple[str, str]] = []
    hard = data.get("hard_constraints")
    if isinstance(hard, Mapping):
        for t, names in hard.items():
            if t in _FIXED_HARD and isinstance(names, list | tuple):
                missing = sorted(_FIXED_HARD[t] - {n for n in names if isinstance(n, str)})
                if missing:
                    message = f"must include {', '.join(missing)} (fixed for every profile)"
                    errors.append((f"hard_constraints.{t}", message))
    rules = data.get("permit_rules")
    if isinstance(rules, Mapping):
        for t, by_status in rules.items():
            if (
                t in _PROHIBITED_FLOOR
                and isinstance(by_status, Mapping)
                and with_permit_floor(t, by_status) is not by_status
            ):
                message = f"must be {_AT_LEAST[_PROHIBITED_FLOOR[t]]} (fixed for every profile)"
                errors.append((f"permit_rules.{t}.prohibited", message))
    return errors
