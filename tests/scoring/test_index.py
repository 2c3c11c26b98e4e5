"""Index maintenance (upsert, remove, compaction), spatial prefilter, paging and filters."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kai_match.scoring import (
    ParticipantIndex,
    RankingContext,
    VacancyIndex,
    rank_participants,
    rank_vacancies,
)

from .fakes import AS_OF, GRIMMA, FakeCommute, FakeRelated, make_participant, make_vacancy
from .strategies import participants, vacancies

COMMUTE = FakeCommute()
CTX = RankingContext(commute=COMMUTE, as_of=AS_OF)


def ranking(person, index, **kw) -> list[tuple[int, float]]:
    result = rank_vacancies(person, index, replace(CTX, **kw), limit=10_000)
    return [(it.vacancy_id, it.score) for it in result.items]


def spread_vacancies(n: int, seed: int = 7, spread: float = 1.5):
    rng = random.Random(seed)
    types = ["work_trial", "internship", "job", "apprenticeship", "entry_qualification"]
    return [
        make_vacancy(
            id=i,
            type=rng.choice(types),
            min_german_level=rng.choice(["A1", "A2", "B1"]),
            german_tolerance=rng.randint(0, 1),
            lat=GRIMMA[0] + rng.uniform(-spread, spread),
            lon=GRIMMA[1] + rng.uniform(-spread, spread),
            transit=rng.choice([0.0, 0.5, 0.9]),
            skills=[(f"s{rng.randint(0, 9)}", "should", rng.randint(1, 4))],
        )
        for i in range(1, n + 1)
    ]


def test_upserts_and_removes_match_a_fresh_build_before_and_after_compaction() -> None:
    person = make_participant(skills={"s1": (3, "assessed"), "s2": (2, "certified")})
    base = spread_vacancies(300, spread=0.2)
    index = VacancyIndex(base)
    live = {v.id: v for v in base}
    rng = random.Random(1)
    extra = spread_vacancies(2600, seed=3, spread=0.2)
    for step, v in enumerate(extra):
        if step % 5 == 0 and live:
            victim = rng.choice(sorted(live))
            assert index.remove(victim)
            del live[victim]
        new_id = v.id if step % 3 else rng.choice(sorted(live))  # replace an existing one
        changed = make_vacancy(**{**_fields(v), "id": new_id})
        index.upsert(changed)
        live[new_id] = changed
        if step in (100, 2599):  # once with a tail, once after automatic compactions
            assert ranking(person, index) == ranking(person, VacancyIndex(live.values()))
    assert len(index) == len(live)
    assert index.cols.n < len(live) + 1100  # compaction ran and dropped dead rows


def _fields(v) -> dict:
    return {f.name: getattr(v, f.name) for f in dataclasses.fields(v) if f.init}


def test_remove_unknown_and_contains() -> None:
    index = VacancyIndex([make_vacancy(id=5)])
    assert 5 in index and len(index) == 1
    assert not index.remove(6)
    assert index.remove(5)
    assert 5 not in index and len(index) == 0
    assert rank_vacancies(make_participant(), index, CTX).items == ()


def test_upsert_replaces_the_vacancy_seen_by_rankings() -> None:
    person = make_participant(german_level="A2")
    index = VacancyIndex([make_vacancy(id=1, min_german_level="A2")])
    assert ranking(person, index)[0][0] == 1
    index.upsert(make_vacancy(id=1, min_german_level="C1"))
    assert ranking(person, index) == []


def test_spatial_prefilter_gives_the_same_ranking_and_calls_commute_less() -> None:
    vs = spread_vacancies(3000, spread=2.0)
    index = VacancyIndex(vs[:2500])
    for v in vs[2500:]:
        index.upsert(v)  # some rows in the uncompacted tail
    for i, person in enumerate(
        [
            make_participant(),
            make_participant(has_car=True, driving_licences={"B"}, max_commute_minutes=60),
            make_participant(home_lat=GRIMMA[0] + 1.5, home_lon=GRIMMA[1] - 1.0),
        ]
    ):
        plain = FakeCommute()
        fast = FakeCommute()
        full = rank_vacancies(person, index, RankingContext(commute=plain, as_of=AS_OF), limit=50)
        near = rank_vacancies(
            person,
            index,
            RankingContext(commute=fast, as_of=AS_OF),
            limit=50,
            reach_kmh=FakeCommute.REACH_KMH,
        )
        assert [(x.vacancy_id, x.score) for x in near.items] == [
            (x.vacancy_id, x.score) for x in full.items
        ], i
        assert near.total == full.total
        assert fast.pairs < plain.pairs / 5


def test_spatial_prefilter_for_participants() -> None:
    rng = random.Random(5)
    people = [
        make_participant(
            id=i,
            home_lat=GRIMMA[0] + rng.uniform(-2, 2),
            home_lon=GRIMMA[1] + rng.uniform(-2, 2),
            max_commute_minutes=rng.choice([30.0, 60.0]),
        )
        for i in range(1, 2001)
    ]
    index = ParticipantIndex(people)
    job = make_vacancy()
    full = rank_participants(job, index, CTX, limit=100)
    near = rank_participants(job, index, CTX, limit=100, reach_kmh=FakeCommute.REACH_KMH)
    assert [x.participant_id for x in near.items] == [x.participant_id for x in full.items]
    assert near.total == full.total > 0


def test_offset_and_cursor_pages_concatenate_to_the_full_ranking() -> None:
    person = make_participant(max_commute_minutes=120, has_car=True, driving_licences={"B"})
    index = VacancyIndex(spread_vacancies(400, spread=0.3))
    full = rank_vacancies(person, index, CTX, limit=1000)
    ids = [it.vacancy_id for it in full.items]
    assert full.total == len(ids) > 100
    by_offset = []
    for offset in range(0, len(ids), 37):
        page = rank_vacancies(person, index, CTX, limit=37, offset=offset)
        assert [it.rank for it in page.items] == list(
            range(offset + 1, offset + 1 + len(page.items))
        )
        by_offset += [it.vacancy_id for it in page.items]
    assert by_offset == ids
    by_cursor, after, pages = [], None, 0
    while True:
        page = rank_vacancies(person, index, CTX, limit=50, after=after)
        if by_cursor:
            assert page.items[0].rank == len(by_cursor) + 1
        by_cursor += [it.vacancy_id for it in page.items]
        pages += 1
        after = page.next_after
        if after is None:
            break
    assert by_cursor == ids
    assert pages == -(-len(ids) // 50)


def test_type_and_commute_filters() -> None:
    person = make_participant(max_commute_minutes=90)
    index = VacancyIndex(spread_vacancies(300, spread=0.3))
    only = rank_vacancies(person, index, CTX, limit=500, types={"job", "internship"})
    assert only.items and {index.get(it.vacancy_id).type for it in only.items} <= {
        "job",
        "internship",
    }
    close = rank_vacancies(person, index, CTX, limit=500, max_commute_minutes=25)
    assert close.items and all(it.commute_minutes <= 25 for it in close.items)
    with pytest.raises(ValueError, match="types"):
        rank_vacancies(person, index, CTX, types={"gig"})
    with pytest.raises(ValueError, match="limit"):
        rank_vacancies(person, index, CTX, limit=-1)


def test_related_relations_are_cached_per_callable() -> None:
    related = FakeRelated({"s1": {"s2": 0.9}})
    index = VacancyIndex(spread_vacancies(200, spread=0.2))
    person = make_participant(skills={"s2": (3, "assessed")})

    def count_only() -> int:  # limit 0: no reason texts, which look up relations themselves
        return rank_vacancies(person, index, replace(CTX, related=related), limit=0).total

    total = count_only()
    calls = related.calls
    assert calls == len(index.skill_vocab)  # one look-up per required skill
    assert count_only() == total
    assert related.calls == calls  # nothing new to look up
    index.upsert(make_vacancy(id=10_001, skills=[("brand-new", "should", 1)]))
    count_only()
    assert related.calls == calls + 1  # only the new skill
    index.clear_related()
    count_only()
    assert related.calls > calls + 1
    with_related = ranking(person, index, related=related)
    assert with_related != ranking(person, index)  # s2 counts partly for s1


def test_skill_matrices_expose_importance_and_level() -> None:
    index = VacancyIndex([make_vacancy(id=3, skills=[("a", "must", 4), ("b", "nice", 1)])])
    importance, level = index.skill_matrices()
    a, b = index.skill_vocab["a"], index.skill_vocab["b"]
    assert importance.shape == level.shape == (1, 2)
    assert importance[0, a] == 1 and importance[0, b] == 3
    assert level[0, a] == 4 and level[0, b] == 1


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    ps=st.lists(participants(friendly=True), min_size=1, max_size=8, unique_by=lambda p: p.id),
    vs=st.lists(vacancies(friendly=True), min_size=1, max_size=8, unique_by=lambda v: v.id),
)
def test_both_directions_agree_on_every_pair(ps, vs) -> None:
    """A pair's score is the same whether ranked from the person's or the vacancy's side."""
    vindex, pindex = VacancyIndex(vs), ParticipantIndex(ps)
    from_person = {}
    for p in ps:
        for it in rank_vacancies(p, vindex, CTX, limit=100).items:
            from_person[(p.id, it.vacancy_id)] = it.score
    from_vacancy = {}
    for v in vs:
        for it in rank_participants(v, pindex, CTX, limit=100).items:
            from_vacancy[(it.participant_id, v.id)] = it.score
    assert from_person.keys() == from_vacancy.keys()
    for key, score in from_person.items():
        assert np.isclose(score, from_vacancy[key], rtol=0, atol=1e-9)


def test_skill_sums_by_row_equal_the_column_sweep() -> None:
    """The two ways of summing skill credit (used for small and large row sets) agree."""
    from kai_match.scoring import DEFAULT_PROFILE
    from kai_match.scoring.for_participant import _skill_sums_by_column, person_query, skill_sums

    rng = random.Random(9)
    vs = [
        make_vacancy(
            id=i,
            skills=[
                (f"s{k}", rng.choice(["must", "should", "nice"]), rng.randint(1, 4))
                for k in rng.sample(range(12), rng.randint(0, 5))
            ],
        )
        for i in range(1, 400)
    ]
    index = VacancyIndex(vs[:300])
    for v in vs[300:]:
        index.upsert(v)  # rows in the tail
    index.remove(5)
    related = FakeRelated({"s1": {"s2": 0.9, "s3": 0.5}, "s4": {"s1": 0.8}})
    person = make_participant(skills={"s2": (2, "assessed"), "s1": (4, "certified")})
    q = person_query(person, index, DEFAULT_PROFILE, related)
    num, must = _skill_sums_by_column(q, index, DEFAULT_PROFILE)
    rows = np.array(sorted(rng.sample(range(index.cols.n), 40)))
    by_row = skill_sums(q, index, DEFAULT_PROFILE, rows)
    assert np.allclose(by_row[0], num[rows], rtol=0, atol=1e-12)
    assert (by_row[1] == must[rows]).all()
    assert num.any() and must.any()
