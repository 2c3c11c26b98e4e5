"""Learn non-negative component weights from outcomes: a pairwise ranking model.

Within a vacancy, every (better outcome, worse outcome) pair of eligible candidates gives the
difference of their component values; a logistic regression without intercept on these
differences learns weights whose ranking agrees with the outcomes. Comparing only within a
vacancy makes vacancy-level effects (a hard job, a picky employer) cancel out. Weights must be
non-negative (a profile cannot reward a worse commute): negative coefficients are fixed at zero
and the rest refitted until none is negative. The regularisation strength is chosen by
cross-validation over vacancies on NDCG@k.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from kai_match.scoring import COMPONENTS

from .metrics import per_vacancy
from .pairs import PairTable

__all__ = ["FitResult", "fit_weights", "pairwise_differences"]

C_GRID: tuple[float, ...] = (0.01, 0.1, 1.0, 10.0, 100.0)


@dataclass(frozen=True)
class FitResult:
    """Learned weights (summing to 1), the chosen C and the cross-validated NDCG per C."""

    weights: dict[str, float]
    c: float
    cv_ndcg: dict[float, float]
    pairs: int


def pairwise_differences(
    table: PairTable, *, max_pairs_per_vacancy: int = 300, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Value differences of (better − worse) candidate pairs, mirrored so both classes occur."""
    rng = np.random.default_rng(seed)
    diffs = []
    for g in range(table.n_groups):
        a, b = table.starts[g], table.starts[g + 1]
        ok = table.eligible[a:b]
        vals, rel = table.values[a:b][ok], table.relevance[a:b][ok]
        hi, lo = np.nonzero(rel[:, None] > rel[None, :])
        if len(hi) > max_pairs_per_vacancy:
            keep = rng.choice(len(hi), size=max_pairs_per_vacancy, replace=False)
            hi, lo = hi[keep], lo[keep]
        diffs.append(vals[hi] - vals[lo])
    x = np.vstack(diffs) if diffs else np.empty((0, len(COMPONENTS)))
    return np.vstack([x, -x]), np.concatenate([np.ones(len(x)), np.zeros(len(x))])


def _nonnegative_fit(x: np.ndarray, y: np.ndarray, c: float) -> np.ndarray:
    active = np.ones(x.shape[1], dtype=np.bool_)
    coef = np.zeros(x.shape[1])
    while active.any():
        model = LogisticRegression(C=c, fit_intercept=False, max_iter=1000)
        model.fit(x[:, active], y)
        sub = model.coef_[0]
        if (sub >= 0).all():
            coef[:] = 0.0
            coef[active] = sub
            break
        # Fix the most negative coefficient at zero and refit the others.
        active[np.flatnonzero(active)[np.argmin(sub)]] = False
    return coef


def _as_weights(coef: np.ndarray) -> np.ndarray:
    if coef.sum() <= 0:
        return np.full(len(coef), 1.0 / len(coef))  # nothing learned: equal weights
    return coef / coef.sum()


def fit_weights(
    table: PairTable,
    *,
    c_grid: Sequence[float] = C_GRID,
    folds: int = 5,
    k: int = 10,
    success_level: int = 1,
    seed: int = 0,
) -> FitResult:
    """Non-negative weights that rank the recorded successes high, C chosen by grouped CV."""
    if table.n_groups < 2:
        raise ValueError("outcomes: need at least two vacancies with outcomes to learn from")
    groups = np.arange(table.n_groups)
    n_splits = min(folds, table.n_groups)
    cv: dict[float, float] = {}
    for c in c_grid:
        scores = []
        for train, test in GroupKFold(n_splits=n_splits).split(groups, groups=groups):
            x, y = pairwise_differences(table.subset(train), seed=seed)
            if not len(x):
                continue
            w = _as_weights(_nonnegative_fit(x, y, c))
            held = table.subset(test)
            ndcg = per_vacancy(held, held.scores(w), k=k, success_level=success_level)["ndcg"]
            scores.extend(ndcg[~np.isnan(ndcg)].tolist())
        cv[float(c)] = float(np.mean(scores)) if scores else float("nan")
    best = max(cv, key=lambda c: (np.nan_to_num(cv[c], nan=-1.0), -c))
    x, y = pairwise_differences(table, seed=seed)
    if not len(x):
        raise ValueError("outcomes: no vacancy has candidates with different outcomes")
    w = _as_weights(_nonnegative_fit(x, y, best))
    weights = {c: round(float(v), 4) for c, v in zip(COMPONENTS, w, strict=True)}
    if sum(weights.values()) <= 0:
        weights = dict.fromkeys(COMPONENTS, 0.2)
    return FitResult(weights=weights, c=best, cv_ndcg=cv, pairs=len(x) // 2)
