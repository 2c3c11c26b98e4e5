"""Normalisation you can trust: precision/recall on the labelled set, and the known bad cases.

The set and how it was labelled: tests/data/normalisation/README.md. The same figures are
printed by ``benchmarks/normalize.py --quality``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import kai_match.data.taxonomy as tx
from kai_match.data.taxonomy import matcher
from kai_match.scoring.weights import ScoringParams
from tests.data.normalisation import quality

ESCO_SKILL = "http://data.europa.eu/esco/skill/"
ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"
FORKLIFT = ESCO_SKILL + "28cb374e-6261-4133-8371-f9a5470145da"
FEED_LIVESTOCK = ESCO_SKILL + "5b1d43d1-e063-4d07-8ba1-6f08d4e46279"
MILK_ANIMALS = ESCO_SKILL + "cacb30e8-eb78-40bf-b664-b7a4c8a018a3"
HORSE_CARE = ESCO_SKILL + "b669ef64-b137-4b0d-ad20-662934a6c1f9"
CLEAN_SURFACES = ESCO_SKILL + "6ff01827-907d-43d8-b6e4-7162c1cf0aca"
INDUSTRIAL_CLEANING = ESCO_SKILL + "139a8761-e26c-4c19-b446-a2568c9eb578"
AGRONOMIC_PRODUCTION = ESCO_SKILL + "5eafee30-f3b6-4cd6-baf8-517bb2f3d625"
E_AGRICULTURE = ESCO_SKILL + "97272b3e-d497-4420-893d-612b15d377d9"
MACHINE_OPERATORS = "25122"  # KldB 2010: Maschinen- und Anlagenführer/innen, Fachkraft
WATER_TREATMENT = ESCO_OCCUPATION + "1ab184b6-de00-4476-ba1d-c6a71c668be3"
SECONDARY_TEACHER = ESCO_OCCUPATION + "5efb2c08-ba3a-4659-a2e4-1883f54e77b6"
MUSIC_TEACHERS = {
    ESCO_OCCUPATION + "f235bc5a-dbf6-4f9e-bbdb-cf313d32b75b",
    ESCO_OCCUPATION + "5b6c0c64-1321-4fe7-a274-3287c13b489c",
}
MIN_PRECISION = 0.97
MIN_RECALL = 0.9


@pytest.fixture(scope="module", autouse=True)
def builtin_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Built-in data only: the figures must not depend on a local ESCO import."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KAI_TAXONOMY_DIR", str(tmp_path_factory.mktemp("no_import")))
        tx.clear_caches()
        yield
    tx.clear_caches()


@pytest.fixture(scope="module")
def results(builtin_only: None) -> list[quality.Answer]:
    return quality.answers(quality.load())


def test_the_set_is_big_and_well_formed() -> None:
    phrases = quality.load()
    assert len(phrases) >= 600
    assert {p.kind for p in phrases} == {"skill", "occupation"}
    assert len({(p.text.lower(), p.kind) for p in phrases}) == len(phrases)  # no duplicates
    for p in phrases:
        if p.kind == "skill" and p.expected:
            assert tx.is_known_skill(p.expected), p
        elif p.expected:
            assert tx.occupation_info(p.expected) is not None, p
        assert (p.category == "none") == (not p.expected), p
    assert sum(not p.expected for p in phrases) >= 50


@pytest.mark.parametrize("kind", ["skill", "occupation", None])
def test_precision_and_recall_at_the_shipped_thresholds(
    results: list[quality.Answer], kind: str | None
) -> None:
    chosen = [a for a in results if kind is None or a.phrase.kind == kind]
    figures = quality.at_shipped(chosen)
    assert figures.precision >= MIN_PRECISION, quality.misses(chosen)
    assert figures.recall >= MIN_RECALL, quality.misses(chosen)


def test_requirements_are_stricter_and_still_meet_the_targets(
    results: list[quality.Answer],
) -> None:
    skills = [a for a in results if a.phrase.kind == "skill"]
    profile = quality.at_shipped(skills)
    requirement = quality.at_shipped(skills, requirement=True)
    assert tx.REQUIREMENT_THRESHOLD > tx.SKILL_THRESHOLD
    assert requirement.accepted < profile.accepted
    assert requirement.precision >= max(MIN_PRECISION, profile.precision)
    assert requirement.recall >= MIN_RECALL


def test_tiere_versorgen_and_kuehe_melken_cover_each_other() -> None:
    """A dairy's must "Tiere versorgen" is met by a milker: curated related skills (0.75)."""
    care = tx.resolve_skill("Tiere versorgen", requirement=True)
    milking = tx.resolve_skill("Kühe melken")
    assert care is not None and care.id == FEED_LIVESTOCK  # not horse care any more
    assert milking is not None and milking.id == MILK_ANIMALS
    covers = ScoringParams().must_skill_related_threshold
    assert tx.skill_similarity(care.id, milking.id) >= covers
    assert tx.skill_similarity(care.id, HORSE_CARE) >= covers  # horses are animals too


@pytest.mark.parametrize("requirement", [False, True])
def test_reinigung_is_general_cleaning_not_industrial(requirement: bool) -> None:
    for text in ("Reinigung", "Reinigungsarbeiten", "Gebäudereinigung"):
        hit = tx.resolve_skill(text, requirement=requirement)
        assert hit is not None and hit.id == CLEAN_SURFACES, text
    typo = tx.resolve_skill("Reiningung", requirement=requirement)  # a requirement: unverified
    assert typo is None if requirement else typo.id == CLEAN_SURFACES
    assert tx.resolve_skill("Industriereinigung").id == INDUSTRIAL_CLEANING


def test_a_short_query_is_not_the_compound_it_is_the_head_of() -> None:
    """No partial-match credit for a word found only inside a longer word of a name."""
    assert matcher._fuzzy("reinigung", "industriereinigung") < 0.7  # WRatio's partial: 0.9
    assert matcher._fuzzy("fleischgerichte", "fleischgerichte zubereiten") >= 0.9  # whole word
    assert matcher._fuzzy("ich kann gabelstapler fahren", "gabelstapler") >= 0.9  # in the query
    top = tx.normalize_skill("Reinigung", limit=5)
    assert top[0].id == CLEAN_SURFACES
    assert all(c.confidence < top[0].confidence - 0.15 for c in top[1:])


def test_landwirtschaft_is_farm_work_not_e_agriculture() -> None:
    for text in ("Landwirtschaft", "Erfahrung in der Landwirtschaft"):
        hit = tx.resolve_skill(text)
        assert hit is not None and hit.id == AGRONOMIC_PRODUCTION, text
        assert hit.id != E_AGRICULTURE


def test_maschinen_und_anlagenfuehrer_is_the_training_occupation() -> None:
    for text in ("Maschinen- und Anlagenführer", "Maschinen- und Anlagenführerin"):
        hit = tx.resolve_occupation(text)
        assert hit is not None and hit.id == MACHINE_OPERATORS, text
        assert hit.id != WATER_TREATMENT


def test_lehrer_is_a_teacher_not_a_music_teacher() -> None:
    hit = tx.resolve_occupation("Lehrer")
    assert hit is not None and hit.id == SECONDARY_TEACHER
    assert hit.id not in MUSIC_TEACHERS


@pytest.mark.parametrize("requirement", [False, True])
def test_staplerschein_is_the_forklift(requirement: bool) -> None:
    hit = tx.resolve_skill("Staplerschein", requirement=requirement)
    assert hit is not None and hit.id == FORKLIFT


def test_just_below_the_requirement_threshold_a_profile_accepts_a_requirement_does_not() -> None:
    text = "ich kann gut mit dem Gabelstapler umgehen"
    best = tx.normalize_skill(text, limit=1)[0]
    assert best.id == FORKLIFT
    assert tx.SKILL_THRESHOLD <= best.confidence < tx.REQUIREMENT_THRESHOLD
    assert tx.resolve_skill(text) == best
    assert tx.resolve_skill(text, requirement=True) is None


@pytest.mark.parametrize("text", ["Helfer", "Mitarbeiter (m/w/d)", "keine Angabe", "Aushilfe"])
def test_boilerplate_names_nothing(text: str) -> None:
    assert tx.normalize_skill(text) == []
    assert tx.normalize_occupation(text) == []
