"""Cohort assignment: optimal ≥ greedy, equal to the LP bound, respecting openings."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kai_match.analytics import greedy_assignment, lp_bound, optimal_assignment


def check_feasible(result, scores, openings) -> None:
    assert len(set(result.rows.tolist())) == len(result.rows)
    counts = np.bincount(result.cols, minlength=len(openings))
    assert (counts <= openings).all()
    assert np.isfinite(scores[result.rows, result.cols]).all()


def test_greedy_can_be_beaten() -> None:
    # Greedy takes 0→0 (90) and leaves person 1 with nothing: 90 vs 80 + 70.
    scores = np.array([[90.0, 80.0], [70.0, -np.inf]])
    openings = np.array([1, 1])
    greedy, best = greedy_assignment(scores, openings), optimal_assignment(scores, openings)
    assert greedy.total == 90.0
    assert best.total == 150.0
    assert best.rows.tolist() == [0, 1] and best.cols.tolist() == [1, 0]
    assert lp_bound(scores, openings) == pytest.approx(150.0)


def test_openings_expand_into_slots() -> None:
    scores = np.array([[50.0], [60.0], [70.0]])
    result = optimal_assignment(scores, np.array([2]))
    assert result.rows.tolist() == [1, 2] and result.total == 130.0


def test_nothing_eligible() -> None:
    scores = np.full((2, 2), -np.inf)
    assert optimal_assignment(scores, np.array([1, 1])).total == 0.0
    assert greedy_assignment(scores, np.array([1, 1])).total == 0.0
    assert lp_bound(scores, np.array([1, 1])) == 0.0


def test_bad_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="scores"):
        optimal_assignment(np.zeros((2, 3)), np.array([1, 1]))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    n_p=st.integers(1, 12),
    n_v=st.integers(1, 8),
    density=st.floats(0.1, 1.0),
)
def test_optimal_is_feasible_beats_greedy_and_meets_the_lp_bound(seed, n_p, n_v, density) -> None:
    rng = np.random.default_rng(seed)
    scores = rng.uniform(1, 100, (n_p, n_v))
    scores[rng.random((n_p, n_v)) > density] = -np.inf
    openings = rng.integers(0, 4, n_v)
    best, greedy = optimal_assignment(scores, openings), greedy_assignment(scores, openings)
    check_feasible(best, scores, openings)
    check_feasible(greedy, scores, openings)
    assert best.total >= greedy.total - 1e-9
    # The transportation LP is integral: its bound is the optimum.
    assert best.total == pytest.approx(lp_bound(scores, openings), rel=1e-9, abs=1e-9)
