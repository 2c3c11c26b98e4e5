"""BA job search ("Jobsuche") JSON → kai-match import rows: pure, no database, no HTTP.

The district's job centre does not use the BA's case system, so regional vacancies also come
from the BA's public job search. This module turns one search item (plus, when fetched, its
details) into an employer row and a vacancy row for the upsert service. What the BA says and
kai-match has no field for is reported in ``unmapped``; every default is named in
``defaults_applied``, so a counsellor can see what was assumed. The BA has changed field names
between API versions (``titel``/``stellenangebotsTitel``, ``arbeitsorte``/``stellenlokationen``
…); every field is read under each spelling seen in the public API (docs/ba-import.md).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kai_match.scoring.constants import CEFR_LEVELS, PLACEMENT_TYPES, SHIFTS

BA_SYSTEM = "ba"
"""The external-reference system name of BA records."""

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_NAME = 200
MAX_REF_ID = 200
MAX_OPENINGS = 1000
MAX_LANGUAGES_WANTED = 3
MAX_HOURS = 60
ELLIPSIS = "…"
# A native-speaker demand is a barrier the programme should not reproduce blindly: the importer
# never asks for more than C1 (a counsellor may raise a vacancy by hand).
HIGHEST_IMPORTED_LEVEL = "C1"
# Bounds of Germany (as models.common.GeoPoint checks them); coordinates outside are dropped.
GERMANY_LAT = (47.2, 55.1)
GERMANY_LON = (5.8, 15.1)
GERMANY = frozenset({"deutschland", "de", "deu", "germany"})

# angebotsart (search parameter codes and the names the details use) → placement type.
OFFER_TYPES: dict[str, str] = {
    "1": "job",
    "arbeit": "job",
    "4": "apprenticeship",
    "ausbildung": "apprenticeship",
    "duales studium": "apprenticeship",
    "ausbildung duales studium": "apprenticeship",
    "34": "internship",
    "praktikum": "internship",
    "trainee": "internship",
    "praktikum trainee": "internship",
}
SKIPPED_OFFER_TYPES: dict[str, str] = {
    "2": "self-employment (angebotsart 2) is no placement",
    "selbstaendigkeit": "self-employment (angebotsart 2) is no placement",
    "selbständigkeit": "self-employment (angebotsart 2) is no placement",
}

# Working time models → shift names; the BA lumps shift, night and weekend work into one flag,
# so it stands for every off-hours shift (see docs/ba-import.md).
OFF_HOURS = ("early", "late", "night", "weekend")
WORKING_TIME_SHIFTS: dict[str, tuple[str, ...]] = {
    "VOLLZEIT": ("day",),
    "TEILZEIT": ("day",),
    "MINIJOB": ("day",),
    "TEILZEIT_ABEND": ("late",),
    "SCHICHT_NACHTARBEIT_WOCHENENDE": OFF_HOURS,
    "HEIM_TELEARBEIT": (),
}
# The flags of the newer answers (``arbeitszeitVollzeit: true`` …) → working time model.
WORKING_TIME_FLAGS: dict[str, str] = {
    "arbeitszeitVollzeit": "VOLLZEIT",
    "arbeitszeitTeilzeitVormittag": "TEILZEIT",
    "arbeitszeitTeilzeitNachmittag": "TEILZEIT",
    "arbeitszeitTeilzeitFlexibel": "TEILZEIT",
    "arbeitszeitTeilzeitAbend": "TEILZEIT_ABEND",
    "arbeitszeitSchichtNachtWochenende": "SCHICHT_NACHTARBEIT_WOCHENENDE",
    "arbeitszeitHeimarbeitTelearbeit": "HEIM_TELEARBEIT",
    "istGeringfuegigeBeschaeftigung": "MINIJOB",
}

# German language names (as the BA writes them) → ISO 639-1.
LANGUAGE_CODES: dict[str, str] = {
    "albanisch": "sq",
    "arabisch": "ar",
    "bulgarisch": "bg",
    "chinesisch": "zh",
    "dari": "fa",
    "englisch": "en",
    "farsi": "fa",
    "französisch": "fr",
    "griechisch": "el",
    "italienisch": "it",
    "kroatisch": "hr",
    "kurdisch": "ku",
    "niederländisch": "nl",
    "paschtu": "ps",
    "paschto": "ps",
    "persisch": "fa",
    "polnisch": "pl",
    "portugiesisch": "pt",
    "rumänisch": "ro",
    "russisch": "ru",
    "serbisch": "sr",
    "somali": "so",
    "spanisch": "es",
    "tigrinya": "ti",
    "tschechisch": "cs",
    "türkisch": "tr",
    "ukrainisch": "uk",
    "ungarisch": "hu",
    "vietnamesisch": "vi",
}

# The CEFR rule: BA level words (and words of ad texts) → CEFR, first match wins.
LEVEL_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bkeine\b|nicht (?:erforderlich|notwendig|nötig|zwingend)"), "A1"),
    (re.compile(r"mutterspra|\bnative\b"), "C1"),
    (re.compile(r"verhandlungssicher"), "C1"),
    (re.compile(r"experten"), "C1"),
    (re.compile(r"sehr gut|fließend|fliessend|\bfluent\b"), "B2"),
    (re.compile(r"erweitert"), "B1"),
    (re.compile(r"\bgut(?:e|en|er|es)?\b"), "B1"),
    (re.compile(r"grund|basis|einfache|elementar"), "A2"),
)
CEFR_CODE = re.compile(r"\b([abc])\s?([12])\b")
GERMAN_MENTION = re.compile(
    r"\bdeutsch(?:kenntnisse|sprachkenntnisse|niveau|e sprache|en sprache)?\b"
)
CLAUSE_SEPARATOR = re.compile(r"[,;.!?\n]|\bund\b|\boder\b|\bsowie\b")
SENTENCE_SEPARATOR = re.compile(r"[.!?\n]+")
HOURS = re.compile(r"(\d{1,2}(?:[.,]\d)?)\s*(?:h\b|std|stunden|wochenstunden)", re.I)
HOURS_RANGE = re.compile(r"\d{1,2}\s*(?:-|–|bis)\s*\d{1,2}\s*(?:h\b|std|stunden)", re.I)
POSTAL_CODE = re.compile(r"^\d{5}$")
BLOCK_TAG = re.compile(r"<\s*/?\s*(?:br|p|div|h[1-6]|tr|ul|ol)\b[^>]*>", re.I)
LIST_ITEM = re.compile(r"<\s*li\b[^>]*>", re.I)
HIDDEN = re.compile(r"<\s*(script|style)\b.*?<\s*/\s*\1\s*>", re.I | re.S)
TAG = re.compile(r"<[^>]*>")
NOT_STATED = frozenset({"keine angabe", "keine angaben", "keine_angabe", "keine_angaben"})

# BA fields that are read but not taken over, with the reason (reported when they say something).
DROPPED: dict[str, str] = {
    "verguetung": "kai-match does not match on pay",
    "verguetungsangabe": "kai-match does not match on pay",
    "gehaltsspanneVon": "kai-match does not match on pay",
    "gehaltsspanneBis": "kai-match does not match on pay",
    "befristung": "the contract term is no end date of the placement",
    "vertragsdauer": "the contract term is no end date of the placement",
    "uebernahme": "kai-match has no field for being kept on",
    "externeUrl": "kai-match keeps no link to the ad",
    "externeURL": "kai-match keeps no link to the ad",
    "hauptDkz": "a BA documentation code (DKZ), not a KldB 2010 code",
    "fertigkeiten": "skills are not imported: the BA gives no importance (must or should)",
    "ausbildungen": "required qualifications are not imported",
    "berufserfahrung": "kai-match has no field for required experience",
    "fuehrungskompetenzen": "kai-match has no field for leadership",
    "mobilitaet": "kai-match has no field for travel",
    "arbeitgeberAdresse": "the employer row takes the workplace's postal code, so that its id "
    "is the same with or without details",
    "nurFuerSchwerbehinderte": "kai-match has no field for it",
    "istBehinderungGefordert": "kai-match has no field for it",
    "istArbeitnehmerUeberlassung": "kai-match has no field for temporary agency work",
    "homeofficemoeglich": "home office is no shift",
}

assert set(OFFER_TYPES.values()) <= set(PLACEMENT_TYPES)
assert all(set(s) <= set(SHIFTS) for s in WORKING_TIME_SHIFTS.values())


class BaMappingError(ValueError):
    """A BA vacancy that cannot become a kai-match vacancy; the import skips and reports it."""

    def __init__(self, reference: str, reason: str) -> None:
        super().__init__(f"BA vacancy {reference or '(without refnr)'}: {reason}")
        self.reference = reference
        self.reason = reason


@dataclass(frozen=True)
class BaVacancy:
    """Rows for the upsert service, with what was left out and what was assumed."""

    reference: str
    employer: dict[str, Any]
    vacancy: dict[str, Any]
    suitable_for_refugees: bool | None
    unmapped: tuple[tuple[str, str], ...]
    defaults_applied: tuple[str, ...]


@dataclass
class _Notes:
    unmapped: list[tuple[str, str]] = field(default_factory=list)
    defaults: list[str] = field(default_factory=list)

    def skip(self, name: str, reason: str) -> None:
        if (name, reason) not in self.unmapped:
            self.unmapped.append((name, reason))


@dataclass(frozen=True)
class _Place:
    postal_code: str | None
    country: str | None
    lat: Any
    lon: Any


def search_items(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The items of one search answer (``stellenangebote``, or ``ergebnisliste`` of /pc/v6)."""
    if not isinstance(document, Mapping):
        return []
    items = document.get("stellenangebote")
    if items is None:
        items = document.get("ergebnisliste")
    if items is None and isinstance(document.get("_embedded"), Mapping):
        items = document["_embedded"].get("jobs")
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict)]


def german_level(requirement: str | None) -> str | None:
    """CEFR level of a German requirement ("Grundkenntnisse", "Deutsch B1"); None if none is stated.

    A text naming several levels ("A2–B1") asks for the lowest; nothing above C1 is returned.
    """
    if not isinstance(requirement, str):
        return None
    text = _normalised(requirement)
    clause = _german_clause(text)
    return _level_of(clause) if clause else None


def map_vacancy(
    item: Mapping[str, Any],
    details: Mapping[str, Any] | None = None,
    *,
    default_german_level: str = "A2",
) -> BaVacancy:
    """One search item (and its details, if fetched) as employer and vacancy rows."""
    if default_german_level not in CEFR_LEVELS:
        raise ValueError(f"default_german_level must be one of {', '.join(CEFR_LEVELS)}")
    details = details if isinstance(details, Mapping) else {}
    reference = _reference(item, details)
    notes = _Notes()
    postal_code, location = _workplace(reference, item, details, notes)
    employer = _employer(reference, item, details, postal_code)
    vacancy: dict[str, Any] = {
        "external_refs": [{"system": BA_SYSTEM, "id": reference}],
        "employer_ref": employer["external_refs"][0],
        "title": _title(reference, item, details),
        "type": _placement_type(reference, item, details, notes),
        "postal_code": postal_code,
    }
    if location is not None:
        vacancy["location"] = location
    _add_texts(vacancy, item, details, notes)
    _add_languages(vacancy, item, details, default_german_level, notes)
    _add_times(vacancy, item, details, notes)
    flag = _refugee_flag(item, details)
    if flag is not None:
        vacancy["suitable_for_refugees"] = flag
    _report_dropped(item, details, notes)
    return BaVacancy(
        reference=reference,
        employer=employer,
        vacancy=vacancy,
        suitable_for_refugees=flag,
        unmapped=tuple(notes.unmapped),
        defaults_applied=tuple(notes.defaults),
    )


# --- reading helpers ------------------------------------------------------------------------


def _first(sources: Iterable[Mapping[str, Any]], *names: str) -> Any:
    """The first value under any of the names that says something, searching sources in order."""
    for source in sources:
        for name in names:
            value = source.get(name)
            if value is not None and value != "" and value != [] and value != {}:
                return value
    return None


def _text(value: Any) -> str | None:
    """Whitespace-collapsed text, or None for anything that is no non-empty string."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def _normalised(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").split())


def _says_something(value: Any) -> bool:
    if value is None or value is False or value in ("", [], {}):
        return False
    return not (isinstance(value, str) and _normalised(value) in NOT_STATED)


# --- identity, employer, workplace ----------------------------------------------------------


def _reference(item: Mapping[str, Any], details: Mapping[str, Any]) -> str:
    """The refnr; details that belong to another vacancy are an error of the caller."""
    own = _text(_first([item], "refnr", "referenznummer"))
    theirs = _text(_first([details], "refnr", "referenznummer"))
    reference = own or theirs
    if reference is None:
        raise BaMappingError("", "has no refnr")
    if own and theirs and own != theirs:
        raise BaMappingError(own, f"the details given are those of {theirs}")
    if len(reference) > MAX_REF_ID:
        raise BaMappingError(reference[:40] + ELLIPSIS, "refnr is longer than 200 characters")
    return reference


def _employer(
    reference: str, item: Mapping[str, Any], details: Mapping[str, Any], postal_code: str
) -> dict[str, Any]:
    """Employer row; the search item's name comes first so the id is stable without details."""
    name = _text(_first([item, details], "arbeitgeber", "firma"))
    if name is None:
        raise BaMappingError(reference, "names no employer (an anonymous ad)")
    name = _cut(name, MAX_NAME)
    key = _text(
        _first([item], "kundennummerHash", "arbeitgeberKundennummerHash")
        or _first([details], "arbeitgeberKundennummerHash", "kundennummerHash")
    )
    if key is None or len(key) > MAX_REF_ID:
        key = f"name:{postal_code}:{name.casefold()}"[:MAX_REF_ID].rstrip()
    return {
        "name": name,
        "postal_code": postal_code,
        "external_refs": [{"system": BA_SYSTEM, "id": key}],
    }


def _places(source: Mapping[str, Any]) -> list[_Place]:
    """Workplaces under any spelling: ``arbeitsort``, ``arbeitsorte``, ``stellenlokationen``."""
    raw: list[Any] = []
    for name in ("arbeitsort", "arbeitsorte", "stellenlokationen"):
        value = source.get(name)
        raw.extend(value if isinstance(value, list) else [value] if value else [])
    places = []
    for entry in raw:
        if not isinstance(entry, Mapping):
            continue
        address = entry.get("adresse") if isinstance(entry.get("adresse"), Mapping) else entry
        coordinates = entry.get("koordinaten")
        coordinates = coordinates if isinstance(coordinates, Mapping) else {}
        places.append(
            _Place(
                postal_code=_postal_code(address.get("plz")),
                country=_text(address.get("land")),
                lat=coordinates.get("lat", entry.get("breite")),
                lon=coordinates.get("lon", entry.get("laenge")),
            )
        )
    return places


def _postal_code(value: Any) -> str | None:
    """Five digits; a number (the OpenAPI once typed ``plz`` as integer) gets its leading zero."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 100000:
        return f"{value:05d}"
    text = _text(value)
    return text if text is not None and POSTAL_CODE.match(text) else None


def _workplace(
    reference: str, item: Mapping[str, Any], details: Mapping[str, Any], notes: _Notes
) -> tuple[str, dict[str, float] | None]:
    """Postal code and coordinates of the first workplace; the search item's comes first."""
    places = _places(item) + _places(details)
    place = next((p for p in places if p.postal_code is not None), None)
    if place is None:
        raise BaMappingError(reference, "has no German 5-digit postal code")
    if place.country is not None and _normalised(place.country) not in GERMANY:
        raise BaMappingError(reference, f"the workplace is abroad ({place.country})")
    further = {p.postal_code for p in places if p.postal_code} - {place.postal_code}
    if further:
        notes.skip(
            "arbeitsorte",
            f"{len(further)} further workplace(s); one vacancy per workplace, the first is used",
        )
    same = [p for p in places if p.postal_code == place.postal_code]
    coordinates = next(filter(None, map(_coordinates, same)), None)
    if coordinates is None and any(p.lat is not None for p in same):
        notes.skip("koordinaten", "not a point in Germany")
    return place.postal_code, coordinates


def _coordinates(place: _Place) -> dict[str, float] | None:
    try:
        lat, lon = float(place.lat), float(place.lon)
    except (TypeError, ValueError):
        return None
    inside = GERMANY_LAT[0] <= lat <= GERMANY_LAT[1] and GERMANY_LON[0] <= lon <= GERMANY_LON[1]
    return {"lat": lat, "lon": lon} if inside else None


# --- title, type, texts ---------------------------------------------------------------------


def _title(reference: str, item: Mapping[str, Any], details: Mapping[str, Any]) -> str:
    """The details' title, else the search title, else the occupation; at most 200 characters."""
    title = _text(
        _first([details], "stellenangebotsTitel", "titel", "freieBezeichnung")
        or _first([item], "titel", "stellenangebotsTitel", "freieBezeichnung")
        or _first([item, details], "beruf", "hauptberuf")
    )
    if title is None:
        raise BaMappingError(reference, "has no title")
    return _cut(title, MAX_TITLE)


def _placement_type(
    reference: str, item: Mapping[str, Any], details: Mapping[str, Any], notes: _Notes
) -> str:
    """From ``angebotsart`` (1 → job, 4 → apprenticeship, 34 → internship); 2 is skipped."""
    given = _first([details, item], "angebotsart", "stellenangebotsart")
    if given is None:
        notes.defaults.append("type")
        return "job"
    key = _normalised(str(given)).replace("/", " ").replace("-", " ")
    key = " ".join(key.split())
    if key in OFFER_TYPES:
        return OFFER_TYPES[key]
    reason = SKIPPED_OFFER_TYPES.get(key, f"angebotsart '{given}' has no placement type")
    raise BaMappingError(reference, reason)


def _add_texts(
    vacancy: dict[str, Any], item: Mapping[str, Any], details: Mapping[str, Any], notes: _Notes
) -> None:
    raw = _first([details], "stellenangebotsBeschreibung", "stellenbeschreibung")
    description = _plain_text(raw) if isinstance(raw, str) else None
    if description:
        if len(description) > MAX_DESCRIPTION:
            notes.skip("stellenangebotsBeschreibung", "cut to 5000 characters")
        vacancy["description"] = _cut(description, MAX_DESCRIPTION)
    occupation = _text(_first([item, details], "beruf", "hauptberuf"))
    if occupation is not None:
        vacancy["occupation"] = {"name": _cut(occupation, MAX_NAME)}
    others = _first([item, details], "alleBerufe", "alternativBerufe")
    if isinstance(others, list) and len({_text(o) for o in others} - {occupation, None}) > 0:
        notes.skip("alleBerufe", "one occupation per vacancy; the main one is used")


def _plain_text(raw: str) -> str:
    """HTML to plain text: tags dropped, block ends as line breaks, entities decoded."""
    text = HIDDEN.sub(" ", raw)
    text = LIST_ITEM.sub("\n- ", text)
    text = BLOCK_TAG.sub("\n", text)
    text = html.unescape(TAG.sub("", text)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- languages ------------------------------------------------------------------------------


def _language_entries(sources: Iterable[Mapping[str, Any]]) -> list[tuple[str, str | None]]:
    """(language name, level text) pairs from ``sprachkenntnisse`` in any of its shapes."""
    for source in sources:
        entries = _entries(source.get("sprachkenntnisse"))
        for skill in source.get("fertigkeiten") or []:
            if isinstance(skill, Mapping) and "sprach" in str(skill.get("hierarchieName")).lower():
                entries += _entries(skill.get("auspraegungen"))
        if entries:
            return entries
    return []


def _entries(value: Any) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    if isinstance(value, Mapping):  # {level: [languages]} or {language: level}
        for key, inner in value.items():
            names = inner if isinstance(inner, list) else [key]
            level = str(key) if isinstance(inner, list) else _text(inner)
            out += [(name, level) for name in names if _text(name)]
    elif isinstance(value, list):
        for entry in value:
            if isinstance(entry, Mapping):
                name = _text(_first([entry], "bezeichnung", "sprache", "name"))
                level = _text(_first([entry], "auspraegung", "niveau", "level", "kenntnisstufe"))
                if name:
                    out.append((name, level))
            elif _text(entry):
                out.append((str(entry), str(entry)))
    return [(_text(name) or "", level) for name, level in out]


def _add_languages(
    vacancy: dict[str, Any],
    item: Mapping[str, Any],
    details: Mapping[str, Any],
    default_level: str,
    notes: _Notes,
) -> None:
    """German from the structured requirement, else from the ad text, else the default.

    A structured level wins over the text; an entry without a level lets the text speak.
    """
    entries = _language_entries([details, item])
    german = [level for name, level in entries if name.casefold().startswith("deutsch")]
    level = german_level(german[0] or "") if german else None
    if level is None:
        level = _german_from_text(vacancy.get("description"))
    if level is None:
        level = default_level
        notes.defaults.append("min_german_level")
    vacancy["min_german_level"] = level
    wanted = _languages_wanted(entries, notes)
    if wanted:
        vacancy["languages_wanted"] = wanted


def _german_from_text(description: str | None) -> str | None:
    """The level of the first sentence of the ad that speaks of German and names a level."""
    for sentence in SENTENCE_SEPARATOR.split(_normalised(description or "")):
        if GERMAN_MENTION.search(sentence) and (level := german_level(sentence)):
            return level
    return None


def _languages_wanted(entries: list[tuple[str, str | None]], notes: _Notes) -> list[dict[str, str]]:
    wanted: list[dict[str, str]] = []
    for name, level_text in entries:
        key = name.casefold().split(" ")[0].strip("():")
        if key.startswith("deutsch"):
            continue
        code = LANGUAGE_CODES.get(key)
        if code is None:
            notes.skip(f"sprachkenntnisse: {name}", "no ISO 639-1 code known for it")
            continue
        if any(w["code"] == code for w in wanted):
            continue
        if len(wanted) == MAX_LANGUAGES_WANTED:
            notes.skip(f"sprachkenntnisse: {name}", "a vacancy names at most 3 other languages")
            continue
        level = _level_of(_normalised(level_text or ""))
        if level is None:
            level = "A2"
            if "languages_wanted" not in notes.defaults:
                notes.defaults.append("languages_wanted")
        wanted.append({"code": code, "level": level})
    return wanted


def _german_clause(text: str) -> str | None:
    """The clause around the German mention; the whole text if it names no language at all."""
    mention = GERMAN_MENTION.search(text)
    if mention is None:
        names_other = any(re.search(rf"\b{name}", text) for name in LANGUAGE_CODES)
        return None if names_other else text
    start = max((m.end() for m in CLAUSE_SEPARATOR.finditer(text, 0, mention.start())), default=0)
    end = CLAUSE_SEPARATOR.search(text, mention.end())
    return text[start : end.start() if end else len(text)]


def _level_of(text: str) -> str | None:
    """CEFR codes written out win (the lowest of them); else the level words, capped at C1."""
    if text.strip() in NOT_STATED:
        return None
    codes = [f"{letter}{digit}".upper() for letter, digit in CEFR_CODE.findall(text)]
    if codes:
        level = min(codes, key=CEFR_LEVELS.index)
    else:
        level = next((lvl for pattern, lvl in LEVEL_WORDS if pattern.search(text)), None)
    if level is None:
        return None
    return min(level, HIGHEST_IMPORTED_LEVEL, key=CEFR_LEVELS.index)


# --- times, openings, flag ------------------------------------------------------------------


def _working_time_models(sources: Iterable[Mapping[str, Any]]) -> list[str]:
    models: list[str] = []
    for source in sources:
        given = source.get("arbeitszeitmodelle")
        for model in given if isinstance(given, list) else []:
            if isinstance(model, str) and model.strip().upper() not in models:
                models.append(model.strip().upper())
        for flag, model in WORKING_TIME_FLAGS.items():
            if source.get(flag) is True and model not in models:
                models.append(model)
    return models


def _add_times(
    vacancy: dict[str, Any], item: Mapping[str, Any], details: Mapping[str, Any], notes: _Notes
) -> None:
    vacancy["shifts"] = _shifts(_working_time_models([details, item]), notes)
    _add_hours(vacancy, _first([details, item], "informationenZurArbeitszeit"), notes)
    _add_openings(vacancy, _first([details, item], "anzahlOffeneStellen"), notes)
    _add_start(vacancy, item, details, notes)


def _shifts(models: list[str], notes: _Notes) -> list[str]:
    """Shift work → every off-hours shift; full/part time or mini job alone → day."""
    names: set[str] = set()
    for model in models:
        if model not in WORKING_TIME_SHIFTS:
            notes.skip(f"arbeitszeitmodelle: {model}", "unknown working time model")
        elif model == "HEIM_TELEARBEIT":
            notes.skip("arbeitszeitmodelle: HEIM_TELEARBEIT", "home office is no shift")
        names.update(WORKING_TIME_SHIFTS.get(model, ()))
    if "SCHICHT_NACHTARBEIT_WOCHENENDE" in models:
        names.discard("day")
    if not names:
        notes.defaults.append("shifts")
        return ["day"]
    return [s for s in SHIFTS if s in names]


def _add_hours(vacancy: dict[str, Any], text: Any, notes: _Notes) -> None:
    """Hours per week only where the ad states a number of hours (part time alone says none)."""
    if not isinstance(text, str) or not text.strip():
        return
    match = HOURS.search(text)
    if HOURS_RANGE.search(text) or match is None:
        notes.skip("informationenZurArbeitszeit", "states no single number of hours")
        return
    hours = round(float(match.group(1).replace(",", ".")))
    if 1 <= hours <= MAX_HOURS:
        vacancy["hours_per_week"] = hours
    else:
        notes.skip("informationenZurArbeitszeit", f"{hours} hours a week is out of range")


def _add_openings(vacancy: dict[str, Any], given: Any, notes: _Notes) -> None:
    try:
        openings = int(str(given).strip()) if given is not None else None
    except ValueError:
        openings = None
    if openings is None:
        if given is not None:
            notes.skip("anzahlOffeneStellen", f"'{given}' is no number")
        notes.defaults.append("openings")
        vacancy["openings"] = 1
        return
    clamped = max(1, min(MAX_OPENINGS, openings))
    if clamped != openings:
        notes.skip("anzahlOffeneStellen", f"{openings} taken as {clamped} (1 to 1000)")
    vacancy["openings"] = clamped


def _add_start(
    vacancy: dict[str, Any], item: Mapping[str, Any], details: Mapping[str, Any], notes: _Notes
) -> None:
    """Start date; ``eintrittszeitraum.bis`` is the latest start, not the end of the work."""
    item_period = item.get("eintrittszeitraum")
    period = details.get("eintrittszeitraum")
    item_period = item_period if isinstance(item_period, Mapping) else {}
    period = period if isinstance(period, Mapping) else {}
    given = (
        _first([item], "eintrittsdatum")
        or _first([item_period, period], "von")
        or _first([details], "eintrittsdatum")
    )
    if given is not None:
        start = _date(given)
        if start is None:
            notes.skip("eintrittsdatum", f"'{given}' is no date")
        else:
            vacancy["start_date"] = start
    if _first([item_period, period], "bis") is not None:
        notes.skip("eintrittszeitraum.bis", "the latest start date, not the end of the work")


def _date(value: Any) -> str | None:
    text = value.strip()[:10] if isinstance(value, str) else ""
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        return None
    return parsed.isoformat() if 1900 <= parsed.year <= 2100 else None


def _refugee_flag(item: Mapping[str, Any], details: Mapping[str, Any]) -> bool | None:
    """``fuerFluechtlingeGeeignet``: True or False when the BA says so, None when it does not."""
    for source in (details, item):
        value = source.get("fuerFluechtlingeGeeignet")
        if isinstance(value, bool):
            return value
    return None


def _report_dropped(item: Mapping[str, Any], details: Mapping[str, Any], notes: _Notes) -> None:
    for name, reason in DROPPED.items():
        if _says_something(item.get(name)) or _says_something(details.get(name)):
            notes.skip(name, reason)
