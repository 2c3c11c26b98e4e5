"""Cohort assignment: who gets which opening so that the total score is largest.

Each vacancy is expanded into one column per opening, and the Hungarian-type solver
(`scipy.optimize.linear_sum_assignment`) finds the optimum over eligible pairs. Greedy-by-score
is reported beside it, as is the bound of the transportation LP (HiGHS): the LP's constraint
matrix is totally unimodular, so its optimum is integral and equals the assignment optimum —
the ratio shows it. A proposal only; nothing is booked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment, linprog

__all__ = ["Assignment", "greedy_assignment", "lp_bound", "optimal_assignment"]


@dataclass(frozen=True)
class Assignment:
    """Pairs as (participant row, vacancy column) with their scores, and the total."""

    rows: np.ndarray
    cols: np.ndarray
    scores: np.ndarray

    @property
    def total(self) -> float:
        return float(self.scores.sum())


def _check(scores: np.ndarray, openings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scores = np.asarray(scores, dtype=np.float64)
    openings = np.asarray(openings, dtype=np.int64)
    if scores.ndim != 2 or scores.shape[1] != len(openings):
        raise ValueError("scores: must be participants × vacancies, one column per vacancy")
    if (openings < 0).any():
        raise ValueError("openings: must be ≥ 0")
    return scores, openings


def _usable(scores: np.ndarray) -> np.ndarray:
    """Eligible pairs worth assigning: finite, positive score (NaN or -inf = ineligible)."""
    return np.isfinite(scores) & (scores > 0)


def optimal_assignment(scores: np.ndarray, openings: np.ndarray) -> Assignment:
    """Maximum total score; each participant at most once, each vacancy at most its openings."""
    scores, openings = _check(scores, openings)
    n_p = scores.shape[0]
    capped = np.minimum(openings, n_p)  # more openings than people cannot be used
    slot_vacancy = np.repeat(np.arange(len(openings)), capped)
    usable = _usable(scores)
    if not len(slot_vacancy) or not usable.any():
        return Assignment(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    # Drop people and vacancies without any usable pair: smaller matrix, same optimum.
    people = np.flatnonzero(usable.any(axis=1))
    slots = np.flatnonzero(usable[:, slot_vacancy].any(axis=0))
    gain = np.where(usable, scores, 0.0)[np.ix_(people, slot_vacancy[slots])]
    r, c = linear_sum_assignment(gain, maximize=True)
    keep = gain[r, c] > 0  # a zero pair is "not assigned"
    rows, cols = people[r[keep]], slot_vacancy[slots[c[keep]]]
    order = np.lexsort((cols, rows))
    return Assignment(rows[order], cols[order], scores[rows[order], cols[order]])


def greedy_assignment(scores: np.ndarray, openings: np.ndarray) -> Assignment:
    """Best pair first (ties: lower participant, then vacancy), as a counsellor might by hand."""
    scores, openings = _check(scores, openings)
    r, c = np.nonzero(_usable(scores))
    s = scores[r, c]
    order = np.lexsort((c, r, -s))
    left = openings.copy()
    taken = np.zeros(scores.shape[0], dtype=np.bool_)
    rows, cols = [], []
    for i in order:
        p, v = r[i], c[i]
        if not taken[p] and left[v] > 0:
            taken[p] = True
            left[v] -= 1
            rows.append(p)
            cols.append(v)
    rows_a, cols_a = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
    order2 = np.lexsort((cols_a, rows_a))
    rows_a, cols_a = rows_a[order2], cols_a[order2]
    return Assignment(rows_a, cols_a, scores[rows_a, cols_a])


def lp_bound(scores: np.ndarray, openings: np.ndarray) -> float:
    """Optimum of the transportation LP relaxation (HiGHS): an upper bound on any assignment."""
    scores, openings = _check(scores, openings)
    r, c = np.nonzero(_usable(scores))
    if not len(r):
        return 0.0
    n_p, n_v = scores.shape
    k = np.arange(len(r))
    a_ub = sp.vstack(
        [
            sp.csr_matrix((np.ones(len(r)), (r, k)), shape=(n_p, len(r))),
            sp.csr_matrix((np.ones(len(r)), (c, k)), shape=(n_v, len(r))),
        ]
    ).tocsr()
    b_ub = np.concatenate([np.ones(n_p), openings.astype(np.float64)])
    res = linprog(-scores[r, c], A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs")
    if res.status != 0:
        raise RuntimeError(f"LP solver: {res.message}")
    return float(-res.fun)
