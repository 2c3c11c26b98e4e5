"""Learned weights: non-negative, normalised, and close to the oracle on held-out vacancies."""

from __future__ import annotations

import numpy as np
import pytest

from kai_match.analytics import District, PairTable, evaluate_scores, fit_weights, oracle_scores
from kai_match.analytics.learn import pairwise_differences
from kai_match.scoring import COMPONENTS, DEFAULT_PROFILE, WeightProfile


def test_pairs_are_mirrored(table: PairTable) -> None:
    x, y = pairwise_differences(table)
    half = len(x) // 2
    assert half > 0 and np.allclose(x[:half], -x[half:])
    assert y[:half].all() and not y[half:].any()


def test_learned_weights_are_a_valid_profile_and_rank_well(
    district: District, table: PairTable
) -> None:
    groups = np.random.default_rng(0).permutation(table.n_groups)
    cut = int(0.7 * len(groups))
    train, test = table.subset(np.sort(groups[:cut])), table.subset(np.sort(groups[cut:]))
    fit = fit_weights(train, c_grid=(0.1, 10.0), folds=3)
    assert set(fit.weights) == set(COMPONENTS)
    assert all(w >= 0 for w in fit.weights.values())
    assert sum(fit.weights.values()) == pytest.approx(1.0, abs=1e-3)
    WeightProfile(name="learned", weights=fit.weights)  # accepted by the engine
    learned = evaluate_scores(test, test.scores(fit.weights), name="learned")
    oracle = evaluate_scores(test, oracle_scores(test, district.truth), name="oracle")
    default = evaluate_scores(test, test.scores(DEFAULT_PROFILE.weights), name="default")
    # Small sample: loose bounds here; docs/analysts.md has the figures at full size.
    assert learned.metrics["ndcg"].mean >= 0.9 * oracle.metrics["ndcg"].mean
    assert learned.metrics["ndcg"].mean >= default.metrics["ndcg"].mean - 0.02


def test_fit_is_deterministic(table: PairTable) -> None:
    a = fit_weights(table, c_grid=(1.0,), folds=2)
    b = fit_weights(table, c_grid=(1.0,), folds=2)
    assert a == b


def test_too_few_outcomes_is_an_error(table: PairTable) -> None:
    with pytest.raises(ValueError, match="outcomes"):
        fit_weights(table.subset(np.array([0])))
