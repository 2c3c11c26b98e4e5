"""Per-row results of evaluating pairs, and profile settings turned into lookup tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .constants import CONSTRAINTS
from .weights import WeightProfile


@dataclass
class Evaluation:
    """All constraints and components for some index rows (aligned arrays, keyed by name)."""

    rows: np.ndarray
    fails: dict[str, np.ndarray]
    values: dict[str, np.ndarray]
    contributions: dict[str, np.ndarray]
    score: np.ndarray
    minutes: np.ndarray
    modes: np.ndarray
    b1_ok: np.ndarray
    rule: np.ndarray


@dataclass
class Survivors:
    """Eligible rows after the staged filters, with their scores and commute."""

    rows: np.ndarray
    score: np.ndarray
    minutes: np.ndarray
    modes: np.ndarray
    skills: tuple[np.ndarray, np.ndarray] | None = None  # (credit sums, must covered) per row
    values: dict[str, np.ndarray] | None = None  # component values per row, reused for top-k


class RowView:
    """Index columns for some rows: whole-column views when rows is None (no copying)."""

    def __init__(self, ix, rows: np.ndarray | None) -> None:
        self.ix = ix  # a VacancyIndex or a ParticipantIndex
        self.cols = ix.cols
        self.rows = rows

    def __call__(self, name: str) -> np.ndarray:
        column = self.cols[name]
        return column if self.rows is None else column[self.rows]


def permit_table(profile: WeightProfile) -> np.ndarray:
    """Rule code (RULE_INDEX: allow, flag, deny) by [placement type, permit status]."""
    return profile.permit_codes


def hard_matrix(profile: WeightProfile) -> np.ndarray:
    """Whether a constraint is hard, by [constraint, placement type]."""
    return profile.hard_table


HARD_ROW = {c: i for i, c in enumerate(CONSTRAINTS)}


def excluded_by(
    fails: np.ndarray, constraint: str, hard: np.ndarray, types: np.ndarray | int
) -> np.ndarray:
    """Failures that exclude: the constraint is hard for the row's placement type."""
    h = hard[HARD_ROW[constraint]]
    if h.all():
        return fails
    if not h.any():
        return np.zeros(np.shape(fails), dtype=np.bool_)
    return fails & h[types]


def empty_survivors() -> Survivors:
    """No eligible rows (so no page, and nothing to reuse)."""
    return Survivors(np.empty(0, np.int64), np.empty(0), np.empty(0), np.empty(0, dtype=np.int8))


def as_row_arrays(minutes, modes, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Commute model output broadcast to one value per row, with fixed dtypes."""
    minutes = np.broadcast_to(np.asarray(minutes, dtype=np.float64), (n,))
    modes = np.broadcast_to(np.asarray(modes, dtype=np.int8), (n,))
    return minutes, modes
