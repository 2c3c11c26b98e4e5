"""Complementary suppression: a count hidden for analysts cannot be worked out from a total.

Before it, 13 − (5 + 7) = 1 gave borna's hidden count away; now the next-smallest count of each
group with a known total is hidden as well (``analytics.disclosure``). Counsellors and admins
(``min_cell`` 1) still get exact figures.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from kai_match.analytics import PairTable, fairness_report
from kai_match.analytics.disclosure import hidden_cells
from kai_match.insights.reports import (
    Person,
    ProgrammeFacts,
    programme_report,
    shareable_days,
)
from kai_match.kit.principal import Principal
from kai_match.models.api_key import Role
from kai_match.scoring import COMPONENTS
from tests.builders import bearer, make_key, make_participant, matching_person

STATISTICS = "/api/v1/statistics/participants"
POSTAL = {"grimma": "04668", "borna": "04552", "wurzen": "04808"}


def _people(client, site: str, level: str, count: int) -> None:
    for _ in range(count):
        make_participant(client, site=site, german_level=level, home_postal_code=POSTAL[site])


# -- the rule ----------------------------------------------------------------------------------


def test_one_hidden_cell_takes_the_next_smallest_with_it():
    counts = {"a": 149, "b": 72, "c": 79, "d": 1}  # 301 − (149 + 72 + 79) = 1
    assert hidden_cells(counts, [list(counts)], min_cell=5) == {"d", "b"}
    assert hidden_cells(counts, [list(counts)], min_cell=1) == set()
    assert hidden_cells({"a": 149, "b": 72}, [["a", "b"]], min_cell=5) == set()


def test_hidden_cells_that_can_only_be_at_their_floor_take_another_with_them():
    # Two zeros and a 7 under a total of 7: both zeros would be the difference.
    assert hidden_cells({"a": 0, "b": 0, "c": 7}, [["a", "b", "c"]], min_cell=5) == {"a", "b", "c"}
    # Listed groups hold at least one person: two ones under 11 − 9 = 2 are both 1.
    ones = {"a": 1, "b": 1, "c": 9, "d": 12}
    assert hidden_cells(ones, [list(ones)], min_cell=5, floor=1) == {"a", "b", "c"}
    # Two hidden cells that can add up in more than one way are enough.
    assert hidden_cells({"a": 1, "b": 3, "c": 9}, [["a", "b", "c"]], min_cell=5, floor=1) == {
        "a",
        "b",
    }


def test_rows_and_columns_are_protected_until_none_has_one_hidden_cell():
    counts = {
        (r, c): n for r, row in enumerate([[3, 10, 20], [8, 12, 30]]) for c, n in enumerate(row)
    }
    rows = [[(r, c) for c in range(3)] for r in range(2)]
    columns = [[(r, c) for r in range(2)] for c in range(3)]
    assert hidden_cells(counts, rows + columns, min_cell=5) == {(0, 0), (0, 1), (1, 0), (1, 1)}


# -- GET /statistics/participants ---------------------------------------------------------------


def test_statistics_no_longer_give_a_small_group_away_through_the_total(client):
    _people(client, "wurzen", "A1", 7)
    _people(client, "grimma", "A1", 5)
    _people(client, "borna", "A1", 1)
    analyst = client.get(STATISTICS, headers=bearer(make_key(client, "analyst"))).json()
    # Before: borna null, grimma 5, wurzen 7, total 13 — and 13 − 12 = 1.
    assert analyst == {
        "by": ["site"],
        "groups": [
            {"key": {"site": "borna"}, "count": None},
            {"key": {"site": "grimma"}, "count": None},
            {"key": {"site": "wurzen"}, "count": 7},
        ],
        "total": 13,
        "min_cell": 5,
    }
    admin = client.get(STATISTICS).json()
    assert admin["groups"] == [
        {"key": {"site": "borna"}, "count": 1},
        {"key": {"site": "grimma"}, "count": 5},
        {"key": {"site": "wurzen"}, "count": 7},
    ]
    assert (admin["total"], admin["min_cell"]) == (13, 1)
    counsellor = client.get(
        STATISTICS, headers=bearer(make_key(client, "counsellor", site="borna"))
    )
    assert counsellor.json() == {
        "by": ["site"],
        "groups": [{"key": {"site": "borna"}, "count": 1}],
        "total": 1,
        "min_cell": 1,
    }


def test_statistics_by_two_dimensions_protect_every_row_column_and_the_total(client):
    for site, level, count in (
        ("borna", "A1", 8),
        ("borna", "B1", 9),
        ("grimma", "A1", 1),
        ("grimma", "B1", 6),
        ("wurzen", "A1", 5),
        ("wurzen", "B1", 7),
    ):
        _people(client, site, level, count)
    analyst = bearer(make_key(client, "analyst"))
    body = client.get(STATISTICS, params={"by": ["site", "german_level"]}, headers=analyst).json()
    # by=site says grimma 7 and by=german_level says A1 14: the 1 must not be 7 − 6 or
    # 14 − 8 − 5, so grimma's and wurzen's counts all go; four unknowns under three sums.
    assert [(g["key"]["site"], g["key"]["german_level"], g["count"]) for g in body["groups"]] == [
        ("borna", "A1", 8),
        ("borna", "B1", 9),
        ("grimma", "A1", None),
        ("grimma", "B1", None),
        ("wurzen", "A1", None),
        ("wurzen", "B1", None),
    ]
    assert body["total"] == 36
    by_site = client.get(STATISTICS, headers=analyst).json()
    assert [g["count"] for g in by_site["groups"]] == [17, 7, 12]
    exact = client.get(STATISTICS, params={"by": ["site", "german_level"]}).json()
    assert [g["count"] for g in exact["groups"]] == [8, 9, 1, 6, 5, 7]


def test_a_total_below_five_is_itself_a_small_count(client):
    _people(client, "grimma", "A1", 2)
    _people(client, "borna", "A1", 1)
    analyst = client.get(STATISTICS, headers=bearer(make_key(client, "analyst"))).json()
    assert analyst["groups"] == [
        {"key": {"site": "borna"}, "count": None},
        {"key": {"site": "grimma"}, "count": None},
    ]
    assert analyst["total"] is None
    assert client.get(STATISTICS).json()["total"] == 3


# -- the programme report -----------------------------------------------------------------------


def test_the_programme_report_hides_the_level_that_would_give_a_small_one_away(client):
    for _ in range(6):
        matching_person(client, site="wurzen", german_level="B1")
    matching_person(client, site="wurzen", german_level="A2")
    month = date.today().replace(day=1)
    params = {"from": month.isoformat(), "site": "wurzen"}
    analyst = bearer(make_key(client, "analyst"))
    body = client.get("/api/v1/reports/programme", params=params, headers=analyst).json()
    rows = {r["german_level"]: r for r in body["rows"] if r["month"] == month.strftime("%Y-%m")}
    assert list(rows) == ["all", "A2", "B1"]
    figures = [k for k in rows["all"] if k not in ("site", "month", "german_level")]
    # Before: all 7, A2 null, B1 6 — and 7 − 6 = 1.
    assert {k: rows["all"][k] for k in figures} == dict.fromkeys(figures) | {
        "active_participants": 7,
        "complete_profiles": 7,
    }
    assert all(rows[level][k] is None for level in ("A2", "B1") for k in figures)
    exact = client.get("/api/v1/reports/programme", params=params).json()
    levels = {
        r["german_level"]: r["active_participants"]
        for r in exact["rows"]
        if r["month"] == month.strftime("%Y-%m")
    }
    assert levels == {"all": 7, "A2": 1, "B1": 6} and exact["min_cell"] == 1


def _facts() -> ProgrammeFacts:
    """Grimma, March 2026: six people at B1 and one at A2, each starting a first trial."""
    entered = date(2026, 2, 1)
    people = {
        i: Person(i, "grimma", "A2" if i == 7 else "B1", entered, None, True) for i in range(1, 8)
    }
    trials = {i: (i, date(2026, 3, 9) + timedelta(days=i)) for i in people}  # 37 … 43 days
    return ProgrammeFacts(people, trials, {}, {}, {})


def _march(principal: Principal) -> dict[str, dict]:
    report = programme_report(
        session=None,  # type: ignore[arg-type]  # the facts are given
        principal=principal,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        site="grimma",
        facts=_facts(),
    )
    return {r.german_level: r.model_dump() for r in report.rows}


def test_day_figures_go_with_a_complementary_first_trial_count():
    analyst = _march(Principal(role=Role.analyst, actor="key:1"))
    assert analyst["all"]["first_trials"] == 7 and analyst["all"]["trials_started"] == 7
    assert analyst["all"]["days_to_first_trial_median"] == 40.0
    assert analyst["all"]["days_to_first_trial_mean"] == 40.0
    for level in ("A2", "B1"):
        assert analyst[level]["first_trials"] is None and analyst[level]["trials_started"] is None
        assert analyst[level]["days_to_first_trial_median"] is None
        assert analyst[level]["days_to_first_trial_mean"] is None
    admin = _march(Principal(role=Role.admin, actor="bootstrap"))
    assert (admin["A2"]["first_trials"], admin["B1"]["first_trials"]) == (1, 6)
    assert admin["B1"]["days_to_first_trial_median"] == 39.5
    assert admin["A2"]["days_to_first_trial_mean"] == 43.0


def test_the_chart_leaves_out_the_complement_of_a_small_level():
    days = {"A1": [10, 12], "A2": [5] * 6, "B1": [7] * 9}
    assert shareable_days(days) == {"B1": [7] * 9}
    assert shareable_days({"A2": [5] * 6, "B1": [7] * 9}) == {"A2": [5] * 6, "B1": [7] * 9}


# -- fairness -----------------------------------------------------------------------------------


def test_fairness_hides_the_size_of_the_group_that_would_give_a_small_one_away():
    people, jobs = 15, 2
    pids = np.tile(np.arange(1, people + 1), jobs)
    table = PairTable(
        vacancy_id=np.repeat(np.arange(1, jobs + 1), people),
        participant_id=pids,
        values=np.full((people * jobs, len(COMPONENTS)), 0.5),
        eligible=np.ones(people * jobs, dtype=bool),
        relevance=np.zeros(people * jobs, dtype=np.int8),
        starts=np.array([0, people, 2 * people]),
    )
    scores = (people + 1 - pids).astype(float)  # person 1 first in every vacancy
    attrs = {p: {"g": "x" if p <= 6 else "y" if p <= 8 else "z"} for p in range(1, people + 1)}
    x, y, z = fairness_report(table, scores, attrs, ["g"], k=3)
    # y (2 people) is suppressed; x (6) would give it away: 15 ranked − 6 − 7 = 2.
    assert y.suppressed and y.people is None and y.selection_rate is None
    assert not x.suppressed and (x.people, x.candidates) == (None, None)
    assert (x.selection_rate, x.ratio_to_best, x.flagged) == (0.5, 1.0, False)
    assert (z.people, z.candidates, z.selection_rate, z.flagged) == (7, 14, 0.0, True)
    exact = fairness_report(table, scores, attrs, ["g"], k=3, min_cell=1)
    assert [(f.people, f.candidates) for f in exact] == [(6, 12), (2, 4), (7, 14)]
