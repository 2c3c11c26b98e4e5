"""The fairness report: groups, suppression of small cells, the four-fifths flag."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from kai_match.analytics import District, PairTable, fairness_report
from kai_match.analytics.fairness import MIN_CELL
from kai_match.scoring import COMPONENTS, DEFAULT_PROFILE


def test_every_dimension_and_group_is_reported(district: District, table: PairTable) -> None:
    attrs = {a.participant_id: asdict(a) for a in district.attributes}
    dims = ["gender", "nationality_group", "age_band", "site"]
    report = fairness_report(table, table.scores(DEFAULT_PROFILE.weights), attrs, dims, k=5)
    assert {f.attribute for f in report} == set(dims)
    genders = [f for f in report if f.attribute == "gender"]
    assert {f.group for f in genders} == {"female", "male"}
    assert sum(f.candidates for f in genders) == len(table.relevance)
    shown = [f for f in report if not f.suppressed]
    assert max(f.ratio_to_best for f in shown if f.attribute == "site") == 1.0
    for f in shown:
        assert 0.0 <= f.selection_rate <= 1.0
        assert f.flagged == (f.ratio_to_best < 0.8)


def test_small_cells_are_suppressed() -> None:
    n = 12
    table = PairTable(
        vacancy_id=np.repeat([1, 2], n // 2),
        participant_id=np.tile(np.arange(1, n // 2 + 1), 2),
        values=np.full((n, len(COMPONENTS)), 0.5),
        eligible=np.ones(n, dtype=bool),
        relevance=np.zeros(n, dtype=np.int8),
        starts=np.array([0, n // 2, n]),
    )
    scores = np.tile(np.arange(n // 2, 0, -1, dtype=float), 2)
    # 4 people in "x" (below the cell minimum), 2 in "y".
    attrs = {p: {"g": "x" if p <= 4 else "y"} for p in range(1, 7)}
    report = fairness_report(table, scores, attrs, ["g"], k=2)
    assert MIN_CELL == 5
    assert all(f.suppressed and f.selection_rate is None and f.people is None for f in report)
    report = fairness_report(table, scores, attrs, ["g"], k=2, min_cell=2)
    x, y = report
    assert x.selection_rate == 0.5 and y.selection_rate == 0.0
    assert x.ratio_to_best == 1.0 and y.flagged
