"""Occupation normalisation, occupation_info for ESCO / KldB / ISCO codes, and FIELDS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import kai_match.data.taxonomy as tx
from kai_match.data.taxonomy import store

OCC = "http://data.europa.eu/esco/occupation/"
WAREHOUSE_WORKER = OCC + "bea705fe-06ac-4147-b8e0-6e8ac1208d8f"


@pytest.fixture(scope="module", autouse=True)
def builtin_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KAI_TAXONOMY_DIR", str(tmp_path_factory.mktemp("no_import")))
        tx.clear_caches()
        yield
    tx.clear_caches()


def top(text: str) -> tx.Candidate:
    return tx.normalize_occupation(text, limit=1)[0]


@pytest.mark.parametrize(
    "text", ["Lagerhelfer", "Lagerhelfer/in (m/w/d)", "Lagerarbeiterin", "Lagerist"]
)
def test_warehouse_helper_is_lagerarbeiter(text: str) -> None:
    hit = top(text)
    assert hit.id == WAREHOUSE_WORKER
    assert hit.label == "Lagerarbeiter/Lagerarbeiterin"


@pytest.mark.parametrize("text", ["Reinigungskraft", "Putzfrau", "Gebäudereiniger", "Putzkraft"])
def test_cleaning_words_give_a_cleaning_occupation(text: str) -> None:
    info = tx.occupation_info(top(text).id)
    assert info is not None
    assert info.field == "cleaning"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Küchenhilfe", "gastronomy"),
        ("Altenpflege Helfer", "care"),
        ("Staplerfahrer", "logistics"),
        ("Berufskraftfahrer", "driving"),
        ("Kassiererin", "retail"),
        ("Erntehelfer", "agriculture"),
        ("Maurer", "construction"),
        ("Schweißer", "production"),
        ("Erzieherin", "childcare"),
        ("Informatiker", "it"),
        ("Security Mitarbeiter", "security"),
        ("Paketzusteller", "logistics"),
        ("Hotelfachfrau", "gastronomy"),
    ],
)
def test_field_of_common_jobs(text: str, field: str) -> None:
    info = tx.occupation_info(top(text).id)
    assert info is not None and info.field == field


def test_kldb_entries_are_candidates_too() -> None:
    hits = tx.normalize_occupation("Lagerwirtschaft Helfer", limit=5)
    assert "51311" in {h.id for h in hits}


@pytest.mark.parametrize("text", ["xqzvbn klmpf", "asdfgh", ""])
def test_gibberish_occupation_is_none(text: str) -> None:
    assert tx.resolve_occupation(text) is None


def test_resolve_occupation() -> None:
    hit = tx.resolve_occupation("Koch")
    assert hit is not None and hit.label == "Koch/Köchin"


def test_occupation_info_for_each_code_kind() -> None:
    esco = tx.occupation_info(WAREHOUSE_WORKER)
    assert esco is not None
    assert (esco.isco_group, esco.field) == ("9333", "logistics")
    assert esco.kldb is not None and len(esco.kldb) == 5

    kldb = tx.occupation_info("51311")
    assert kldb is not None
    assert kldb.code == "51311" and kldb.kldb == "51311"
    assert kldb.field == "logistics"
    assert kldb.isco_group is not None and len(kldb.isco_group) == 4

    isco = tx.occupation_info("9112")
    assert isco is not None
    assert isco.isco_group == "9112" and isco.field == "cleaning"
    assert isco.kldb is not None and isco.kldb.startswith("54")

    assert tx.occupation_info("99999") is None
    assert tx.occupation_info("nonsense") is None


def test_every_occupation_has_a_field() -> None:
    for uri in store.occupations():
        info = tx.occupation_info(uri)
        assert info is not None and info.field in tx.FIELDS, uri
    for code in store.kldb():
        info = tx.occupation_info(code)
        assert info is not None and info.field in tx.FIELDS, code


def test_fields_have_german_and_english_labels() -> None:
    assert 12 <= len(tx.FIELDS) <= 15
    for slug, (de, en) in tx.FIELDS.items():
        assert slug.isidentifier() and de and en
    for needed in ("logistics", "cleaning", "gastronomy", "care", "retail", "childcare", "other"):
        assert needed in tx.FIELDS


def test_curated_aliases_point_to_known_codes() -> None:
    for alias, target in store.occupation_aliases():
        assert tx.occupation_info(target) is not None, alias


def test_occupation_skills_empty_without_import() -> None:
    assert tx.occupation_skills(WAREHOUSE_WORKER) == []
