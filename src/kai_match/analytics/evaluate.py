"""Score weight profiles against recorded outcomes, alone or two side by side.

For every vacancy with outcomes, the profile ranks the recorded candidates as the engine would;
the metrics say how high the people who succeeded stand. Intervals come from resampling
vacancies (fixed seed, so the same data gives the same report); two profiles are compared on
the same resamples, so the interval of their difference is paired.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date

import numpy as np

from kai_match.scoring import (
    CommuteModel,
    ParticipantProfile,
    RelatedSkills,
    VacancyProfile,
    WeightProfile,
)

from .metrics import METRICS, Interval, bootstrap, per_vacancy, ranks_within
from .pairs import Outcome, PairTable, build_pairs, same_components

__all__ = [
    "Comparison",
    "Mover",
    "ProfileEvaluation",
    "compare_scores",
    "evaluate_outcomes",
    "evaluate_scores",
]


@dataclass(frozen=True)
class ProfileEvaluation:
    """Metrics of one ranking (a profile, or the oracle) over the vacancies with a success."""

    name: str
    version: int | None
    k: int
    vacancies: int
    candidates: int
    successes: int
    metrics: Mapping[str, Interval]

    def to_dict(self) -> dict:
        return {**asdict(self), "metrics": {m: asdict(i) for m, i in self.metrics.items()}}


@dataclass(frozen=True, slots=True)
class Mover:
    """A recorded candidate whose rank changes most from profile A to profile B."""

    vacancy_id: int
    participant_id: int
    rank_a: int | None
    rank_b: int | None
    relevance: int


@dataclass(frozen=True)
class Comparison:
    """Two evaluations on the same outcomes, their paired differences (B − A) and the movers."""

    a: ProfileEvaluation
    b: ProfileEvaluation
    difference: Mapping[str, Interval]
    movers: list[Mover]

    def to_dict(self) -> dict:
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "difference": {m: asdict(i) for m, i in self.difference.items()},
            "movers": [asdict(m) for m in self.movers],
        }


def _resample_indexes(n: int, resamples: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, max(n, 1), size=(resamples, n))


def evaluate_scores(
    table: PairTable,
    scores: np.ndarray,
    *,
    name: str,
    version: int | None = None,
    k: int = 10,
    success_level: int = 1,
    resamples: int = 1000,
    seed: int = 0,
) -> ProfileEvaluation:
    """Metrics with bootstrap intervals for one set of row scores (-inf = not shown)."""
    per = per_vacancy(table, scores, k=k, success_level=success_level)
    idx = _resample_indexes(len(per["group"]), resamples, seed)
    return ProfileEvaluation(
        name=name,
        version=version,
        k=k,
        vacancies=len(per["group"]),
        candidates=len(table.relevance),
        successes=int(np.sum(table.relevance >= success_level)),
        metrics={m: bootstrap(per[m], indexes=idx) for m in METRICS},
    )


def compare_scores(
    table: PairTable,
    scores_a: np.ndarray,
    scores_b: np.ndarray,
    *,
    names: tuple[tuple[str, int | None], tuple[str, int | None]],
    k: int = 10,
    success_level: int = 1,
    resamples: int = 1000,
    seed: int = 0,
    movers: int = 20,
) -> Comparison:
    """A against B on the same rows; `movers` lists the largest rank changes, successes first."""
    kw = {"k": k, "success_level": success_level, "resamples": resamples, "seed": seed}
    a = evaluate_scores(table, scores_a, name=names[0][0], version=names[0][1], **kw)
    b = evaluate_scores(table, scores_b, name=names[1][0], version=names[1][1], **kw)
    per_a = per_vacancy(table, scores_a, k=k, success_level=success_level)
    per_b = per_vacancy(table, scores_b, k=k, success_level=success_level)
    idx = _resample_indexes(len(per_a["group"]), resamples, seed)
    difference = {m: bootstrap(per_b[m] - per_a[m], indexes=idx) for m in METRICS}
    return Comparison(a, b, difference, _movers(table, scores_a, scores_b, movers))


def _movers(
    table: PairTable, scores_a: np.ndarray, scores_b: np.ndarray, limit: int
) -> list[Mover]:
    ra = np.where(np.isfinite(scores_a), ranks_within(table, scores_a), 0)
    rb = np.where(np.isfinite(scores_b), ranks_within(table, scores_b), 0)
    size = np.repeat(np.diff(table.starts), np.diff(table.starts))
    # A candidate that is not shown counts as one place below the last.
    shift = np.abs(np.where(ra > 0, ra, size + 1) - np.where(rb > 0, rb, size + 1))
    order = np.lexsort((table.participant_id, table.vacancy_id, -table.relevance, -shift))
    order = order[shift[order] > 0][:limit]
    return [
        Mover(
            int(table.vacancy_id[i]),
            int(table.participant_id[i]),
            int(ra[i]) or None,
            int(rb[i]) or None,
            int(table.relevance[i]),
        )
        for i in order
    ]


def evaluate_outcomes(
    participants: Sequence[ParticipantProfile],
    vacancies: Sequence[VacancyProfile],
    outcomes: Sequence[Outcome],
    profile: WeightProfile,
    baseline: WeightProfile | None = None,
    *,
    commute: CommuteModel,
    related: RelatedSkills | None,
    as_of: date | Mapping[int, date],
    k: int = 10,
    success_level: int = 1,
    resamples: int = 1000,
    seed: int = 0,
    progress: bool = False,
) -> ProfileEvaluation | Comparison:
    """Evaluate `profile`; with a `baseline`, compare baseline (A) against profile (B)."""
    common = {"commute": commute, "related": related, "as_of": as_of, "progress": progress}
    table = build_pairs(participants, vacancies, outcomes, profile, **common)
    kw = {"k": k, "success_level": success_level, "resamples": resamples, "seed": seed}
    if baseline is None:
        return evaluate_scores(
            table, table.scores(profile.weights), name=profile.name, version=profile.version, **kw
        )
    base_table = (
        table
        if same_components(profile, baseline)
        else build_pairs(participants, vacancies, outcomes, baseline, **common)
    )
    return compare_scores(
        table,
        base_table.scores(baseline.weights),
        table.scores(profile.weights),
        names=((baseline.name, baseline.version), (profile.name, profile.version)),
        **kw,
    )
