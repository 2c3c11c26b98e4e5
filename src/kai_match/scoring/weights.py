"""Weight profiles: component weights, hard-constraint settings per placement type, parameters.

A profile is plain data that analysts tune and the API stores as JSON (`to_dict`/`from_dict`).
Every law- or practice-dependent rule (which permit allows which placement, what is hard) lives
here, not in code. Validation reports every problem at once as `(field_path, message)` pairs so
the API can render each as one problem-document error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from types import MappingProxyType
from typing import Any

import numpy as np

from .constants import (
    CONSTRAINTS,
    IMPORTANCES,
    PERMIT_RULES,
    PLACEMENT_TYPES,
    PREFERENCE_PARTS,
    RULE_INDEX,
    SKILL_SOURCES,
    WORK_PERMITS,
)
from .fixed_rules import (
    default_permit_rules,
    softened_errors,
    with_fixed_hard,
    with_permit_floor,
)

# The default weight of every scoring component, in the order results list them. The component
# registry (components/registry.py) checks at import that it has exactly these components.
# Fit first: skills and the person's wishes order the eligible placements; the German level and
# the commute are already hard constraints, so here they only grade (measured on the
# counsellor-judged caseloads and the demo, docs/scoring.md "Fit first").
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "language": 0.10,
        "skills": 0.40,
        "occupation": 0.05,
        "commute": 0.05,
        "preferences": 0.40,
    }
)
_COMPONENTS = tuple(DEFAULT_WEIGHTS)


class ProfileError(ValueError):
    """A weight profile is invalid; `errors` lists `(field_path, message)` pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{path}: {msg}" for path, msg in self.errors))


def _ro(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class ScoringParams:
    """Tunable parameters of the components and constraints (see docs/scoring.md)."""

    skill_source_factors: Mapping[str, float] = field(
        default_factory=lambda: {"self_reported": 0.7, "assessed": 0.9, "certified": 1.0}
    )
    importance_weights: Mapping[str, float] = field(
        default_factory=lambda: {"must": 3.0, "should": 2.0, "nice": 1.0}
    )
    skill_level_gap_penalty: float = 0.25
    related_credit_cap: float = 0.5
    must_skill_accepts_related: bool = True
    must_skill_related_threshold: float = 0.75
    skills_neutral: float = 0.5
    language_gap_penalty: float = 0.2
    language_over_tolerance_penalty: float = 0.4
    b1_expected_factor: float = 0.9
    language_support_bonus: float = 0.1
    languages_wanted_bonus: float = 0.15
    literacy_penalty: float = 0.1
    occupation_same_code: float = 1.0
    occupation_isco4: float = 0.8
    occupation_isco3: float = 0.6
    occupation_isco2: float = 0.4
    occupation_no_match: float = 0.2
    occupation_neutral: float = 0.5
    experience_floor: float = 0.6
    experience_full_years: float = 3.0
    commute_exponent: float = 2.0
    preference_weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "type": 6.0,
            "field": 3.0,
            "hours": 1.0,
            "shifts": 2.0,
            "start": 1.0,
        }
    )
    field_not_wanted: float = 0.4
    missing_neutral: float = 0.5
    start_horizon_days: int = 90
    start_slack_days: int = 14
    permit_open_ended_days: int = 180
    childcare_flex_minutes: int = 60
    unverified_must: str = "flag"

    def __post_init__(self) -> None:
        for name in ("skill_source_factors", "importance_weights", "preference_weights"):
            object.__setattr__(self, name, _ro(getattr(self, name)))
        errors = _param_errors(self)
        if errors:
            raise ProfileError(errors)


_UNIT = [
    "skill_level_gap_penalty",
    "related_credit_cap",
    "must_skill_related_threshold",
    "skills_neutral",
    "language_gap_penalty",
    "language_over_tolerance_penalty",
    "b1_expected_factor",
    "language_support_bonus",
    "languages_wanted_bonus",
    "literacy_penalty",
    "occupation_same_code",
    "occupation_isco4",
    "occupation_isco3",
    "occupation_isco2",
    "occupation_no_match",
    "occupation_neutral",
    "experience_floor",
    "field_not_wanted",
    "missing_neutral",
]


def _weight_map_errors(
    path: str, value: Mapping[str, Any], keys: tuple[str, ...], *, need_positive: bool
) -> list[tuple[str, str]]:
    errors = [(f"{path}.{k}", "unknown key") for k in value if k not in keys]
    errors += [(f"{path}.{k}", "missing") for k in keys if k not in value]
    for k in keys:
        v = value.get(k)
        if k in value and not _is_number(v):
            errors.append((f"{path}.{k}", "must be a number"))
        elif k in value and not (math.isfinite(v) and v >= 0.0):
            errors.append((f"{path}.{k}", "must be a finite number ≥ 0"))
    if need_positive and not errors and not any(value[k] > 0 for k in keys):
        errors.append((path, "at least one weight must be > 0"))
    return errors


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _param_errors(p: ScoringParams) -> list[tuple[str, str]]:
    errors = _weight_map_errors(
        "params.skill_source_factors", p.skill_source_factors, SKILL_SOURCES, need_positive=False
    )
    errors += [
        (f"params.skill_source_factors.{k}", "must be ≤ 1")
        for k, v in p.skill_source_factors.items()
        if _is_number(v) and v > 1.0
    ]
    errors += _weight_map_errors(
        "params.importance_weights", p.importance_weights, IMPORTANCES, need_positive=True
    )
    errors += _weight_map_errors(
        "params.preference_weights", p.preference_weights, PREFERENCE_PARTS, need_positive=True
    )
    for name in _UNIT:
        v = getattr(p, name)
        if not _is_number(v) or not 0.0 <= v <= 1.0:
            errors.append((f"params.{name}", "must be a number in [0, 1]"))
    if not _is_number(p.experience_full_years) or not p.experience_full_years > 0:
        errors.append(("params.experience_full_years", "must be a number > 0"))
    if not _is_number(p.commute_exponent) or not 0.1 <= p.commute_exponent <= 10:
        errors.append(("params.commute_exponent", "must be a number in [0.1, 10]"))
    if not isinstance(p.must_skill_accepts_related, bool):
        errors.append(("params.must_skill_accepts_related", "must be true or false"))
    for name in ("start_horizon_days", "start_slack_days", "permit_open_ended_days"):
        v = getattr(p, name)
        if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 3660:
            errors.append((f"params.{name}", "must be an integer from 0 to 3660 (days)"))
    if p.unverified_must not in ("flag", "exclude"):
        errors.append(("params.unverified_must", "must be 'flag' or 'exclude'"))
    v = p.childcare_flex_minutes
    if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 240:
        errors.append(("params.childcare_flex_minutes", "must be an integer from 0 to 240"))
    if p.start_horizon_days == 0:
        errors.append(("params.start_horizon_days", "must be > 0"))
    return errors


def _default_hard() -> dict[str, frozenset[str]]:
    return {t: frozenset(CONSTRAINTS) for t in PLACEMENT_TYPES}


@dataclass(frozen=True)
class WeightProfile:
    """A named, versioned scoring configuration; one is active, every ranking names it."""

    name: str = "default"
    version: int = 1
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    hard_constraints: Mapping[str, frozenset[str]] = field(default_factory=_default_hard)
    permit_rules: Mapping[str, Mapping[str, str]] = field(default_factory=default_permit_rules)
    params: ScoringParams = field(default_factory=ScoringParams)

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", _ro(self.weights))
        hard = {t: with_fixed_hard(t, frozenset(v)) for t, v in dict(self.hard_constraints).items()}
        object.__setattr__(self, "hard_constraints", _ro(hard))
        rules = {t: _ro(with_permit_floor(t, v)) for t, v in dict(self.permit_rules).items()}
        object.__setattr__(self, "permit_rules", _ro(rules))
        errors = _profile_errors(self)
        if errors:
            raise ProfileError(errors)

    def __hash__(self) -> int:
        return hash((self.name, self.version))

    def weight_shares(self) -> tuple[float, ...]:
        """Each component's weight divided by the sum, in COMPONENTS order."""
        return tuple(self.shares.values())

    @cached_property
    def shares(self) -> Mapping[str, float]:
        """Each component's weight divided by the sum, by component name."""
        total = sum(self.weights[c] for c in _COMPONENTS)
        return MappingProxyType({c: self.weights[c] / total for c in _COMPONENTS})

    @cached_property
    def permit_codes(self) -> np.ndarray:
        """Rule code (RULE_INDEX: allow, flag, deny) by [placement type, permit status]."""
        codes = [
            [RULE_INDEX[self.permit_rules[t][s]] for s in WORK_PERMITS] for t in PLACEMENT_TYPES
        ]
        table = np.array(codes, dtype=np.int8)
        table.flags.writeable = False
        return table

    @cached_property
    def hard_table(self) -> np.ndarray:
        """Whether a constraint is hard, by [constraint, placement type]."""
        rows = [[c in self.hard_constraints[t] for t in PLACEMENT_TYPES] for c in CONSTRAINTS]
        table = np.array(rows, dtype=np.bool_)
        table.flags.writeable = False
        return table

    def is_hard(self, constraint: str, placement_type: str) -> bool:
        """Whether failing `constraint` excludes a vacancy of `placement_type`."""
        return constraint in self.hard_constraints[placement_type]

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form; `from_dict(to_dict())` gives an equal profile."""
        return {
            "name": self.name,
            "version": self.version,
            "weights": {c: self.weights[c] for c in _COMPONENTS},
            "hard_constraints": {
                t: [c for c in CONSTRAINTS if c in self.hard_constraints[t]]
                for t in PLACEMENT_TYPES
            },
            "permit_rules": {
                t: {s: self.permit_rules[t][s] for s in WORK_PERMITS} for t in PLACEMENT_TYPES
            },
            "params": {
                f.name: (
                    dict(getattr(self.params, f.name))
                    if isinstance(getattr(self.params, f.name), Mapping)
                    else getattr(self.params, f.name)
                )
                for f in fields(ScoringParams)
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, refuse_softened: bool = False) -> WeightProfile:
        """Parse a stored or posted profile; missing parts take the defaults.

        Raises ProfileError listing every invalid field; with ``refuse_softened`` (a posted
        profile) also every attempt to soften a fixed rule, which a stored one just gets applied.
        """
        if not isinstance(data, Mapping):
            raise ProfileError([("", "must be an object")])
        softened = softened_errors(data) if refuse_softened else []
        try:
            profile = cls._parse(data)
        except ProfileError as exc:
            raise ProfileError(exc.errors + softened) from None
        if softened:
            raise ProfileError(softened)
        return profile

    @classmethod
    def _parse(cls, data: Mapping[str, Any]) -> WeightProfile:
        known = {"name", "version", "weights", "hard_constraints", "permit_rules", "params"}
        errors = [(k, "unknown field") for k in data if k not in known]
        default = cls()
        kwargs: dict[str, Any] = {}
        for key in ("weights", "hard_constraints", "permit_rules", "params"):
            if key in data and not isinstance(data[key], Mapping):
                errors.append((key, "must be an object"))
        if errors:
            raise ProfileError(errors)
        kwargs["name"] = data.get("name", default.name)
        kwargs["version"] = data.get("version", default.version)
        if "weights" in data:
            kwargs["weights"] = {**default.weights, **data["weights"]}
        if "hard_constraints" in data:
            hard: dict[str, Any] = {t: default.hard_constraints[t] for t in PLACEMENT_TYPES}
            for t, names in data["hard_constraints"].items():
                if not isinstance(names, list | tuple) or not all(
                    isinstance(n, str) for n in names
                ):
                    errors.append((f"hard_constraints.{t}", "must be a list of constraint names"))
                    continue
                hard[t] = names
            kwargs["hard_constraints"] = hard
        if "permit_rules" in data:
            rules: dict[str, Any] = {t: dict(default.permit_rules[t]) for t in PLACEMENT_TYPES}
            for t, by_status in data["permit_rules"].items():
                if not isinstance(by_status, Mapping):
                    errors.append((f"permit_rules.{t}", "must be an object"))
                    continue
                rules[t] = {**rules.get(t, {}), **by_status}
            kwargs["permit_rules"] = rules
        if "params" in data:
            names = {f.name for f in fields(ScoringParams)}
            errors += [
                (f"params.{k}", "unknown parameter") for k in data["params"] if k not in names
            ]
            params: dict[str, Any] = {}
            for k, v in data["params"].items():
                if k not in names:
                    continue
                base = getattr(default.params, k)
                if isinstance(base, Mapping):
                    if not isinstance(v, Mapping):
                        errors.append((f"params.{k}", "must be an object"))
                        continue
                    v = {**base, **v}
                params[k] = v
            if not errors:
                try:
                    kwargs["params"] = ScoringParams(**params)
                except ProfileError as exc:
                    errors += exc.errors
        if errors:
            raise ProfileError(errors)
        return cls(**kwargs)


def _profile_errors(p: WeightProfile) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if not isinstance(p.name, str) or not p.name.strip():
        errors.append(("name", "must be a non-empty string"))
    if not isinstance(p.version, int) or isinstance(p.version, bool) or p.version < 1:
        errors.append(("version", "must be an integer ≥ 1"))
    errors += _weight_map_errors("weights", p.weights, _COMPONENTS, need_positive=True)
    for t, names in p.hard_constraints.items():
        if t not in PLACEMENT_TYPES:
            errors.append((f"hard_constraints.{t}", "unknown placement type"))
            continue
        errors += [
            (f"hard_constraints.{t}", f"unknown constraint {c!r}")
            for c in sorted(names, key=str)
            if c not in CONSTRAINTS
        ]
    errors += [
        (f"hard_constraints.{t}", "missing") for t in PLACEMENT_TYPES if t not in p.hard_constraints
    ]
    for t, by_status in p.permit_rules.items():
        if t not in PLACEMENT_TYPES:
            errors.append((f"permit_rules.{t}", "unknown placement type"))
            continue
        for status, rule in by_status.items():
            if status not in WORK_PERMITS:
                errors.append((f"permit_rules.{t}.{status}", "unknown work permit status"))
            elif rule not in PERMIT_RULES:
                errors.append((f"permit_rules.{t}.{status}", "must be one of allow, flag, deny"))
        errors += [(f"permit_rules.{t}.{s}", "missing") for s in WORK_PERMITS if s not in by_status]
    errors += [(f"permit_rules.{t}", "missing") for t in PLACEMENT_TYPES if t not in p.permit_rules]
    if not isinstance(p.params, ScoringParams):
        errors.append(("params", "must be ScoringParams"))
    return errors


DEFAULT_PROFILE = WeightProfile()
