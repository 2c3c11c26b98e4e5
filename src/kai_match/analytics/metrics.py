"""Ranking quality per vacancy, and bootstrap intervals over vacancies.

A vacancy's candidates are ordered as a ranking would order them (score descending, participant
id ascending; ineligible candidates last, never "shown"). A candidate *succeeded* when the
relevance reaches the chosen level (1: completed a trial, 2: hired); NDCG uses the graded
relevance (hired 2, completed 1) with gain 2^rel − 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .pairs import PairTable

__all__ = ["METRICS", "Interval", "bootstrap", "per_vacancy", "ranks_within"]

METRICS = ("ndcg", "precision", "mrr", "auc", "coverage")


@dataclass(frozen=True, slots=True)
class Interval:
    """A mean over vacancies with its percentile bootstrap interval."""

    mean: float
    low: float
    high: float
    n: int


def ranks_within(table: PairTable, scores: np.ndarray) -> np.ndarray:
    """1-based rank of every row within its vacancy (score desc, participant id asc)."""
    ranks = np.empty(len(scores), dtype=np.int64)
    for g in range(table.n_groups):
        a, b = table.starts[g], table.starts[g + 1]
        order = np.lexsort((table.participant_id[a:b], -scores[a:b]))
        ranks[a + order] = np.arange(1, b - a + 1)
    return ranks


def _auc(scores: np.ndarray, success: np.ndarray) -> float:
    pos, neg = scores[success], scores[~success]
    if not len(pos) or not len(neg):
        return np.nan
    # Mann–Whitney: share of (success, failure) pairs ordered right, ties count half.
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def per_vacancy(
    table: PairTable, scores: np.ndarray, *, k: int = 10, success_level: int = 1
) -> dict[str, np.ndarray]:
    """Each metric for each vacancy with at least one success (NaN where undefined)."""
    ranks = ranks_within(table, scores)
    shown = np.isfinite(scores)
    out: dict[str, list[float]] = {m: [] for m in METRICS}
    groups: list[int] = []
    for g in range(table.n_groups):
        a, b = table.starts[g], table.starts[g + 1]
        rel = table.relevance[a:b].astype(np.float64)
        success = rel >= success_level
        if not success.any():
            continue
        groups.append(g)
        r, vis = ranks[a:b], shown[a:b]
        top = vis & (r <= k)
        gains = 2.0**rel - 1.0
        dcg = float(np.sum(gains[top] / np.log2(r[top] + 1.0)))
        ideal = np.sort(gains)[::-1][:k]
        idcg = float(np.sum(ideal / np.log2(np.arange(2, len(ideal) + 2))))
        out["ndcg"].append(dcg / idcg if idcg > 0 else np.nan)
        out["precision"].append(float(np.sum(success & top)) / min(k, b - a))
        hits = r[success & vis]
        out["mrr"].append(1.0 / hits.min() if len(hits) else 0.0)
        out["auc"].append(_auc(np.where(vis, scores[a:b], -1e300), success))
        out["coverage"].append(float(np.mean(vis[success])))
    result = {m: np.asarray(v, dtype=np.float64) for m, v in out.items()}
    result["group"] = np.asarray(groups, dtype=np.int64)
    return result


def bootstrap(
    values: np.ndarray,
    *,
    resamples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
    indexes: np.ndarray | None = None,
) -> Interval:
    """Mean of `values` (NaN ignored) with a percentile interval from resampling vacancies.

    Pass the same `indexes` (resamples × n) for two profiles to get paired intervals.
    """
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    if n == 0 or np.all(np.isnan(values)):
        return Interval(float("nan"), float("nan"), float("nan"), 0)
    if indexes is None:
        indexes = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    means = np.nanmean(values[indexes], axis=1)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.nanpercentile(means, [tail, 100.0 - tail])
    return Interval(
        float(np.nanmean(values)), float(low), float(high), int(np.sum(~np.isnan(values)))
    )
