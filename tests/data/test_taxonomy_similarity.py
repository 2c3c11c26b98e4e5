"""Skill similarity: 1 on the diagonal, symmetric, documented values, bounded neighbourhoods."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kai_match.data.taxonomy as tx
from kai_match.data.taxonomy import similarity, store

ESCO = "http://data.europa.eu/esco/skill/"
FORKLIFT = ESCO + "28cb374e-6261-4133-8371-f9a5470145da"
PALLET_JACK = ESCO + "910d3486-db3e-40ec-a632-fea4db55dc59"
PICKING = ESCO + "ee5e2297-39cc-4ed6-89e5-d58016118a7f"
SCANNER = ESCO + "fd79b3c4-e264-41b5-bada-49ba5f317588"
HASKELL = ESCO + "000f1d3d-220f-4789-9c0a-cc742521fb02"


@pytest.fixture(scope="module", autouse=True)
def builtin_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KAI_TAXONOMY_DIR", str(tmp_path_factory.mktemp("no_import")))
        tx.clear_caches()
        yield
    tx.clear_caches()


def _ids() -> list[str]:
    return [*sorted(u for u, r in store.skills().items() if r.curated_label)[:120], HASKELL]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_symmetric_and_one_on_the_diagonal(data: st.DataObject) -> None:
    ids = _ids()
    a = data.draw(st.sampled_from(ids))
    b = data.draw(st.sampled_from(ids))
    assert tx.skill_similarity(a, a) == 1.0
    s = tx.skill_similarity(a, b)
    assert s == tx.skill_similarity(b, a)
    assert 0.0 <= s <= 1.0


def test_documented_values() -> None:
    # curated related link: Gabelstapler fahren <-> Hubwagen bedienen
    assert tx.skill_similarity(FORKLIFT, PALLET_JACK) == similarity.CURATED_RELATED
    # same curated group (logistics), no explicit link
    assert tx.skill_similarity(FORKLIFT, ESCO + "53815c73-d352-4d4d-92cb-fb7020cbd8e6") == (
        similarity.SAME_CURATED_GROUP
    )
    # unrelated: forklift vs Haskell
    assert tx.skill_similarity(FORKLIFT, HASKELL) == 0.0
    assert tx.skill_similarity("unknown", FORKLIFT) == 0.0
    assert tx.skill_similarity("unknown", "unknown") == 1.0


def test_esco_relations_count() -> None:
    a, b, relation = store.skill_relations()[0]
    expected = similarity.ESCO_ESSENTIAL if relation == "essential" else similarity.ESCO_OPTIONAL
    assert tx.skill_similarity(a, b) >= expected
    assert tx.skill_similarity(b, a) == tx.skill_similarity(a, b)


def test_related_skills_bounded_sorted_and_cached() -> None:
    rel = tx.related_skills(FORKLIFT)
    assert FORKLIFT not in rel
    assert 0 < len(rel) <= similarity.MAX_NEIGHBOURS
    assert rel[PALLET_JACK] == similarity.CURATED_RELATED
    values = list(rel.items())
    assert values == sorted(values, key=lambda x: (-x[1], x[0]))
    assert all(v == tx.skill_similarity(FORKLIFT, k) for k, v in rel.items())
    assert tx.related_skills(FORKLIFT) is rel
    with pytest.raises(TypeError):
        rel["x"] = 1.0  # type: ignore[index]
    assert tx.related_skills("unknown") == {}


def test_esco_group_neighbours_for_uncurated_skill() -> None:
    rel = tx.related_skills(HASKELL)
    assert rel
    assert max(rel.values()) <= 1.0
    assert all(v > 0 for v in rel.values())
