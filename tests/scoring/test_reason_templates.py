"""Every reason text, rendered in German and English, read the way a counsellor reads it aloud.

Counsellors read reasons to participants and employers, so a German text with an English code
word ("logistics", "work_trial"), "None", a placeholder, a doubled blank, an empty list item or a
wrong plural ("1 Tage") is a bug even where every exact-wording test passes. Two layers:

1. Catalogue: every message of the shipped template (kai_match.pot) filled with realistic values
   per placeholder name, plural messages with n = 1, 2, 7 (and 0 where a zero is real), in German
   and English; and the German translations themselves (present, not the English left in).
2. Engine: crafted pairs through `explain` (components, failed constraints, flags) at the edge
   values of every rule, with the collaborators the service passes (German skill labels, field
   labels, ISCO-08 titles), in German and English.

A new placeholder name fails `test_every_placeholder_has_sample_values` until it gets samples
below. Each message and each case is its own test id, failing with the rendered text and rule.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import numpy as np
import pytest
from babel.messages.pofile import read_po

from kai_match.data.taxonomy.fields import FIELDS, field_label
from kai_match.data.taxonomy.occupations import isco_group_title
from kai_match.scoring import (
    DEFAULT_PROFILE,
    CommuteModel,
    Experience,
    ParticipantProfile,
    RankingContext,
    RequiredSkill,
    VacancyProfile,
    WeightProfile,
    explain,
)
from kai_match.scoring.constants import (
    CONSTRAINTS,
    IMPORTANCES,
    LANGS,
    MODES,
    PARTICIPANT_STATUSES,
    PERMIT_DOCUMENTS,
    PERMIT_RULES,
    PLACEMENT_TYPES,
    RECOGNITION_STATES,
    SHIFTS,
    SKILL_SOURCES,
    VACANCY_STATUSES,
    WORK_PERMITS,
)
from kai_match.scoring.i18n import DOMAIN, LOCALES, catalogue, word
from kai_match.scoring.schedule import COMMITMENT_KINDS, Commitment, WorkingTime
from kai_match.scoring.schedule_reasons import COMMITMENT_NAMES, COMMITMENT_SUBJECTS
from kai_match.scoring.texts import (
    MISSING_NAMES,
    document_name,
    fmt_date,
    fmt_levels,
    fmt_num,
    fmt_tolerance,
    fmt_years,
    language_name,
    listing,
    mode_name,
    permit_name,
    shift_name,
    shift_noun,
    status_name,
    type_name,
)
from kai_match.scoring.week import fmt, parse

from .fakes import AS_OF, BORNA, GRIMMA, FakeCommute, FakeRelated, make_participant, make_vacancy

# ---------------------------------------------------------------------------------------------
# The rules a text read aloud must keep
# ---------------------------------------------------------------------------------------------

# Codes of the engine's vocabularies. Beyond the brief's list also documents, statuses,
# constraint names, permit rules and commitment kinds: texts speak about all of them.
CODE_WORDS: tuple[str, ...] = tuple(
    sorted(
        {
            *PLACEMENT_TYPES,
            *SHIFTS,
            *WORK_PERMITS,
            *SKILL_SOURCES,
            *IMPORTANCES,
            *RECOGNITION_STATES,
            *MODES,
            *FIELDS,
            *PERMIT_DOCUMENTS,
            *PARTICIPANT_STATUSES,
            *VACANCY_STATUSES,
            *CONSTRAINTS,
            *PERMIT_RULES,
            *COMMITMENT_KINDS,
        },
        key=len,
        reverse=True,
    )
)
# Codes spelled like a German word; allowed only in that spelling (a capitalised noun or the
# field label "IT & Digitales"), so a lower-case code still fails. No other code is German:
# "none", "day", "early", "care", "other", "open" … are never German words.
GERMAN_HOMOGRAPHS = {"job": "Job", "it": "IT", "shuttle": "Shuttle", "status": "Status"}
_CODE_WORD = re.compile(
    r"\b(?:"
    + "|".join(re.escape(c) for c in CODE_WORDS)
    + "|"
    + "|".join(re.escape(c.replace("_", " ")) for c in CODE_WORDS if "_" in c)
    + r")\b",
    re.IGNORECASE,
)
# English words of the msgids that German never uses (case-sensitive: "Start", "Not", "Min."
# are German and capitalised).
_ENGLISH_IN_GERMAN = re.compile(
    r"\b(?:the|and|of|with|for|not|by|to|from|on|at|required|missing|wanted|expected|limit|min"
    r"|skills?|levels?|days?|years?|fits?|below|present|none)\b"
)

GENERIC_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("'None', 'nan' or 'inf' from a missing value", re.compile(r"\b(?:None|nan|NaN|null|inf)\b")),
    ("unfilled placeholder or brace", re.compile(r"%\(|[{}]")),
    ("percent sign (texts give counts, not coverage percentages)", re.compile(r"%(?!\()")),
    ("doubled blank", re.compile(r" {2,}")),
    ("blank before punctuation", re.compile(r" [,;:.)]")),
    ("blank after an opening bracket or quote", re.compile(r"[(„] ")),
    ("empty list item", re.compile(r"[,;:(]\s*(?:[,;)–]|$)|„“|\(\)")),
    ("a code with an underscore", re.compile(r"\b[a-z]+_[a-z_]+\b")),
    ("a word doubled", re.compile(r"\b([^\W\d]+) \1\b", re.IGNORECASE)),
)

# Number + noun: singular exactly for "1" (a fraction such as 1,5 reads plural).
_NUMBER_NOUN = re.compile(r"(?<![\d,.])(\d+(?:[,.]\d+)?) (\w+)")
NOUN_FORMS = {
    "de": (
        {"Tag", "Stufe", "Jahr", "Kenntnis", "Minute", "Schicht"},
        {"Tage", "Tagen", "Stufen", "Jahre", "Jahren", "Kenntnisse", "Kenntnissen", "Minuten"},
    ),
    "en": ({"day", "level", "year", "skill", "minute"}, {"days", "levels", "years", "skills"}),
}
# A list after a word that agrees with the number of its items: (pattern of the list, one?).
_LIST = r"([^;–]+)"
_QUOTED = r"((?:„[^“]*“(?:, )?)+)"
LIST_AGREEMENT = {
    "de": (
        (re.compile(rf"\bfehlt: {_LIST}"), True),
        (re.compile(rf"\bfehlen: {_LIST}"), False),
        (re.compile(rf"\bSprache vorhanden: {_LIST}"), True),
        (re.compile(rf"\bSprachen vorhanden: {_LIST}"), False),
        (re.compile(rf"\bAnforderung {_QUOTED}"), True),
        (re.compile(rf"\bAnforderungen {_QUOTED}"), False),
    ),
    "en": (
        (re.compile(rf"\bskill missing: {_LIST}"), True),
        (re.compile(rf"\bskills missing: {_LIST}"), False),
        (re.compile(rf"\blanguage (?:spoken|missing): {_LIST}"), True),
        (re.compile(rf"\blanguages (?:spoken|missing): {_LIST}"), False),
        (re.compile(rf"\bRequirement {_QUOTED}"), True),
        (re.compile(rf"\bRequirements {_QUOTED}"), False),
    ),
}


def _items(listed: str) -> int:
    return len([item for item in listed.strip().split(", ") if item.strip()])


def plural_problems(text: str, lang: str) -> list[str]:
    """Counts and the words that go with them: 1 Tag / 2 Tage, fehlt: A / fehlen: A, B."""
    singular, plural = NOUN_FORMS[lang]
    out = []
    for number, noun in _NUMBER_NOUN.findall(text):
        if noun in singular and number != "1":
            out.append(f"plural: '{number} {noun}' needs the plural")
        elif noun in plural and number == "1":
            out.append(f"plural: '{number} {noun}' needs the singular")
    for pattern, one in LIST_AGREEMENT[lang]:
        for match in pattern.finditer(text):
            if (_items(match.group(1)) == 1) != one:
                form = "singular" if one else "plural"
                out.append(f"plural: {form} '{match.group(0).strip()}' with {_items(match[1])}")
    return out


_QUOTATION = re.compile(r"„[^“]*“")


def german_problems(text: str) -> list[str]:
    """What only German must not contain: codes, English words, ISO dates, 'Toleranz 0'.

    Quoted requirements („MS Office“) are the employer's own words and are not read for codes.
    """
    words = _QUOTATION.sub("„…“", text)
    out = [
        f"English code word '{m.group(0)}'"
        for m in _CODE_WORD.finditer(words)
        if GERMAN_HOMOGRAPHS.get(m.group(0).lower()) != m.group(0)
    ]
    out += [f"English word '{m.group(0)}'" for m in _ENGLISH_IN_GERMAN.finditer(words)]
    if re.search(r"\b\d{4}-\d{2}-\d{2}\b", text):
        out.append("ISO date in German (15.04.2027)")
    if re.search(r"\b\d+\.\d\b", text):
        out.append("decimal point in German (37,5)")
    if re.search(r"\bToleranz 0\b", text):
        out.append("'Toleranz 0 …' reads 'keine Toleranz'")
    return out


def problems(text: str, lang: str) -> list[str]:
    """Every rule a rendered text breaks, in order, each once."""
    out = []
    if not text.strip():
        out.append("empty text")
    elif text != text.strip():
        out.append("blank at the start or end")
    out += [rule for rule, pattern in GENERIC_RULES if pattern.search(text)]
    if lang == "en" and re.search(r"\btolerance 0\b", text):
        out.append("'tolerance 0 …' reads 'no tolerance'")
    out += plural_problems(text, lang)
    if lang == "de":
        out += german_problems(text)
    return list(dict.fromkeys(out))


def report(title: str, failures: list[tuple[str, str, list[str]]], limit: int = 12) -> str:
    """One block per failing text: where it came from, the text, the rules it breaks."""
    lines = [title]
    for where, text, broken in failures[:limit]:
        lines.append(f"  {where}\n      «{text}»\n      → {'; '.join(broken)}")
    if len(failures) > limit:
        lines.append(f"  … and {len(failures) - limit} more renderings")
    return "\n".join(lines)


def test_the_rules_catch_what_they_are_for() -> None:
    """The rules themselves: each bad text is caught, the good German passes."""
    assert problems("Wunschfeld Lager & Logistik; 1 von 2 Kenntnissen vorhanden", "de") == []
    assert (
        problems("Job gewünscht; Pendelzeit ca. 25 Min. mit dem Shuttle des Betriebs", "de") == []
    )
    assert problems("Wunschfeld IT & Digitales; Beginn 1 Tag nach Verfügbarkeit", "de") == []
    for bad in (
        "Wunschfeld logistics",
        "work trial gewünscht",
        "job gewünscht",
        "Deutsch None",
        "Beginn 1 Tage nach Verfügbarkeit",
        "Beginn 2 Tag nach Verfügbarkeit",
        "fehlt: A, B",
        "fehlen: A",
        "Abdeckung 28 %",
        "Deutsch A2,  gefordert B1",
        "Deutsch A2 , gefordert B1",
        "fehlt: A, , B",
        "Toleranz 0 Stufen",
        "Schichten: Früh (day)",
        "Wochenstunden 20/37.5",
        "B1 erwartet bis 2027-04-15",
    ):
        assert problems(bad, "de"), bad


# ---------------------------------------------------------------------------------------------
# Layer 1: every message of the catalogue with sample values
# ---------------------------------------------------------------------------------------------


def _read_po(path, locale=None):
    with path.open("rb") as f:
        return read_po(f, locale=locale)


TEMPLATE = [m for m in _read_po(LOCALES / f"{DOMAIN}.pot") if m.id]
TRANSLATIONS = {
    lang: _read_po(LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po", locale=lang) for lang in LANGS
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def forms(message) -> tuple[str, ...]:
    """The msgid, and its plural if any."""
    return message.id if isinstance(message.id, tuple) else (message.id,)


def placeholders(message) -> list[str]:
    return list(dict.fromkeys(n for f in forms(message) for n in _PLACEHOLDER.findall(f)))


def message_id(message) -> str:
    text = re.sub(r"\W+", "_", forms(message)[0]).strip("_")[:64] or "punct"
    return f"{message.context}:{text}" if message.context else text


DAY, OTHER_DAY = date(2027, 4, 15), date(2027, 1, 4)
# German skill labels, as the service's `skill_name` gives them (taxonomy preferred labels).
SKILL_LABELS = {
    "picking": "Kommissionieren",
    "packing": "Verpacken",
    "forklift": "Gabelstaplerschein",
    "pallet_truck": "Hubwagen fahren",
    "cleaning": "Unterhaltsreinigung",
    "hygiene": "Hygieneschulung",
    "cash": "Kassieren",
    "shelving": "Regale einräumen",
}
LABELS = list(SKILL_LABELS.values())
REQUIREMENTS = [
    "„DATEV“",
    "„Schichtbereitschaft“",
    "„MS Office“",
    "„Erste Hilfe“",
    "„Staplerfahrerausweis“",
    "„belastbar“",
    "„Teamfähigkeit“",
]
WANTED = ("ar", "ti", "uk", "fa")
CLASH = "%(shift)s (%(hours)s) clashes with %(commitment)s %(when)s"
NOT_WORKED = "%(shift)s (%(hours)s) not among the shifts the person works"


def _lists(items: list[str], limit: int = 3) -> tuple[str, ...]:
    """One, two and more items than the listing shows (', …')."""
    return tuple(listing(items[:n], limit) for n in (1, 2, limit + 1))


@cache
def sample_values(lang: str) -> dict[str, tuple[str, ...]]:
    """Realistic values per placeholder name, made by the engine's own formatters."""
    t = catalogue(lang)
    dates = (fmt_date(DAY, lang), fmt_date(OTHER_DAY, lang))
    early = fmt(parse("Mo–Fr 06:00–14:00"), lang)
    two_windows = "; ".join(fmt(parse(w), lang) for w in ("Mo–Fr 06:00–10:00", "Sa 08:00–12:00"))
    course = fmt(parse("Mo–Fr 08:30–12:45"), lang)
    clash = t.gettext(CLASH) % {
        "shift": shift_noun("early", lang),
        "hours": early,
        "commitment": word(COMMITMENT_NAMES["course"], lang),
        "when": course,
    }
    not_worked = t.gettext(NOT_WORKED) % {"shift": shift_noun("night", lang), "hours": early}
    return {
        "level": ("A1", "A2", "B1"),
        "required": ("A2", "B1", "C1"),
        "date": dates,
        "until": dates,
        "start": dates,
        "end": dates,
        "available": dates,
        "earliest": dates,
        "year": ("2027",),
        "month": ("04",),
        "day": ("15",),
        "levels": (fmt_levels(1, lang), fmt_levels(2, lang)),
        "tolerance": tuple(fmt_tolerance(n, lang) for n in (0, 1, 2)),
        "have": ("0", "1", "2"),
        "total": ("1", "2", "7"),
        "possible": ("0", "1", "2"),
        "languages": _lists([language_name(code, lang) for code in WANTED]),
        "skill": (LABELS[0], REQUIREMENTS[0]),
        "skills": _lists(LABELS) + _lists(REQUIREMENTS),
        "names": _lists(REQUIREMENTS),
        "items": _lists([word(MISSING_NAMES[k], lang) for k in MISSING_NAMES]),
        "years": tuple(fmt_years(y, lang) for y in (0, 1, 1.5, 7)),
        "group": (isco_group_title("9333") or "", isco_group_title("93") or ""),
        "minutes": ("1", "25", "60"),
        "mode": tuple(mode_name(m, lang) for m in MODES),
        "shift": tuple(shift_noun(s, lang) for s in SHIFTS),
        "shifts": _lists([shift_name(s, lang) for s in SHIFTS], 5),
        "limit": (fmt_num(45, lang), fmt_num(22.5, lang)),
        "type": tuple(type_name(pt, lang) for pt in PLACEMENT_TYPES),
        "field": tuple(field_label(f, lang) for f in ("logistics", "it", "care")),
        "person": (fmt_num(20, lang), fmt_num(37.5, lang)),
        "vacancy": (fmt_num(39, lang), fmt_num(7.5, lang)),
        "hours": (early, two_windows),
        "commitment": tuple(word(COMMITMENT_NAMES[k], lang) for k in COMMITMENT_KINDS),
        "when": (course,),
        "clashes": (listing([clash], 2), listing([clash, not_worked], 2)),
        "permit": tuple(permit_name(p, lang) for p in WORK_PERMITS),
        "document": tuple(document_name(d, lang) for d in (*PERMIT_DOCUMENTS, None)),
        "licence": ("B", "C1", "CE"),
        "status": tuple(status_name(s, lang) for s in (*PARTICIPANT_STATUSES, *VACANCY_STATUSES)),
    }


# Where one placeholder name means another kind of word in one message (msgid, name).
MESSAGE_SAMPLES: dict[tuple[str, str], Callable[[str], tuple[str, ...]]] = {
    ("fits once %(document)s is renewed", "document"): lambda lang: tuple(
        document_name(d, lang, article=True) for d in (*PERMIT_DOCUMENTS, None)
    ),
    ("fits from %(date)s, when %(commitment)s ends", "commitment"): lambda lang: tuple(
        word(COMMITMENT_SUBJECTS[k], lang) for k in COMMITMENT_KINDS
    ),
    ("Participant not active (%(status)s)", "status"): lambda lang: tuple(
        status_name(s, lang) for s in PARTICIPANT_STATUSES if s != "active"
    ),
    ("Vacancy not open (%(status)s)", "status"): lambda lang: tuple(
        status_name(s, lang) for s in VACANCY_STATUSES if s != "open"
    ),
}
# In a plural message, the placeholder that carries the count, rendered for n.
COUNTS: dict[str, Callable[[int, str], str]] = {
    "total": lambda n, lang: str(n),
    "years": lambda n, lang: fmt_num(n, lang),
    "levels": lambda n, lang: str(n),
    "days": lambda n, lang: str(n),
    "skills": lambda n, lang: listing(LABELS[:n], 5),
    "names": lambda n, lang: listing(REQUIREMENTS[:n]),
    "languages": lambda n, lang: listing([language_name(c, lang) for c in WANTED][:n]),
}
ZERO_IS_REAL = {"years"}  # "0 Jahre Erfahrung"; no other text is built for a count of 0


def _values_for(message, name: str, lang: str) -> tuple[str, ...]:
    override = MESSAGE_SAMPLES.get((forms(message)[0], name))
    if override is not None:
        return override(lang)
    values = sample_values(lang).get(name)
    if values is None:
        pytest.fail(
            f"placeholder %({name})s of {forms(message)[0]!r} has no sample values: "
            "add realistic ones to sample_values() in tests/scoring/test_reason_templates.py"
        )
    return values


def _consistent(values: dict[str, str]) -> bool:
    """No more held than asked for (2 of 1 is not a text the engine builds)."""
    total = int(values.get("total", 99))
    return all(int(values.get(part, 0)) <= total for part in ("have", "possible"))


def renderings(message, lang: str) -> list[tuple[str, str]]:
    """(how it was filled, text) for every combination of sample values (and counts)."""
    t = catalogue(lang)
    names = placeholders(message)
    counted = [n for n in names if n in COUNTS] if message.pluralizable else []
    if message.pluralizable and len(counted) != 1:
        pytest.fail(f"plural message {forms(message)[0]!r}: which of {names} is the count?")
    ns: tuple[int | None, ...] = (None,)
    if counted:
        ns = ((0,) if counted[0] in ZERO_IS_REAL else ()) + (1, 2, 7)
    out = []
    for n in ns:
        fixed = {counted[0]: COUNTS[counted[0]](n, lang)} if n is not None else {}
        free = [name for name in names if name not in fixed]
        for combo in itertools.product(*(_values_for(message, name, lang) for name in free)):
            values = {**fixed, **dict(zip(free, combo, strict=True))}
            if not _consistent(values):
                continue
            if message.pluralizable:
                singular, plural = forms(message)
                text = (
                    t.npgettext(message.context, singular, plural, n)
                    if message.context
                    else t.ngettext(singular, plural, n)
                )
            else:
                msgid = forms(message)[0]
                text = t.pgettext(message.context, msgid) if message.context else t.gettext(msgid)
            out.append(
                (
                    f"n={n} {values}" if n is not None else str(values),
                    text % values if names else text,
                )
            )
    return out


def test_every_placeholder_has_sample_values() -> None:
    """A new text with a new placeholder name needs samples here before it is checked."""
    known = set(sample_values("de")) | set(COUNTS)
    unknown = {
        f"%({name})s in {forms(m)[0]!r}"
        for m in TEMPLATE
        for name in placeholders(m)
        if name not in known
    }
    assert not unknown, "add sample values for:\n" + "\n".join(sorted(unknown))
    stale = {msgid for msgid, _ in MESSAGE_SAMPLES} - {forms(m)[0] for m in TEMPLATE}
    assert not stale, f"MESSAGE_SAMPLES names texts the catalogue no longer has: {stale}"


# Pieces of a format, never a text of their own: the decimal sign and the date pattern.
FRAGMENTS = {("decimal separator", "."), ("date", "%(year)s-%(month)s-%(day)s")}
READ_ALOUD = [m for m in TEMPLATE if (m.context, forms(m)[0]) not in FRAGMENTS]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("message", READ_ALOUD, ids=message_id)
def test_catalogue_message_reads_well(message, lang: str) -> None:
    """Filled with realistic values, the text breaks none of the rules."""
    failures = []
    for how, text in renderings(message, lang):
        broken = problems(text, lang)
        if broken:
            failures.append((how, text, broken))
    if failures:
        pytest.fail(report(f"{lang} {forms(message)[0]!r}:", failures), pytrace=False)


# Messages whose German is legitimately the msgid (none today; e.g. a bare licence class).
SAME_IN_GERMAN: frozenset[str] = frozenset()
# English words of msgids that German shares: loanwords, "Min." (minutes), "Person", "Start".
SHARED_WORDS = frozenset({"job", "shuttle", "status", "min", "person", "start", "neutral"})
_WORD = re.compile(r"[^\W\d_]{3,}")


@pytest.mark.parametrize("message", TEMPLATE, ids=message_id)
def test_catalogue_message_is_translated(message) -> None:
    """German and English are present; the German is German (not the msgid, no English word of
    it left in), and its singular and plural differ (every German plural text has a counted
    noun or verb)."""
    out = []
    for lang, catalog in TRANSLATIONS.items():
        found = catalog.get(forms(message)[0], context=message.context)
        strings = () if found is None else found.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if not strings or not all(s.strip() for s in strings):
            out.append(f"{lang}: no translation ({strings!r})")
    german = TRANSLATIONS["de"].get(forms(message)[0], context=message.context)
    if german is not None and german.string:
        strings = german.string if isinstance(german.string, tuple) else (german.string,)
        english = [_PLACEHOLDER.sub("", f) for f in forms(message)]
        if forms(message)[0] not in SAME_IN_GERMAN and any(_WORD.search(e) for e in english):
            out += [
                f"de: the msgid left untranslated: {s!r}"
                for s, e in zip(strings, forms(message), strict=False)
                if s == e
            ]
        words = {w.lower() for e in english for w in _WORD.findall(e)} - SHARED_WORDS
        for s in strings:
            bare = _PLACEHOLDER.sub("", s)
            left = sorted(w for w in words if re.search(rf"\b{w}\b", bare, re.IGNORECASE))
            if left:
                out.append(f"de: English words {left} in {s!r}")
        if message.pluralizable and len(set(strings)) < 2:
            out.append(f"de: singular and plural are the same: {strings!r}")
    if out:
        pytest.fail(f"{forms(message)[0]!r}:\n  " + "\n  ".join(out), pytrace=False)


# ---------------------------------------------------------------------------------------------
# Layer 2: crafted pairs through the engine
# ---------------------------------------------------------------------------------------------


class NoRoute:
    """A commute model that finds no way at all (no bus, no bike, too far to walk)."""

    def best_minutes(self, **arrays) -> tuple[np.ndarray, np.ndarray]:
        shape = np.broadcast(*(np.asarray(a) for a in arrays.values())).shape
        return np.full(shape, np.inf), np.zeros(shape, dtype=np.int8)


COMMUTE = FakeCommute()
RELATED = FakeRelated(
    {
        "picking": {"packing": 0.85, "cleaning": 0.4},
        "packing": {"picking": 0.85},
        "shelving": {"picking": 0.6},
    }
)
START = AS_OF + timedelta(days=30)
NURSE = "esco-nurse"
WAREHOUSE = "esco-warehouse-worker"
MON_FRI = 0x1F
COURSE = Commitment("course", MON_FRI, 510, 765, valid_until=AS_OF + timedelta(days=30))
KITA = Commitment("childcare", MON_FRI, 450, 495)
SPORT = Commitment("other", MON_FRI, 960, 1080)
SOFT = WeightProfile(name="soft", hard_constraints={t: frozenset() for t in PLACEMENT_TYPES})
PERMIT_CHECK = WeightProfile.from_dict(
    {"name": "permit-check", "permit_rules": {"job": {"permitted": "flag"}}}
)
EXCLUDE_UNVERIFIED = WeightProfile.from_dict(
    {"name": "exclude-unverified", "params": {"unverified_must": "exclude"}}
)
FLAG_CODES = (
    "approval_required",
    "measure_only",
    "permit_check",
    "permit_renewal_pending",
    "permit_ends_during",
    "b1_expected",
    "unverified_requirement",
    "certificate_unproven",
    "recognition_pending",
)


@dataclass(frozen=True)
class Case:
    """A pair and how it is asked about; `hits` are the results the case exists for."""

    id: str
    participant: ParticipantProfile
    vacancy: VacancyProfile
    hits: frozenset[str] = frozenset()
    commute: CommuteModel = field(default=COMMUTE, compare=False)
    profile: WeightProfile = DEFAULT_PROFILE
    restricted: bool = False
    group_titles: bool = True


def case(case_id: str, hits: str = "", *, p: dict | None = None, v: dict | None = None, **how):
    """A case from overrides of the test builders; `hits` lists its results, space-separated."""
    participant, vacancy = make_participant(**(p or {})), make_vacancy(**(v or {}))
    return Case(case_id, participant, vacancy, frozenset(hits.split()), **how)


def skills(*required) -> dict:
    return {"skills": tuple(RequiredSkill(*r) for r in required)}


def held(**levels) -> dict:
    return {"skills": dict(levels)}


def german(level: str, *, b1: date | None = None) -> dict:
    return {"german_level": level, "expected_b1_date": b1}


def needs(level: str, tolerance: int = 0, *, support: bool = False, **more) -> dict:
    return {
        "min_german_level": level,
        "german_tolerance": tolerance,
        "employer_offers_language_support": support,
        **more,
    }


def permit(document: str | None, *, until: date, renewal: bool = False, **more) -> dict:
    return {
        "permit_document": document,
        "permit_valid_until": until,
        "permit_renewal_pending": renewal,
        **more,
    }


def nurse(recognition: str, expected: date | None = None) -> dict:
    return {"occupations": (Experience(NURSE, "2221", 5.0, recognition, expected),)}


def worked(years: float, code: str = "esco-other", group: str | None = "9333") -> dict:
    return {"occupations": (Experience(code, group, years),)}


NURSE_JOB = {"occupation_code": NURSE, "isco_group": "2221", "regulated": True}
WAREHOUSE_JOB = {"occupation_code": WAREHOUSE, "isco_group": "9333"}
IN_BORNA = {"lat": BORNA[0], "lon": BORNA[1]}
# 13 km north on a good bus line: the bus beats walking, the early shift is off-peak.
NORTH_BY_BUS = {"lat": GRIMMA[0] + 0.12, "lon": GRIMMA[1], "transit": 0.9}
# Fails language, commute, dates, schedule and a must skill at once.
ALL_SOFT_FAILING = {
    "german_level": "A1",
    "max_commute_minutes": 10.0,
    "earliest_start": START + timedelta(days=40),
    "shifts": frozenset({"day"}),
}
ALL_SOFT_FAILING_JOB = {
    "type": "work_trial",
    "min_german_level": "B1",
    "start_date": START,
    "shifts": {"early"},
    **skills(("cash", "must", 1)),
}


CASES: tuple[Case, ...] = (
    # Skills: none, one (held, below level, related, missing), several, certificates, unverified.
    case("skills-none", v={"skills": ()}),
    case("skills-1-held", p=held(picking=(2, "assessed")), v=skills(("picking", "should", 2))),
    case("skills-1-below", p=held(picking=(1, "self_reported")), v=skills(("picking", "must", 3))),
    case("skills-1-related", p=held(packing=(2, "assessed")), v=skills(("picking", "must", 2))),
    case(
        "skills-1-related-too-far",
        "failed:must_skill",
        p=held(cleaning=(2, "assessed")),
        v=skills(("picking", "must", 2)),
    ),
    case("skills-1-missing-nice", v=skills(("cash", "nice", 1))),
    case("skills-1-missing-must", "failed:must_skill", v=skills(("cash", "must", 1))),
    case(
        "skills-2-missing-must",
        "failed:must_skill",
        v=skills(("cash", "must", 1), ("picking", "must", 2)),
    ),
    case(
        "skills-mixed",
        "failed:must_skill",
        p=held(picking=(3, "certified"), pallet_truck=(1, "self_reported")),
        v=skills(
            ("picking", "should", 2),
            ("pallet_truck", "should", 3),
            ("packing", "must", 2),
            ("cleaning", "nice", 1),
            ("cash", "must", 1),
        ),
    ),
    case(
        "skills-7-missing",
        "failed:must_skill",
        v=skills(*((s, "must", 1) for s in SKILL_LABELS if s != "shelving")),
    ),
    case(
        "certificate-unproven",
        "flag:certificate_unproven",
        p=held(forklift=(2, "self_reported")),
        v=skills(("forklift", "must", 1, True)),
    ),
    case(
        "certificates-2-unproven",
        "flag:certificate_unproven",
        p=held(forklift=(1, "self_reported"), hygiene=(1, "assessed")),
        v=skills(("forklift", "must", 1, True), ("hygiene", "must", 1, True)),
    ),
    case(
        "certificate-missing",
        "failed:must_skill",
        p=held(pallet_truck=(4, "certified")),
        v=skills(("forklift", "must", 1, True)),
    ),
    case(
        "unverified-1-must-only",
        "flag:unverified_requirement",
        v={"unverified": (("DATEV", "must"),)},
    ),
    case(
        "unverified-2-with-skills",
        "flag:unverified_requirement",
        p=held(picking=(2, "assessed")),
        v={
            **skills(("picking", "should", 2)),
            "unverified": (("DATEV", "must"), ("Schichtbereitschaft", "nice")),
        },
    ),
    case(
        "unverified-4",
        "flag:unverified_requirement",
        v={"unverified": tuple((r.strip("„“"), "should") for r in REQUIREMENTS[:4])},
    ),
    case(
        "unverified-must-excluded",
        "failed:must_skill",
        v={**skills(("cash", "must", 1)), "unverified": (("DATEV", "must"),)},
        profile=EXCLUDE_UNVERIFIED,
    ),
    # German: met, within tolerance, tolerance 0, below, expected B1, wanted languages, literacy.
    case("german-met", p=german("B2"), v=needs("B1")),
    case("german-within-tolerance-with-support", p=german("A2"), v=needs("B1", 1, support=True)),
    case("german-1-below-tolerance-0", "failed:language", p=german("A2"), v=needs("B1", 0)),
    case("german-2-below-tolerance-1", "failed:language", p=german("A1"), v=needs("B1", 1)),
    case("german-2-below-tolerance-2", p=german("A1"), v=needs("B1", 2)),
    case(
        "german-b1-expected-in-time",
        "flag:b1_expected",
        p=german("A2", b1=START - timedelta(days=14)),
        v=needs("B1", start_date=START),
    ),
    case(
        "german-b1-expected-too-late",
        "failed:language",
        p=german("A2", b1=START + timedelta(days=1)),
        v=needs("B1", start_date=START),
    ),
    case(
        "german-b1-expected-for-c1-tolerance-2",
        "flag:b1_expected",
        p=german("A2", b1=START - timedelta(days=1)),
        v=needs("C1", 2, start_date=START),
    ),
    case(
        "languages-wanted-spoken-and-missing",
        p={"other_languages": {"ar": "C1", "fa": "A1"}, "latin_literacy": False},
        v={"languages_wanted": (("ar", "B1"), ("ti", "A2"), ("uk", "B1"))},
    ),
    case(
        "languages-wanted-1-missing",
        p={"other_languages": {"ar": "B2"}},
        v={"languages_wanted": (("fa", "A2"),)},
    ),
    case(
        "languages-wanted-2-spoken",
        p={"other_languages": {"ar": "B2", "ku": "C1"}},
        v={"languages_wanted": (("ar", "A2"), ("ku", "B1"))},
    ),
    case(
        "languages-wanted-restricted",
        p={"other_languages": {"ar": "C1"}, "latin_literacy": False},
        v={"languages_wanted": (("ar", "B1"), ("ti", "A2"))},
        restricted=True,
    ),
    # Commute: reachable, over the limit, unreachable, by bus to an early shift, car, shuttle.
    case("commute-bike"),
    case("commute-over-limit", "failed:commute", p={"max_commute_minutes": 20.0}, v=IN_BORNA),
    case("commute-over-limit-22.5", "failed:commute", p={"max_commute_minutes": 22.5}, v=IN_BORNA),
    case("commute-unreachable", "failed:commute", commute=NoRoute()),
    case(
        "commute-bus-to-early-shift",
        p={"has_bike": False, "home_transit": 0.9, "max_commute_minutes": 90.0},
        v={**NORTH_BY_BUS, "shifts": {"early"}},
    ),
    case(
        "commute-bus-to-early-shift-over-limit",
        "failed:commute",
        p={"has_bike": False, "home_transit": 0.9, "max_commute_minutes": 30.0},
        v={**NORTH_BY_BUS, "shifts": {"early", "day"}},
    ),
    case(
        "commute-car",
        p={"has_car": True, "driving_licences": {"B"}, "max_commute_minutes": 60.0},
        v=IN_BORNA,
    ),
    case(
        "commute-shuttle",
        p={"has_bike": False, "max_commute_minutes": 60.0},
        v={**IN_BORNA, "shuttle": ((GRIMMA[0], GRIMMA[1], 25.0),)},
    ),
    case(
        "commute-over-limit-restricted",
        "failed:commute",
        p={"max_commute_minutes": 20.0},
        v=IN_BORNA,
        restricted=True,
    ),
    # Start 0, 1, 2 days before and after availability; dates that exclude.
    *(
        case(
            f"start-{days:+d}-days",
            p={"earliest_start": START},
            v={"start_date": START + timedelta(days=days)},
        )
        for days in (-2, -1, 0, 1, 2)
    ),
    case(
        "start-trial-too-early",
        "failed:dates",
        p={"earliest_start": START + timedelta(days=20)},
        v={"type": "work_trial", "start_date": START},
    ),
    case(
        "posting-expired-and-ends-early",
        "failed:dates",
        p={"earliest_start": START},
        v={"valid_through": AS_OF - timedelta(days=1), "end_date": START - timedelta(days=2)},
    ),
    # Occupation: same code, ISCO group 4/3/2 digits (0, 1, 1.5, 7 years), none, no occupation.
    case("occupation-same-code-1-year", p=worked(1, WAREHOUSE), v=WAREHOUSE_JOB),
    case("occupation-isco4-0-years", p=worked(0), v=WAREHOUSE_JOB),
    case("occupation-isco4-no-title", p=worked(2), v=WAREHOUSE_JOB, group_titles=False),
    case("occupation-isco3-1.5-years", p=worked(1.5, group="9334"), v=WAREHOUSE_JOB),
    case("occupation-isco2-7-years", p=worked(7, group="9312"), v=WAREHOUSE_JOB),
    case(
        "occupation-isco2-no-title", p=worked(7, group="9312"), v=WAREHOUSE_JOB, group_titles=False
    ),
    case("occupation-none-matching", p=worked(2, group="5120"), v=WAREHOUSE_JOB),
    case("occupation-none-held", v=WAREHOUSE_JOB),
    case("occupation-vacancy-without", p=worked(3, WAREHOUSE)),
    # Permits: statuses, validity against the start, renewal, every document, employers' words.
    case("permit-unrestricted", p={"work_permit": "unrestricted"}),
    case("permit-permitted", p={"work_permit": "permitted"}),
    case(
        "permit-approval-required", "flag:approval_required", p={"work_permit": "approval_required"}
    ),
    case("permit-prohibited-job", "failed:work_permit", p={"work_permit": "prohibited"}),
    case(
        "permit-prohibited-work-trial",
        "flag:measure_only",
        p={"work_permit": "prohibited"},
        v={"type": "work_trial"},
    ),
    case("permit-check-rule", "flag:permit_check", profile=PERMIT_CHECK),
    *(
        case(
            f"permit-ends-before-start-{document}",
            "failed:work_permit",
            p=permit(document, until=START - timedelta(days=1)),
            v={"start_date": START},
        )
        for document in (*PERMIT_DOCUMENTS, None)
    ),
    *(
        case(
            f"permit-renewal-pending-{document}",
            "flag:permit_renewal_pending",
            p=permit(document, until=START - timedelta(days=1), renewal=True),
            v={"start_date": START},
        )
        for document in (*PERMIT_DOCUMENTS, None)
    ),
    *(
        case(
            f"permit-ends-during-{document}",
            "flag:permit_ends_during",
            p=permit(document, until=START + timedelta(days=30)),
            v={"start_date": START},
        )
        for document in ("toleration", "permission_to_reside", None)
    ),
    case(
        "permit-prohibited-and-ends-before-start",
        "failed:work_permit",
        p=permit("toleration", until=START, work_permit="prohibited"),
        v={"start_date": START + timedelta(days=1)},
    ),
    case(
        "permit-ends-before-start-restricted",
        "failed:work_permit",
        p=permit("toleration", until=START - timedelta(days=1)),
        v={"start_date": START},
        restricted=True,
    ),
    case(
        "permit-renewal-pending-restricted",
        "flag:permit_renewal_pending",
        p=permit("toleration", until=START - timedelta(days=1), renewal=True),
        v={"start_date": START},
        restricted=True,
    ),
    case(
        "permit-ends-during-restricted",
        "flag:permit_ends_during",
        p=permit("permission_to_reside", until=START + timedelta(days=120)),
        v={"start_date": START},
        restricted=True,
    ),
    # Preferences: every placement type wanted, one not wanted, fields, hours, nothing stated.
    *(
        case(f"type-wanted-{pt}", p={"placement_types": {pt}}, v={"type": pt})
        for pt in PLACEMENT_TYPES
    ),
    case(
        "type-not-wanted",
        p={"placement_types": {"job", "internship"}},
        v={"type": "entry_qualification"},
    ),
    case("field-excluded", p={"fields_excluded": {"logistics"}}, v={"field": "logistics"}),
    case("field-wanted", p={"fields_wanted": {"care", "it"}}, v={"field": "it"}),
    case("field-not-wanted", p={"fields_wanted": {"care"}}, v={"field": "cleaning"}),
    case("hours", p={"hours_per_week": 20.0}, v={"hours_per_week": 37.5}),
    case("no-preferences", v={"shifts": frozenset()}),
    # Shifts and working times: some fit, none fit, commitments that clash, employers' words.
    case("shifts-1-of-3", p={"shifts": {"day"}}, v={"shifts": {"early", "day", "night"}}),
    case(
        "shifts-none-of-2",
        "failed:schedule",
        p={"shifts": {"day"}},
        v={"shifts": {"early", "night"}},
    ),
    case(
        "shifts-none-of-4",
        "failed:schedule",
        p={"shifts": {"day"}},
        v={"shifts": {"early", "late", "night", "weekend"}},
    ),
    case(
        "course-clash-ends",
        "failed:schedule",
        p={"shifts": {"early", "day"}, "commitments": (COURSE,)},
        v={"shifts": {"early"}},
    ),
    case(
        "childcare-clash",
        "failed:schedule",
        p={"shifts": {"day"}, "commitments": (KITA,)},
        v={"shifts": {"day"}},
    ),
    case(
        "other-commitment-clash",
        "failed:schedule",
        p={"shifts": {"late"}, "commitments": (SPORT,)},
        v={"shifts": {"late"}},
    ),
    case(
        "working-times-two-windows",
        p={"shifts": {"day", "weekend"}, "commitments": (KITA,)},
        v={
            "working_times": (
                WorkingTime((parse("Mo–Fr 06:00–10:00"), parse("Sa 08:00–12:00"))),
                WorkingTime((parse("Mo–Fr 14:00–18:00"),)),
            )
        },
    ),
    case(
        "childcare-clash-restricted",
        "failed:schedule",
        p={"shifts": {"day"}, "commitments": (KITA,)},
        v={"shifts": {"day"}},
        restricted=True,
    ),
    # Consent, status, openings, driving licence.
    case("no-consent", "failed:consent", p={"consent_processing": False}),
    case(
        "not-shared-with-employers",
        "failed:consent",
        p={"share_with_employers": False},
        restricted=True,
    ),
    case("no-openings", "failed:openings", v={"openings_left": 0}),
    case(
        "status-paused-and-filled", "failed:status", p={"status": "paused"}, v={"status": "filled"}
    ),
    case("status-archived", "failed:status", p={"status": "archived"}),
    case("status-closed", "failed:status", v={"status": "closed"}),
    case("licence-c1", "failed:driving_licence", v={"driving_licence_required": "C1"}),
    # Regulated occupations: recognition none, partial, pending (dated, undated), full; none held.
    case("regulated-full", p=nurse("full"), v=NURSE_JOB),
    case("regulated-partial", "failed:recognition", p=nurse("partial"), v=NURSE_JOB),
    case("regulated-none", "failed:recognition", p=nurse("none"), v=NURSE_JOB),
    case(
        "regulated-pending-dated", "flag:recognition_pending", p=nurse("pending", DAY), v=NURSE_JOB
    ),
    case("regulated-pending-undated", "flag:recognition_pending", p=nurse("pending"), v=NURSE_JOB),
    case(
        "regulated-pending-restricted",
        "flag:recognition_pending",
        p=nurse("pending", DAY),
        v=NURSE_JOB,
        restricted=True,
    ),
    case("regulated-no-qualification", "failed:recognition", v=NURSE_JOB),
    # Constraints that are not hard for a profile come back as flags with the same words.
    case(
        "soft-constraints-as-flags",
        "flag:language flag:commute flag:dates flag:schedule flag:must_skill",
        p=ALL_SOFT_FAILING,
        v={**IN_BORNA, **ALL_SOFT_FAILING_JOB},
        profile=SOFT,
    ),
)
CASES_BY_ID = {c.id: c for c in CASES}


def skill_name(skill_id: str) -> str:
    """German labels as the service gives them; an unknown id is a mistake in this test."""
    return SKILL_LABELS[skill_id]


@cache
def rendered(case_id: str, lang: str) -> tuple[tuple[str, str], ...]:
    """(where, text) of every component reason, failed constraint and flag of a case."""
    c = CASES_BY_ID[case_id]
    context = RankingContext(
        commute=c.commute,
        as_of=AS_OF,
        profile=c.profile,
        related=RELATED,
        skill_name=skill_name,
        field_name=field_label,
        group_name=isco_group_title if c.group_titles else None,
        employer_view=c.restricted,
        restricted_texts=c.restricted,
        lang=lang,
    )
    e = explain(c.participant, c.vacancy, context)
    return (
        *((f"component:{name}", comp.reason) for name, comp in e.components.items()),
        *((f"failed:{f.name}", f.reason) for f in e.failed_constraints),
        *((f"flag:{f.code}", f.reason) for f in e.flags),
    )


def case_problems(c: Case, text: str, lang: str) -> list[str]:
    """What this pair's own data must not leak: language codes, ISCO numbers, skill ids, and a
    residence title named for another document."""
    out = []
    p, v = c.participant, c.vacancy
    for code in {lw.code for lw in v.languages_wanted} | set(p.other_languages):
        if re.search(rf"\b{code}\b", text):
            out.append(f"ISO language code '{code}' instead of the language's name")
    groups = {o.isco_group for o in p.occupations} | {v.isco_group}
    groups = {g[:n] for g in groups if g for n in (3, 4) if len(g) >= n}
    if re.search(r"\bISCO\b", text) or any(
        re.search(rf"(?<![\d.,:]){g}(?![\d.,:])", text) for g in groups
    ):
        out.append("ISCO number instead of the group's title")
    ids = {s.skill_id for s in v.skills} | set(p.skills)
    out += [
        f"skill id '{s}' instead of its label" for s in sorted(ids) if re.search(rf"\b{s}\b", text)
    ]
    title = "Aufenthaltstitel" if lang == "de" else "residence title"
    is_title = p.permit_document == "residence_title" and not c.restricted
    if title in text.replace("Aufenthaltstitels", "Aufenthaltstitel") and not is_title:
        out.append(f"'{title}' for a {p.permit_document or 'permit not recorded'}")
    return out


def test_the_case_rules_catch_leaks_of_the_pair_data() -> None:
    """The texts the other engineer is replacing are caught: codes, ISCO numbers, the wrong
    document."""
    c = case(
        "leaky",
        p={**held(picking=(2, "assessed")), **worked(2), **permit("toleration", until=START)},
        v={**WAREHOUSE_JOB, "languages_wanted": (("ar", "B1"),)},
    )
    assert case_problems(c, "erwünschte Sprache fehlt: ar", "de")
    assert case_problems(c, "Verwandter Beruf (ISCO 9333), 2 Jahre Erfahrung", "de")
    assert case_problems(c, "Verwandter Beruf (9333), 2 Jahre Erfahrung", "de")
    assert case_problems(c, "1 von 1 Kenntnis vorhanden; unter gefordertem Niveau: picking", "de")
    assert case_problems(c, "Aufenthaltstitel gültig bis 30.11.2026, Beginn 01.12.2026", "de")
    assert not case_problems(c, "Duldung gültig bis 30.11.2026, Beginn 01.12.2026", "de")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_engine_texts_read_well(c: Case, lang: str) -> None:
    """Every reason, failed constraint and flag of the pair breaks none of the rules."""
    texts = rendered(c.id, lang)
    missed = c.hits - {where for where, _ in texts}
    assert not missed, f"the case no longer reaches {sorted(missed)}: {texts}"
    failures = []
    for where, text in texts:
        broken = problems(text, lang) + case_problems(c, text, lang)
        if broken:
            failures.append((where, text, broken))
    if failures:
        pytest.fail(report(f"{lang} {c.id}:", failures), pytrace=False)


def test_the_cases_reach_every_constraint_and_flag() -> None:
    """So that a new constraint or flag needs a case here before its words are checked."""
    seen = {where for c in CASES for where, _ in rendered(c.id, "de")}
    wanted = {f"failed:{name}" for name in CONSTRAINTS} | {f"flag:{code}" for code in FLAG_CODES}
    assert not wanted - seen, f"no case reaches {sorted(wanted - seen)}"
