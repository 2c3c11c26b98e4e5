"""Metrics on hand-made rankings, and evaluations of profiles on simulated outcomes."""

from __future__ import annotations

import numpy as np
import pytest

from kai_match.analytics import (
    District,
    PairTable,
    compare_scores,
    evaluate_outcomes,
    evaluate_scores,
    oracle_scores,
)
from kai_match.analytics.metrics import bootstrap, per_vacancy, ranks_within
from kai_match.data.geo import CommuteEstimator
from kai_match.data.taxonomy import related_skills
from kai_match.scoring import COMPONENTS, DEFAULT_PROFILE, WeightProfile


def tiny(relevance, scores, participant_ids=None) -> tuple[PairTable, np.ndarray]:
    n = len(relevance)
    ids = np.asarray(participant_ids or range(1, n + 1))
    table = PairTable(
        vacancy_id=np.ones(n, dtype=np.int64),
        participant_id=ids,
        values=np.full((n, len(COMPONENTS)), 0.5),
        eligible=np.isfinite(scores),
        relevance=np.asarray(relevance, dtype=np.int8),
        starts=np.array([0, n]),
    )
    return table, np.asarray(scores, dtype=np.float64)


def test_perfect_ranking_scores_one() -> None:
    table, scores = tiny([2, 1, 0, 0], [90, 80, 70, 60])
    per = per_vacancy(table, scores, k=2)
    assert per["ndcg"][0] == pytest.approx(1.0)
    assert per["precision"][0] == 1.0
    assert per["mrr"][0] == 1.0
    assert per["auc"][0] == 1.0
    assert per["coverage"][0] == 1.0


def test_reversed_ranking() -> None:
    table, scores = tiny([0, 0, 0, 1], [90, 80, 70, 60])
    per = per_vacancy(table, scores, k=2)
    assert per["ndcg"][0] == 0.0
    assert per["precision"][0] == 0.0
    assert per["mrr"][0] == pytest.approx(0.25)
    assert per["auc"][0] == 0.0


def test_ties_break_by_participant_id_and_ineligible_is_never_shown() -> None:
    table, scores = tiny([0, 1, 1], [50, 50, -np.inf], participant_ids=[7, 3, 9])
    assert ranks_within(table, scores).tolist() == [2, 1, 3]
    per = per_vacancy(table, scores, k=10)
    assert per["coverage"][0] == 0.5  # one of two successes would not be suggested
    assert per["mrr"][0] == 1.0


def test_vacancies_without_success_are_skipped() -> None:
    table, scores = tiny([0, 0], [1, 2])
    assert len(per_vacancy(table, scores)["ndcg"]) == 0
    assert evaluate_scores(table, scores, name="x").vacancies == 0


def test_bootstrap_is_seeded_and_brackets_the_mean() -> None:
    values = np.random.default_rng(0).random(50)
    a, b = bootstrap(values, seed=3), bootstrap(values, seed=3)
    assert a == b
    assert a.low <= a.mean <= a.high and a.n == 50


def test_oracle_beats_random_and_intervals_are_ordered(
    district: District, table: PairTable
) -> None:
    oracle = evaluate_scores(table, oracle_scores(table, district.truth), name="oracle")
    noise = np.random.default_rng(1).random(len(table.eligible))
    rnd = evaluate_scores(table, np.where(table.eligible, noise, -np.inf), name="random")
    assert oracle.metrics["ndcg"].mean > rnd.metrics["ndcg"].mean
    assert oracle.metrics["auc"].mean > 0.6 > rnd.metrics["auc"].mean - 0.1
    for interval in oracle.metrics.values():
        assert interval.low <= interval.mean <= interval.high


def test_comparison_is_paired_and_lists_movers(table: PairTable) -> None:
    a = table.scores(DEFAULT_PROFILE.weights)
    weights = {
        "language": 0.1,
        "skills": 0.1,
        "occupation": 0.1,
        "commute": 0.6,
        "preferences": 0.1,
    }
    b = table.scores(weights)
    cmp = compare_scores(table, a, b, names=(("default", 1), ("commute", None)), movers=5)
    assert cmp.difference["ndcg"].mean == pytest.approx(
        cmp.b.metrics["ndcg"].mean - cmp.a.metrics["ndcg"].mean
    )
    assert 0 < len(cmp.movers) <= 5
    shifts = [abs(m.rank_a - m.rank_b) for m in cmp.movers]
    assert shifts == sorted(shifts, reverse=True)
    same = compare_scores(table, a, a, names=(("a", 1), ("a", 1)))
    assert same.movers == [] and same.difference["ndcg"].mean == 0.0


def test_evaluate_outcomes_through_the_engine(district: District, table: PairTable) -> None:
    """The one-call API agrees with the table path, and builds a second table when needed."""
    common = {"commute": CommuteEstimator(), "related": related_skills, "as_of": district.as_of}
    alone = evaluate_outcomes(
        district.participants, district.vacancies, district.outcomes, DEFAULT_PROFILE, **common
    )
    direct = evaluate_scores(
        table, table.scores(DEFAULT_PROFILE.weights), name="default", version=1
    )
    assert alone == direct
    strict = WeightProfile.from_dict({"name": "strict", "params": {"commute_exponent": 1.0}})
    cmp = evaluate_outcomes(
        district.participants,
        district.vacancies,
        district.outcomes,
        strict,
        baseline=DEFAULT_PROFILE,
        **common,
    )
    assert cmp.a == direct and cmp.b.name == "strict"
