"""Skill normalisation: exact top candidates for realistic input, None for gibberish."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import kai_match.data.taxonomy as tx
from kai_match.data.taxonomy import skills as skills_module
from kai_match.data.taxonomy.fields import SKILL_GROUPS
from kai_match.data.taxonomy.store import FILES

ESCO = "http://data.europa.eu/esco/skill/"
FORKLIFT = ESCO + "28cb374e-6261-4133-8371-f9a5470145da"
PICKING = ESCO + "ee5e2297-39cc-4ed6-89e5-d58016118a7f"
CASH_REGISTER = ESCO + "0cb013af-6dd9-4fb2-b34e-63dda1a5cf82"
ELDERLY = ESCO + "261e740b-d32d-4356-94a8-3ea29128b70b"


@pytest.fixture(scope="module", autouse=True)
def builtin_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Built-in data only: point KAI_TAXONOMY_DIR at an empty folder."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KAI_TAXONOMY_DIR", str(tmp_path_factory.mktemp("no_import")))
        tx.clear_caches()
        yield
    tx.clear_caches()


def top(text: str) -> str:
    return tx.normalize_skill(text, limit=1)[0].id


@pytest.mark.parametrize("text", ["Gabelstapler fahren", "Staplerfahrer", "Staplerschein"])
def test_forklift_phrases_resolve_to_operate_forklift(text: str) -> None:
    assert top(text) == FORKLIFT


def test_kommissionieren_is_pick_orders() -> None:
    assert top("Kommissionieren") == PICKING


@pytest.mark.parametrize(
    ("text", "uri"),
    [
        ("Gabelstabler", FORKLIFT),  # misspelling
        ("forklift", FORKLIFT),  # English
        ("operate a forklift", FORKLIFT),
        ("ich kann gut mit dem Gabelstapler umgehen", FORKLIFT),  # longer phrase
        ("Kommisionierung", PICKING),  # misspelling
        ("Kassieren", CASH_REGISTER),
        ("an der Kasse arbeiten", CASH_REGISTER),
        ("Altenpflege Helfer", ELDERLY),
        ("Fenster putzen", ESCO + "d05ae693-dc7d-4073-8806-2782f117c24a"),
        ("Putzen", ESCO + "6ff01827-907d-43d8-b6e4-7162c1cf0aca"),
        ("Hygienebelehrung", ESCO + "0ff99f51-40d9-42f1-a1ec-377b2bb5e15f"),
        ("Schweissen", ESCO + "2fcd95a4-1f9a-41cf-95a9-4701bde476b4"),
        ("Lkw Führerschein CE", ESCO + "8215bbba-2f6d-4530-bf41-904d871eaf72"),
        ("Führerschein Klasse B", ESCO + "2a82241a-216e-44d8-bb50-6b9a0ef82084"),
        ("Erste-Hilfe-Kurs", ESCO + "1d21f6ad-340f-45da-a0a3-4e83867f47a6"),
        ("Sachkunde 34a", ESCO + "d433c82e-fa7a-492e-a8fd-eee7b39e4c48"),
        ("Excel", ESCO + "1973c966-f236-40c9-b2d4-5d71a89019be"),
        ("Wickeln", ESCO + "beb952e4-8a9c-47af-8a60-c6eb5c5f25bc"),
        ("Rasen mähen", ESCO + "fdff4747-70f6-4f1a-8285-8d31eb3c11e1"),
        ("Arabisch", ESCO + "227accd5-5e70-4cc3-8f1c-3f7b52eb6848"),
    ],
)
def test_realistic_inputs(text: str, uri: str) -> None:
    assert top(text) == uri


@pytest.mark.parametrize("text", ["xqzvbn klmpf", "asdfgh", "qwertz", "lorem ipsum dolor", ""])
def test_gibberish_resolves_to_none(text: str) -> None:
    assert tx.resolve_skill(text) is None


def test_resolve_returns_best_candidate_above_threshold() -> None:
    hit = tx.resolve_skill("Staplerschein")
    assert hit is not None
    assert hit.id == FORKLIFT
    assert hit.label == "Gabelstapler fahren"
    assert tx.SKILL_THRESHOLD <= hit.confidence <= 1.0


def test_candidates_sorted_deduped_and_deterministic() -> None:
    first = tx.normalize_skill("Reinigung", limit=10)
    again = tx.normalize_skill("Reinigung", limit=10)
    skills_module.clear()
    rebuilt = tx.normalize_skill("Reinigung", limit=10)
    assert first == again == rebuilt
    assert len(first) == 10
    assert len({c.id for c in first}) == len(first)
    keys = [(-c.confidence, c.id) for c in first]
    assert keys == sorted(keys)
    assert all(0.0 <= c.confidence <= 1.0 and isinstance(c.confidence, float) for c in first)


def test_curated_german_hit_beats_english_label() -> None:
    hits = tx.normalize_skill("Gabelstapler fahren", limit=5)
    assert hits[0].label == "Gabelstapler fahren"
    assert hits[0].confidence == 1.0


def test_limit_is_respected() -> None:
    assert len(tx.normalize_skill("Lager", limit=3)) == 3
    assert tx.normalize_skill("Lager", limit=0) == []


def test_candidate_is_frozen() -> None:
    c = tx.normalize_skill("Kassieren", limit=1)[0]
    with pytest.raises(AttributeError):
        c.id = "x"  # type: ignore[misc]


def test_labels_known_and_groups() -> None:
    assert tx.is_known_skill(FORKLIFT)
    assert not tx.is_known_skill(ESCO + "does-not-exist")
    assert tx.skill_label(FORKLIFT) == "Gabelstapler fahren"
    assert tx.skill_label(FORKLIFT, "en") == "operate forklift"
    assert tx.skill_label("nope") is None
    assert tx.skill_group(FORKLIFT) == "logistics"
    assert tx.skill_group_label("logistics") == "Lager & Logistik"
    # a German collection skill outside the curated list keeps its ESCO label and group
    haskell = ESCO + "000f1d3d-220f-4789-9c0a-cc742521fb02"
    assert tx.skill_label(haskell) == "Haskell"
    group = tx.skill_group(haskell)
    assert group is not None and group.startswith("http://data.europa.eu/esco/")
    assert tx.skill_group_label(group) == "Entwicklung und Analyse von Software und Anwendungen"
    # an English-only skill falls back to its English label
    assert tx.skill_label(ESCO + "3c84f7d9-7a3e-4343-814f-31de0aa61651", "de") is not None


def _curated() -> list[dict[str, str]]:
    with (FILES / "skills_curated.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_curated_vocabulary_is_sound() -> None:
    rows = _curated()
    assert len(rows) >= 250
    uris = [r["esco_uri"] for r in rows]
    assert len(set(uris)) == len(uris), "one curated entry per ESCO URI"
    labels = {r["label_de"] for r in rows}
    for r in rows:
        assert r["esco_uri"].startswith(ESCO)
        assert tx.is_known_skill(r["esco_uri"]), r["label_de"]
        assert r["group"] in SKILL_GROUPS, r["label_de"]
        assert r["label_en"], r["label_de"]
        for rel in filter(None, r["related"].split("|")):
            assert rel in labels, (r["label_de"], rel)
    groups = {r["group"] for r in rows}
    for needed in ("logistics", "cleaning", "gastronomy", "care", "retail", "construction"):
        assert needed in groups


def test_every_curated_label_finds_itself() -> None:
    for r in _curated():
        assert top(r["label_de"]) == r["esco_uri"], r["label_de"]


def test_fast_query_vector_equals_sklearn_transform() -> None:
    index = skills_module.skill_index()
    for text in ["gabelstapler fahren", "kommissionieren mit handscanner", "xyz"]:
        fast = index.query_vector(text).toarray()
        slow = index.vectorizer.transform([text]).toarray()
        assert np.allclose(fast, slow, atol=1e-6)


def test_files_readme_names_sources() -> None:
    readme = (Path(FILES) / "README.md").read_text("utf-8")
    assert "This service uses the ESCO classification of the European Commission" in readme
    assert "2011/833/EU" in readme
    assert "MIT" in readme
