"""What the engine answers: ranked items and single-pair explanations, each fully explained."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(slots=True)
class Component:
    """One scoring component: value in [0, 1], normalised weight, contribution (points) and why.

    Not frozen only because rankings create many of them (frozen init is 3× slower); treat it
    as read-only.
    """

    value: float
    weight: float
    contribution: float
    reason: str


@dataclass(frozen=True, slots=True)
class ConstraintFailure:
    """A failed hard constraint, by name (see CONSTRAINTS), with a human reason."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Flag:
    """Something a counsellor must check although the pair is eligible.

    Codes: `approval_required`, `measure_only`, `permit_check`, `permit_renewal_pending`,
    `permit_ends_during`, `b1_expected`, `unverified_requirement`, `certificate_unproven`, `recognition_pending`, `missing_data`, and
    the name of any constraint that failed but is not hard for the type.
    """

    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class MatchItem:
    """One eligible pair in a ranking."""

    participant_id: int
    vacancy_id: int
    rank: int
    score: float
    components: Mapping[str, Component]
    commute_minutes: float
    commute_mode: str | None
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True, slots=True)
class RankingResult:
    """A page of a ranking; `total` counts all eligible pairs after filters.

    `next_after` is the keyset cursor (order keys, then id) of the last item when more follow;
    pass it back as `after=` to get the next page.
    """

    profile_name: str
    profile_version: int
    items: tuple[MatchItem, ...]
    total: int
    next_after: tuple[float, ...] | None


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a pair is (not) suggested: constraints, flags and the score, computed regardless."""

    participant_id: int
    vacancy_id: int
    eligible: bool
    failed_constraints: tuple[ConstraintFailure, ...]
    flags: tuple[Flag, ...]
    score: float
    components: Mapping[str, Component]
    commute_minutes: float
    commute_mode: str | None
    profile_name: str
    profile_version: int
