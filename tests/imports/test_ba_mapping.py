"""BA job search JSON → import rows (kai_match.imports.ba_mapping), on the fixtures in tests/data/ba."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kai_match.imports.ba_mapping import (
    BA_SYSTEM,
    BaMappingError,
    BaVacancy,
    german_level,
    map_vacancy,
    search_items,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "ba"
OFF_HOURS = ["early", "late", "night", "weekend"]


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _first_run() -> list[dict[str, Any]]:
    return search_items(_load("search_page_1.json")) + search_items(_load("search_page_2.json"))


def _pair(reference: str, items: list[dict[str, Any]] | None = None) -> tuple[dict, dict]:
    item = next(i for i in (items or _first_run()) if i["refnr"] == reference)
    return item, _load(f"details/{reference}.json")


def _item(**changes: Any) -> dict[str, Any]:
    """A minimal search item in Borna; keys given as None are removed."""
    item = {
        "refnr": "10000-1299999999-S",
        "titel": "Helfer (m/w/d)",
        "beruf": "Helfer/in",
        "arbeitgeber": "Muster GmbH",
        "kundennummerHash": "hash-1",
        "arbeitsort": {
            "plz": "04552",
            "ort": "Borna",
            "land": "Deutschland",
            "koordinaten": {"lat": 51.12, "lon": 12.5},
        },
    }
    item.update(changes)
    return {k: v for k, v in item.items() if v is not None}


# --- exact rows ---------------------------------------------------------------------------------


def test_warehouse_in_borna_maps_to_exact_rows() -> None:
    result = map_vacancy(*_pair("10000-1299000101-S"))

    employer_ref = {"system": "ba", "id": "mQ3vT8xLk2Zr7pWc9sYd4bNf6hJa1uEo0gKi5tRxVzU="}
    assert result == BaVacancy(
        reference="10000-1299000101-S",
        employer={
            "name": "Muldental Logistik GmbH",
            "postal_code": "04552",
            "external_refs": [employer_ref],
        },
        vacancy={
            "external_refs": [{"system": "ba", "id": "10000-1299000101-S"}],
            "employer_ref": employer_ref,
            "title": "Lagerhelfer (m/w/d) in Vollzeit",
            "description": (
                "Für unser Logistikzentrum in Borna suchen wir zum 4. Januar drei Lagerhelfer "
                "(m/w/d).\n\nIhre Aufgaben:\n- Kommissionieren und Verpacken von Waren\n"
                "- Be- und Entladen von LKW\n"
                "- Arbeiten im Zwei-Schicht-System und an einzelnen Samstagen\n\n"
                "Wir bieten eine Einarbeitung durch feste Ansprechpersonen. Ein Staplerschein ist "
                "willkommen, aber keine Voraussetzung. Quereinsteiger und Geflüchtete sind "
                "herzlich willkommen."
            ),
            "type": "job",
            "occupation": {"name": "Lagerhelfer/in"},
            "min_german_level": "A2",
            "postal_code": "04552",
            "location": {"lat": 51.1244, "lon": 12.4966},
            "shifts": OFF_HOURS,
            "openings": 3,
            "start_date": "2027-01-04",
            "suitable_for_refugees": True,
        },
        suitable_for_refugees=True,
        unmapped=(
            ("verguetung", "kai-match does not match on pay"),
            ("befristung", "the contract term is no end date of the placement"),
            ("uebernahme", "kai-match has no field for being kept on"),
            ("hauptDkz", "a BA documentation code (DKZ), not a KldB 2010 code"),
        ),
        defaults_applied=(),
    )
    assert result.vacancy["employer_ref"] is result.employer["external_refs"][0]


def test_kitchen_help_without_customer_hash_maps_to_exact_rows() -> None:
    result = map_vacancy(*_pair("10000-1299000104-S"))

    employer_ref = {"system": "ba", "id": "name:04416:restaurant seeblick markkleeberg"}
    assert result == BaVacancy(
        reference="10000-1299000104-S",
        employer={
            "name": "Restaurant Seeblick Markkleeberg",
            "postal_code": "04416",
            "external_refs": [employer_ref],
        },
        vacancy={
            "external_refs": [{"system": "ba", "id": "10000-1299000104-S"}],
            "employer_ref": employer_ref,
            "title": "Küchenhilfe (m/w/d) in Teilzeit",
            "description": (
                "Unser Restaurant am See sucht Verstärkung für die Küche: Vorbereiten von Salaten "
                "und Beilagen, Spülen, Ordnung im Kühlraum. Einsatz auch am Abend und am "
                "Wochenende."
            ),
            "type": "job",
            "occupation": {"name": "Küchenhelfer/in"},
            "min_german_level": "A2",
            "languages_wanted": [{"code": "en", "level": "A2"}, {"code": "ar", "level": "B1"}],
            "postal_code": "04416",
            "location": {"lat": 51.2775, "lon": 12.3683},
            "shifts": OFF_HOURS,
            "hours_per_week": 20,
            "openings": 1,
            "start_date": "2027-01-02",
            "suitable_for_refugees": True,
        },
        suitable_for_refugees=True,
        unmapped=(),
        defaults_applied=("openings",),
    )


def test_bakery_in_the_newer_details_shape_maps_to_exact_rows() -> None:
    result = map_vacancy(*_pair("10000-1299000108-S"))

    employer_ref = {"system": "ba", "id": "Hc9pL2vQk5Nz7tXr4mWy1bDf8jGa3sEu6oKi0uRxVwF="}
    assert result == BaVacancy(
        reference="10000-1299000108-S",
        employer={
            "name": "Bäckerei Sonnenkorn Naunhof",
            "postal_code": "04683",
            "external_refs": [employer_ref],
        },
        vacancy={
            "external_refs": [{"system": "ba", "id": "10000-1299000108-S"}],
            "employer_ref": employer_ref,
            "title": "Verkäufer (m/w/d) für unsere Bäckerei-Filiale",
            "description": (
                "Sie verkaufen Brot, Brötchen und Kuchen, beraten unsere Kundschaft und halten "
                "die Theke sauber. Gute Deutschkenntnisse sind wichtig, weil Sie viel mit Kunden "
                "sprechen."
            ),
            "type": "job",
            "occupation": {"name": "Verkäufer/in - Bäckerei"},
            "min_german_level": "B1",
            "postal_code": "04683",
            "location": {"lat": 51.2775, "lon": 12.5883},
            "shifts": OFF_HOURS,
            "openings": 1,
            "start_date": "2027-01-02",
        },
        suitable_for_refugees=None,
        unmapped=(),
        defaults_applied=("openings",),
    )


# --- search answers -----------------------------------------------------------------------------


def test_search_items_of_the_fixture_pages() -> None:
    refs = [i["refnr"] for i in _first_run()]
    second = [i["refnr"] for i in search_items(_load("search_second_run.json"))]

    assert refs == [f"10000-12990001{n:02d}-S" for n in range(1, 9)]
    assert set(refs) - set(second) == {"10000-1299000105-S"}  # gone a day later
    assert set(second) - set(refs) == {"10000-1299000109-S"}  # new a day later


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"stellenangebote": [{"refnr": "a"}, "junk", {"refnr": "b"}]}, ["a", "b"]),
        ({"ergebnisliste": [{"refnr": "c"}], "maxErgebnisse": 1}, ["c"]),
        ({"_embedded": {"jobs": [{"refnr": "d"}]}}, ["d"]),
        ({"maxErgebnisse": 0, "page": 1}, []),
        ({"stellenangebote": None}, []),
        ({"stellenangebote": "not a list"}, []),
    ],
)
def test_search_items_read_every_known_shape(document: dict, expected: list[str]) -> None:
    assert [i["refnr"] for i in search_items(document)] == expected


def test_every_vacancy_of_both_runs_has_details() -> None:
    runs = _first_run() + search_items(_load("search_second_run.json"))

    for item in runs:
        assert (DATA / "details" / f"{item['refnr']}.json").is_file(), item["refnr"]
        assert map_vacancy(item, _load(f"details/{item['refnr']}.json")).reference == item["refnr"]


def test_second_run_changes_one_vacancy_and_keeps_the_others() -> None:
    second = search_items(_load("search_second_run.json"))
    before = {i["refnr"]: map_vacancy(*_pair(i["refnr"])) for i in _first_run()}
    after = {i["refnr"]: map_vacancy(*_pair(i["refnr"], second)) for i in second}

    changed = {ref for ref in set(before) & set(after) if before[ref] != after[ref]}
    assert changed == {"10000-1299000107-S"}
    assert after["10000-1299000107-S"].vacancy["start_date"] == "2027-02-01"
    # Without details the changed search title shows too.
    item = next(i for i in second if i["refnr"] == "10000-1299000107-S")
    assert map_vacancy(item).vacancy["title"].endswith("Start Februar")


# --- type -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("angebotsart", "expected"),
    [
        (1, "job"),
        ("1", "job"),
        ("ARBEIT", "job"),
        (4, "apprenticeship"),
        ("AUSBILDUNG", "apprenticeship"),
        ("Ausbildung/Duales Studium", "apprenticeship"),
        (34, "internship"),
        ("PRAKTIKUM_TRAINEE", "internship"),
    ],
)
@pytest.mark.parametrize("key", ["angebotsart", "stellenangebotsart"])
def test_type_from_each_angebotsart(angebotsart: Any, expected: str, key: str) -> None:
    result = map_vacancy(_item(), {key: angebotsart})

    assert result.vacancy["type"] == expected
    assert "type" not in result.defaults_applied


def test_fixture_types() -> None:
    types = {i["refnr"][-5:]: map_vacancy(*_pair(i["refnr"])).vacancy["type"] for i in _first_run()}

    assert types["101-S"] == "job"
    assert types["102-S"] == "apprenticeship"
    assert types["103-S"] == "internship"


@pytest.mark.parametrize(
    ("angebotsart", "reason"),
    [
        (2, "self-employment"),
        ("SELBSTAENDIGKEIT", "self-employment"),
        ("99", "has no placement type"),
    ],
)
def test_other_angebotsart_skips_the_vacancy(angebotsart: Any, reason: str) -> None:
    with pytest.raises(BaMappingError) as caught:
        map_vacancy(_item(), {"angebotsart": angebotsart})

    assert caught.value.reference == "10000-1299999999-S"
    assert reason in caught.value.reason


def test_without_angebotsart_the_type_is_a_stated_default() -> None:
    result = map_vacancy(_item())

    assert result.vacancy["type"] == "job"
    assert "type" in result.defaults_applied


# --- German level -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requirement", "level"),
    [
        ("GRUNDKENNTNISSE", "A2"),
        ("Grundkenntnisse", "A2"),
        ("ERWEITERTE_KENNTNISSE", "B1"),
        ("Gute Kenntnisse", "B1"),
        ("sehr gute Kenntnisse", "B2"),
        ("fließend", "B2"),
        ("Verhandlungssicher", "C1"),
        ("EXPERTENKENNTNISSE", "C1"),
        ("Muttersprache", "C1"),
        ("muttersprachliches Deutsch", "C1"),
        ("Deutsch B1", "B1"),
        ("Deutsch auf B2-Niveau", "B2"),
        ("Deutsch C2", "C1"),
        ("Deutschkenntnisse A2–B1", "A2"),
        ("Englisch B2, Deutsch A2", "A2"),
        ("Deutschkenntnisse B1 und Englisch A2", "B1"),
        ("gute Deutsch- und Englischkenntnisse", "B1"),
        ("keine Deutschkenntnisse erforderlich", "A1"),
        ("Deutschkenntnisse erforderlich", None),
        ("KEINE_ANGABE", None),
        ("Englisch B2", None),
        ("", None),
        (None, None),
    ],
)
def test_german_level_rule(requirement: str | None, level: str | None) -> None:
    assert german_level(requirement) == level


@pytest.mark.parametrize(
    ("reference", "level"),
    [
        ("10000-1299000102-S", "B1"),  # sprachkenntnisse ERWEITERTE_KENNTNISSE
        ("10000-1299000103-S", "A2"),  # text: "Deutschkenntnisse (mindestens A2)"
        ("10000-1299000106-S", "A2"),  # text: "Grundkenntnisse in Deutsch genügen"
        ("10000-1299000107-S", "B1"),  # text: "Deutschkenntnisse B1 und …"
    ],
)
def test_german_level_of_fixture_vacancies(reference: str, level: str) -> None:
    result = map_vacancy(*_pair(reference))

    assert result.vacancy["min_german_level"] == level
    assert "min_german_level" not in result.defaults_applied


def test_structured_requirement_wins_over_the_text() -> None:
    details = {
        "sprachkenntnisse": [{"bezeichnung": "Deutsch", "auspraegung": "GRUNDKENNTNISSE"}],
        "stellenangebotsBeschreibung": "Deutsch B2 ist von Vorteil.",
    }

    assert map_vacancy(_item(), details).vacancy["min_german_level"] == "A2"


def test_a_german_entry_without_level_lets_the_text_speak() -> None:
    details = {
        "sprachkenntnisse": [{"bezeichnung": "Deutsch"}],
        "stellenangebotsBeschreibung": "Wir erwarten Deutsch auf B1-Niveau.",
    }

    result = map_vacancy(_item(), details)

    assert result.vacancy["min_german_level"] == "B1"
    assert "min_german_level" not in result.defaults_applied


@pytest.mark.parametrize(
    "languages",
    [
        {"Erweiterte Kenntnisse": ["Deutsch", "Englisch"]},
        {"Deutsch": "ERWEITERTE_KENNTNISSE", "Englisch": "ERWEITERTE_KENNTNISSE"},
        ["Deutsch (erweiterte Kenntnisse)", "Englisch (erweiterte Kenntnisse)"],
    ],
)
def test_other_shapes_of_sprachkenntnisse(languages: Any) -> None:
    result = map_vacancy(_item(), {"sprachkenntnisse": languages})

    assert result.vacancy["min_german_level"] == "B1"
    assert result.vacancy["languages_wanted"] == [{"code": "en", "level": "B1"}]


def test_no_german_requirement_takes_the_default() -> None:
    result = map_vacancy(*_pair("10000-1299000105-S"), default_german_level="B1")

    assert result.vacancy["min_german_level"] == "B1"
    assert "min_german_level" in result.defaults_applied
    with pytest.raises(ValueError, match="default_german_level"):
        map_vacancy(_item(), default_german_level="B3")


def test_languages_wanted_at_most_three_with_known_codes() -> None:
    names = ["Deutsch", "Englisch", "Russisch", "Ukrainisch", "Polnisch", "Klingonisch", "Englisch"]
    languages = [{"bezeichnung": n, "auspraegung": "GRUNDKENNTNISSE"} for n in names]
    languages[2]["auspraegung"] = "VERHANDLUNGSSICHER"
    languages[3].pop("auspraegung")

    result = map_vacancy(_item(), {"sprachkenntnisse": languages})

    assert result.vacancy["languages_wanted"] == [
        {"code": "en", "level": "A2"},
        {"code": "ru", "level": "C1"},
        {"code": "uk", "level": "A2"},
    ]
    assert "languages_wanted" in result.defaults_applied  # Ukrainian had no level
    assert result.unmapped == (
        ("sprachkenntnisse: Polnisch", "a vacancy names at most 3 other languages"),
        ("sprachkenntnisse: Klingonisch", "no ISO 639-1 code known for it"),
    )


# --- workplace and employer ---------------------------------------------------------------------


def test_no_coordinates_no_location() -> None:
    result = map_vacancy(*_pair("10000-1299000105-S"))

    assert result.vacancy["postal_code"] == "04442"
    assert "location" not in result.vacancy
    assert result.unmapped == ()


def test_coordinates_outside_germany_are_dropped() -> None:
    place = {"plz": "04552", "ort": "Borna", "koordinaten": {"lat": 0.0, "lon": 0.0}}

    result = map_vacancy(_item(arbeitsort=place))

    assert "location" not in result.vacancy
    assert ("koordinaten", "not a point in Germany") in result.unmapped


def test_coordinates_of_the_newer_shape() -> None:
    place = {"adresse": {"plz": "04683", "land": "DEUTSCHLAND"}, "breite": 51.28, "laenge": 12.59}

    result = map_vacancy(_item(arbeitsort=None), {"stellenlokationen": [place]})

    assert result.vacancy["postal_code"] == "04683"
    assert result.vacancy["location"] == {"lat": 51.28, "lon": 12.59}


def test_employer_id_without_hash_from_name_and_postal_code() -> None:
    result = map_vacancy(_item(kundennummerHash=None, arbeitgeber="  Bäckerei   Müller\tGmbH "))

    assert result.employer == {
        "name": "Bäckerei Müller GmbH",
        "postal_code": "04552",
        "external_refs": [{"system": BA_SYSTEM, "id": "name:04552:bäckerei müller gmbh"}],
    }
    assert result.vacancy["employer_ref"] == result.employer["external_refs"][0]


def test_employer_hash_from_details_when_the_search_has_none() -> None:
    result = map_vacancy(_item(kundennummerHash=None), {"arbeitgeberKundennummerHash": "h-2"})

    assert result.employer["external_refs"] == [{"system": "ba", "id": "h-2"}]


def test_anonymous_ad_without_employer_raises() -> None:
    with pytest.raises(BaMappingError, match="names no employer"):
        map_vacancy(_item(arbeitgeber=None))


@pytest.mark.parametrize(
    "place",
    [
        {"ort": "Borna", "land": "Deutschland"},
        {"plz": "4552", "ort": "Borna"},
        {"plz": "", "ort": "Borna"},
        None,
    ],
)
def test_vacancy_without_postal_code_raises_naming_the_refnr(place: dict | None) -> None:
    with pytest.raises(BaMappingError) as caught:
        map_vacancy(_item(arbeitsort=place))

    assert caught.value.reference == "10000-1299999999-S"
    assert "10000-1299999999-S" in str(caught.value)
    assert "postal code" in caught.value.reason


def test_postal_code_given_as_number_keeps_its_leading_zero() -> None:
    result = map_vacancy(_item(arbeitsort={"plz": 4552, "ort": "Borna"}))

    assert result.vacancy["postal_code"] == "04552"


def test_workplace_abroad_raises() -> None:
    with pytest.raises(BaMappingError, match="abroad"):
        map_vacancy(_item(arbeitsort={"plz": "10115", "land": "Polen"}))


def test_details_of_another_vacancy_raise() -> None:
    with pytest.raises(BaMappingError, match="10000-1299000101-S"):
        map_vacancy(_item(), {"referenznummer": "10000-1299000101-S"})


def test_without_refnr_raises() -> None:
    with pytest.raises(BaMappingError, match="no refnr"):
        map_vacancy(_item(refnr=None))


# --- refugee flag -------------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "expected"), [(True, True), (False, False), (None, None)])
def test_refugee_flag(given: bool | None, expected: bool | None) -> None:
    details = {} if given is None else {"fuerFluechtlingeGeeignet": given}

    result = map_vacancy(_item(), details)

    assert result.suitable_for_refugees is expected
    assert result.vacancy.get("suitable_for_refugees", "absent") == (
        "absent" if expected is None else expected
    )


def test_refugee_flag_of_fixture_vacancies() -> None:
    results = {i["refnr"][-5:]: map_vacancy(*_pair(i["refnr"])) for i in _first_run()}
    flags = {ref: result.suitable_for_refugees for ref, result in results.items()}

    assert flags == {
        "101-S": True,
        "102-S": True,
        "103-S": False,
        "104-S": True,
        "105-S": True,
        "106-S": None,
        "107-S": False,
        "108-S": None,
    }


def test_refugee_flag_ignores_text_values() -> None:
    assert map_vacancy(_item(), {"fuerFluechtlingeGeeignet": "true"}).suitable_for_refugees is None


# --- texts --------------------------------------------------------------------------------------


def test_html_is_stripped_from_the_description() -> None:
    result = map_vacancy(*_pair("10000-1299000102-S"))

    assert result.vacancy["description"] == (
        "Deine Ausbildung bei Lager & Umschlag Grimma\n\n"
        "Zwei Jahre Ausbildung zur Fachkraft im Lager, Start am 1. August 2027.\n\n"
        "- Warenannahme und Einlagerung\n- Versand und Tourenplanung\n\n"
        "Du hast einen Hauptschulabschluss oder einen vergleichbaren Abschluss aus deinem "
        "Herkunftsland.\nWir unterstützen dich beim Deutschlernen in der Berufsschule."
    )


def test_scripts_and_entities_in_html() -> None:
    details = {"stellenbeschreibung": "<script>alert(1)</script><b>Lohn&nbsp;&gt;&nbsp;Tarif</b>"}

    assert map_vacancy(_item(), details).vacancy["description"] == "Lohn > Tarif"


def test_title_is_cut_at_200_characters_with_an_ellipsis() -> None:
    long_title = "Lagerhelfer " * 25

    result = map_vacancy(_item(titel=long_title))

    title = result.vacancy["title"]
    assert len(title) == 200
    assert title.endswith("…")
    assert title[:-1] == " ".join(long_title.split())[:199].rstrip()


def test_title_prefers_details_then_search_then_occupation() -> None:
    assert map_vacancy(_item(), {"titel": "Aus den Details"}).vacancy["title"] == "Aus den Details"
    assert map_vacancy(_item()).vacancy["title"] == "Helfer (m/w/d)"
    assert map_vacancy(_item(titel=None)).vacancy["title"] == "Helfer/in"
    with pytest.raises(BaMappingError, match="no title"):
        map_vacancy(_item(titel=None, beruf=None))


def test_description_is_cut_at_5000_characters() -> None:
    result = map_vacancy(_item(), {"stellenangebotsBeschreibung": "x" * 6000})

    assert len(result.vacancy["description"]) == 5000
    assert result.vacancy["description"].endswith("…")
    assert ("stellenangebotsBeschreibung", "cut to 5000 characters") in result.unmapped


def test_without_details_there_is_no_description() -> None:
    assert "description" not in map_vacancy(_item()).vacancy


# --- times, openings, dates, dropped fields ---------------------------------------------------


@pytest.mark.parametrize(
    ("models", "shifts"),
    [
        (["VOLLZEIT"], ["day"]),
        (["TEILZEIT"], ["day"]),
        (["MINIJOB"], ["day"]),
        (["SCHICHT_NACHTARBEIT_WOCHENENDE"], OFF_HOURS),
        (["VOLLZEIT", "SCHICHT_NACHTARBEIT_WOCHENENDE"], OFF_HOURS),
    ],
)
def test_shifts_from_working_time_models(models: list[str], shifts: list[str]) -> None:
    result = map_vacancy(_item(), {"arbeitszeitmodelle": models})

    assert result.vacancy["shifts"] == shifts
    assert "shifts" not in result.defaults_applied


def test_shifts_from_the_flags_of_the_newer_shape() -> None:
    details = {"arbeitszeitTeilzeitVormittag": True, "arbeitszeitTeilzeitAbend": True}

    assert map_vacancy(_item(), details).vacancy["shifts"] == ["day", "late"]


@pytest.mark.parametrize("models", [[], ["HEIM_TELEARBEIT"]])
def test_without_a_time_of_day_shifts_default_to_day(models: list[str]) -> None:
    result = map_vacancy(_item(), {"arbeitszeitmodelle": models})

    assert result.vacancy["shifts"] == ["day"]
    assert "shifts" in result.defaults_applied
    assert (
        ("arbeitszeitmodelle: HEIM_TELEARBEIT", "home office is no shift") in result.unmapped
    ) is (models != [])


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("38,5 Stunden pro Woche", 38),
        ("20 Std./Woche", 20),
        ("20-30 Stunden", None),
        ("flexibel", None),
    ],
)
def test_hours_per_week_only_when_stated(text: str, hours: int | None) -> None:
    result = map_vacancy(
        _item(), {"arbeitszeitmodelle": ["TEILZEIT"], "informationenZurArbeitszeit": text}
    )

    assert result.vacancy.get("hours_per_week") == hours
    if hours is None:
        assert (
            "informationenZurArbeitszeit",
            "states no single number of hours",
        ) in result.unmapped


def test_part_time_alone_states_no_hours() -> None:
    assert "hours_per_week" not in map_vacancy(*_pair("10000-1299000103-S")).vacancy


@pytest.mark.parametrize(
    ("given", "openings", "defaulted"),
    [(None, 1, True), (4, 4, False), ("2", 2, False), (0, 1, False), (5000, 1000, False)],
)
def test_openings(given: Any, openings: int, defaulted: bool) -> None:
    details = {} if given is None else {"anzahlOffeneStellen": given}

    result = map_vacancy(_item(), details)

    assert result.vacancy["openings"] == openings
    assert ("openings" in result.defaults_applied) is defaulted


def test_start_date_and_the_latest_start_is_no_end_date() -> None:
    result = map_vacancy(*_pair("10000-1299000102-S"))

    assert result.vacancy["start_date"] == "2027-08-01"
    assert "end_date" not in result.vacancy
    assert "valid_through" not in result.vacancy
    assert (
        "eintrittszeitraum.bis",
        "the latest start date, not the end of the work",
    ) in result.unmapped


def test_start_date_from_the_details_period_and_bad_dates() -> None:
    period = {"eintrittszeitraum": {"von": "2027-03-01"}}
    assert map_vacancy(_item(), period).vacancy["start_date"] == "2027-03-01"

    result = map_vacancy(_item(eintrittsdatum="ab sofort"))
    assert "start_date" not in result.vacancy
    assert ("eintrittsdatum", "'ab sofort' is no date") in result.unmapped


def test_unmapped_lists_what_was_dropped_and_not_what_says_nothing() -> None:
    details = {
        "verguetungsangabe": "KEINE_ANGABEN",
        "vertragsdauer": "BEFRISTET",
        "istArbeitnehmerUeberlassung": False,
        "externeURL": "https://example.org/ad",
        "hauptDkz": "19273",
        "arbeitsorte": [{"plz": "04552"}, {"plz": "04668"}],
        "alleBerufe": ["Helfer/in", "Lagerhelfer/in"],
    }

    result = map_vacancy(_item(), details)

    assert result.unmapped == (
        ("arbeitsorte", "1 further workplace(s); one vacancy per workplace, the first is used"),
        ("alleBerufe", "one occupation per vacancy; the main one is used"),
        ("vertragsdauer", "the contract term is no end date of the placement"),
        ("externeURL", "kai-match keeps no link to the ad"),
        ("hauptDkz", "a BA documentation code (DKZ), not a KldB 2010 code"),
    )
    assert "code" not in result.vacancy["occupation"]


def test_an_item_of_the_v6_search_maps_without_details() -> None:
    """The /pc/v6/jobs item (``ergebnisliste``) spells most fields the newer way."""
    document = {
        "ergebnisliste": [
            {
                "stellenangebotsart": "AUSBILDUNG",
                "stellenangebotsTitel": "Ausbildung Verkäufer/in (m/w/d)",
                "arbeitszeitVollzeit": True,
                "eintrittszeitraum": {"von": "2027-08-01"},
                "stellenlokationen": [
                    {
                        "adresse": {"plz": "04808", "ort": "Wurzen", "land": "DEUTSCHLAND"},
                        "breite": 51.37,
                        "laenge": 12.74,
                    }
                ],
                "hauptberuf": "Verkäufer/in",
                "firma": "Markt Wurzen GmbH",
                "arbeitgeberKundennummerHash": "h-v6",
                "referenznummer": "10000-1299000777-S",
                "alleBerufe": ["Verkäufer/in"],
            }
        ],
        "maxErgebnisse": 1,
    }

    (item,) = search_items(document)
    result = map_vacancy(item)

    assert result.employer == {
        "name": "Markt Wurzen GmbH",
        "postal_code": "04808",
        "external_refs": [{"system": "ba", "id": "h-v6"}],
    }
    assert result.vacancy == {
        "external_refs": [{"system": "ba", "id": "10000-1299000777-S"}],
        "employer_ref": {"system": "ba", "id": "h-v6"},
        "title": "Ausbildung Verkäufer/in (m/w/d)",
        "type": "apprenticeship",
        "occupation": {"name": "Verkäufer/in"},
        "min_german_level": "A2",
        "postal_code": "04808",
        "location": {"lat": 51.37, "lon": 12.74},
        "shifts": ["day"],
        "openings": 1,
        "start_date": "2027-08-01",
    }
    assert result.defaults_applied == ("min_german_level", "openings")
    assert result.unmapped == ()
