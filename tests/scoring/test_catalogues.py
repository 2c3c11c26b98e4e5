"""Message catalogues of the reason texts: complete, compiled, used, and the exact wording.

The catalogues are checked against a fresh Babel extraction of the scoring package, so a new
text in the code without a translation, or a `.mo` not recompiled after its `.po`, fails here
(fix: scripts/i18n.sh, then translate; docs/i18n.md).
"""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kai_match.scoring import RankingContext, explain
from kai_match.scoring.i18n import DOMAIN, LOCALES, catalogue, languages
from kai_match.scoring.reasons import (
    commute_reason,
    language_reason,
    occupation_reason,
    preferences_reason,
)
from kai_match.scoring.texts import check_lang, fmt_date, fmt_levels, fmt_num, fmt_years
from kai_match.scoring.weights import DEFAULT_PROFILE

from .fakes import AS_OF, FakeCommute, make_participant, make_vacancy

SCORING = Path(__file__).resolve().parents[2] / "src" / "kai_match" / "scoring"
# The same keywords as scripts/i18n.sh (`-k pgettext_noop:1c,2` besides Babel's defaults).
KEYWORDS = {**DEFAULT_KEYWORDS, "pgettext_noop": ((1, "c"), 2)}
COMMUTE = FakeCommute()


def extracted() -> set[tuple[str | None, str]]:
    """(context, msgid) of every text the scoring code translates."""
    return {
        (context, message[0] if isinstance(message, tuple) else message)
        for _, _, message, _, context in extract_from_dir(SCORING, keywords=KEYWORDS)
    }


def po(lang: str):
    with (LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as f:
        return read_po(f, locale=lang)


def keys(catalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog if m.id}


def test_german_and_english_catalogues_are_compiled() -> None:
    assert {"de", "en"} <= set(languages())
    for lang in languages():
        assert (LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()


def test_the_extraction_finds_the_texts() -> None:
    found = extracted()
    assert len(found) > 60
    assert (None, "met") in found
    assert ("shift", "weekend") in found
    assert (None, "%(levels)s level") in found  # ngettext: keyed by the singular


@pytest.mark.parametrize("lang", languages())
def test_every_text_of_the_code_is_translated(lang: str) -> None:
    catalog = po(lang)
    code = extracted()
    missing, empty = [], []
    for context, msgid in sorted(code, key=lambda k: (k[0] or "", k[1])):
        message = catalog.get(msgid, context=context)
        if message is None:
            missing.append((context, msgid))
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            empty.append((context, msgid))
    assert not missing, f"{lang}: not in the catalogue (run scripts/i18n.sh): {missing}"
    assert not empty, f"{lang}: untranslated or fuzzy: {empty}"
    assert keys(catalog) == code, f"{lang}: texts the code no longer uses (run scripts/i18n.sh)"


def test_the_template_matches_the_code() -> None:
    with (LOCALES / f"{DOMAIN}.pot").open("rb") as f:
        assert keys(read_po(f)) == extracted()


@pytest.mark.parametrize("lang", languages())
def test_placeholders_and_plural_forms_are_consistent(lang: str) -> None:
    catalog = po(lang)
    assert catalog.plural_forms == Catalog(locale=lang).plural_forms  # CLDR's rule for lang
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []
    for m in catalog:
        if m.id and "python-format" in m.flags:
            names = set(re.findall(r"%\((\w+)\)s", m.id[0] if m.pluralizable else m.id))
            for s in m.string if m.pluralizable else (m.string,):
                assert set(re.findall(r"%\((\w+)\)s", s)) == names, (lang, m.id, s)


@pytest.mark.parametrize("lang", languages())
def test_the_compiled_catalogue_matches_its_source(lang: str) -> None:
    """Compile the .po here and compare what gettext reads from it with the committed .mo."""
    buffer = io.BytesIO()
    write_mo(buffer, po(lang))
    fresh = gettext.GNUTranslations(io.BytesIO(buffer.getvalue()))
    with (LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as f:
        committed = gettext.GNUTranslations(f)

    def messages(t: gettext.GNUTranslations) -> dict:
        # The header ("") holds dates and the Babel version; what gettext uses of it is info().
        return {k: v for k, v in t._catalog.items() if k != ""}

    assert messages(committed) == messages(fresh), f"recompile {lang} (scripts/i18n.sh)"
    for field in ("language", "plural-forms", "content-type"):
        assert committed.info().get(field) == fresh.info().get(field)


def test_no_language_switch_is_left_in_the_scoring_code() -> None:
    switch = re.compile(r"""\blang\s*(==|!=)|(==|!=)\s*lang\b|["'](de|en)["']\s*(==|!=)""")
    found = [
        f"{path.name}:{n}: {line.strip()}"
        for path in sorted(SCORING.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if switch.search(line)
    ]
    assert found == []


def test_catalogues_are_loaded_once_and_an_unknown_language_reads_german() -> None:
    assert catalogue("en") is catalogue("en")
    assert catalogue("fr") is catalogue("de")
    assert catalogue("../../etc") is catalogue("de")  # never a path
    assert catalogue("fr").gettext("met") == "erfüllt"
    p, v = make_participant(), make_vacancy()
    assert commute_reason(p, v, 25.4, 1, "fr") == commute_reason(p, v, 25.4, 1, "de")
    assert commute_reason(p, v, 25.4, 1, "fr") == (
        "Pendelzeit ca. 25 Min. mit dem Fahrrad (Grenze 45 Min.)"
    )
    # The public entry points still accept only languages that have a catalogue.
    assert check_lang("en") == "en"
    with pytest.raises(ValueError, match="lang: 'fr' is not one of de, en"):
        check_lang("fr")


def test_numbers_dates_and_plurals() -> None:
    assert [fmt_levels(n, "de") for n in (1, 2)] == ["1 Stufe", "2 Stufen"]
    assert [fmt_levels(n, "en") for n in (1, 2)] == ["1 level", "2 levels"]
    assert [fmt_years(y, "de") for y in (0, 1, 1.5, 4)] == [
        "0 Jahre",
        "1 Jahr",
        "1,5 Jahre",
        "4 Jahre",
    ]
    assert [fmt_years(y, "en") for y in (1, 1.5)] == ["1 year", "1.5 years"]
    assert (fmt_num(37.5, "de"), fmt_num(37.5, "en"), fmt_num(40.0, "de")) == ("37,5", "37.5", "40")
    d = date(2027, 1, 5)
    assert (fmt_date(d, "de"), fmt_date(d, "en")) == ("05.01.2027", "2027-01-05")


def test_exact_reasons_for_crafted_pairs() -> None:
    person = make_participant(
        german_level="A1",
        expected_b1_date=date(2027, 1, 15),
        occupations=[("packer", "9321", 1.5)],
        placement_types={"internship"},
        fields_wanted={"logistics"},
        hours_per_week=37.5,
        shifts=frozenset({"day"}),
        earliest_start=AS_OF,
    )
    job = make_vacancy(
        type="internship",
        min_german_level="B1",
        german_tolerance=1,
        employer_offers_language_support=True,
        isco_group="9333",
        field="logistics",
        hours_per_week=40,
        shifts=frozenset({"day", "night", "weekend"}),
        start_date=date(2026, 12, 1),
    )
    assert language_reason(person, job, True, "de") == (
        "Deutsch A1, gefordert B1 – B1 erwartet bis 15.01.2027; Sprachförderung im Betrieb"
    )
    assert language_reason(person, job, True, "en") == (
        "German A1, B1 required – B1 expected by 2027-01-15; language support at work"
    )
    strict = make_vacancy(min_german_level="B1")
    assert language_reason(person, strict, False, "de") == (
        "Deutsch A1, gefordert B1 – 2 Stufen darunter, keine Toleranz"
    )
    assert language_reason(person, strict, False, "en") == (
        "German A1, B1 required – 2 levels below, no tolerance"
    )
    assert occupation_reason(person, job, DEFAULT_PROFILE, "de") == (
        "Gleicher Berufsbereich, 1,5 Jahre Erfahrung"
    )
    assert occupation_reason(person, job, DEFAULT_PROFILE, "en") == (
        "Same occupational area, 1.5 years of experience"
    )
    assert preferences_reason(person, job, AS_OF, "de") == (
        "Praktikum gewünscht; Wunschfeld logistics; Wochenstunden 37,5/40; "
        "Schichten: 1 von 3 möglich (nicht: Nacht, Wochenende); Beginn 30 Tage nach Verfügbarkeit"
    )
    assert preferences_reason(person, job, AS_OF, "en") == (
        "Internship wanted; preferred field logistics; weekly hours 37.5/40; "
        "shifts: 1 of 3 possible (not: night, weekend); starts 30 days after availability"
    )
    # By car the hour does not matter: no shift, no buses (the job also has night shifts).
    assert (
        commute_reason(person, job, 52.0, 3, "en") == "Commute about 52 min by car (limit 45 min)"
    )
    # By bus and train to a job with day and night shifts, for a person who works days.
    assert commute_reason(person, job, 40.0, 2, "de") == (
        "Pendelzeit ca. 40 Min. mit Bus und Bahn zur Tagschicht (Grenze 45 Min.)"
    )
    assert commute_reason(person, job, 40.0, 2, "en") == (
        "Commute about 40 min by public transport to the day shift (limit 45 min)"
    )
    nights = replace(person, shifts=frozenset({"night", "weekend"}))
    assert commute_reason(nights, job, 40.0, 2, "de") == (
        "Pendelzeit ca. 40 Min. mit Bus und Bahn zur Nachtschicht (Grenze 45 Min.); "
        "zu dieser Zeit kaum Busse"
    )
    assert commute_reason(nights, job, 40.0, 2, "en") == (
        "Commute about 40 min by public transport to the night shift (limit 45 min); "
        "few buses at that hour"
    )


def test_exact_why_not_texts_and_flags() -> None:
    person = make_participant(
        status="paused",
        german_level="A1",
        work_permit="approval_required",
        permit_valid_until=date(2026, 11, 20),
        permit_renewal_pending=True,
        consent_processing=False,
    )
    job = make_vacancy(
        status="filled",
        min_german_level="B1",
        german_tolerance=1,
        start_date=date(2026, 12, 1),
        valid_through=date(2026, 10, 31),
    )
    de = explain(person, job, RankingContext(commute=COMMUTE, as_of=AS_OF))
    en = explain(person, job, RankingContext(commute=COMMUTE, as_of=AS_OF, lang="en"))
    assert [(f.name, f.reason) for f in de.failed_constraints] == [
        ("consent", "Keine Einwilligung zur Datenverarbeitung"),
        ("language", "Deutsch A1, gefordert B1, Toleranz 1 Stufe"),
        ("dates", "Ausschreibung abgelaufen am 31.10.2026"),
        ("status", "Teilnehmer*in nicht aktiv (pausiert); Stelle nicht offen (besetzt)"),
    ]
    assert [(f.name, f.reason) for f in en.failed_constraints] == [
        ("consent", "No consent to processing"),
        ("language", "German A1, B1 required, tolerance 1 level"),
        ("dates", "Posting expired on 2026-10-31"),
        ("status", "Participant not active (paused); Vacancy not open (filled)"),
    ]
    assert [(f.code, f.reason) for f in de.flags] == [
        ("approval_required", "Zustimmung der Ausländerbehörde erforderlich"),
        (
            "permit_renewal_pending",
            "Aufenthaltsdokument endet am 20.11.2026 vor Beginn – Verlängerung beantragt",
        ),
    ]
    assert [(f.code, f.reason) for f in en.flags] == [
        ("approval_required", "Approval by the foreigners' office required"),
        ("permit_renewal_pending", "Permit ends on 2026-11-20, before the start – renewal pending"),
    ]
    banned = make_participant(work_permit="prohibited", permit_valid_until=date(2026, 11, 20))
    de = explain(banned, job, RankingContext(commute=COMMUTE, as_of=AS_OF))
    en = explain(banned, job, RankingContext(commute=COMMUTE, as_of=AS_OF, lang="en"))
    assert de.failed_constraints[0].reason == (
        "Beschäftigung nicht erlaubt (Arbeitsverbot) für Job; "
        "Aufenthaltsdokument gültig bis 20.11.2026, Beginn 01.12.2026"
    )
    assert en.failed_constraints[0].reason == (
        "Employment not allowed (prohibited) for job; Permit valid until 2026-11-20, start 2026-12-01"
    )
