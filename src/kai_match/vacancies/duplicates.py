"""Are two postings the same vacancy? A score from employer, title, place and dates.

Job boards cross-post: the BA's job search, the employer's own site and a partner's export
carry the same vacancy under different spellings ("Müller Logistik GmbH / Lagerhelfer (m/w/d)"
and "Mueller Logistik / Helfer/in - Lager"). The score is built from what a counsellor would
compare, in this order of trust:

- **Contradictions end it** (score 0): another town, start dates far apart or periods that do
  not overlap, a different year or placement kind in the title (an apprenticeship is not the
  job it trains for; a Minijob is not the full-time post), another named branch.
- **Employer**: the names without legal forms, umlauts folded; every word of the shorter name
  must be in the longer one (a long word may carry one typo). Surnames that differ by a letter
  ("Schulze", "Schulz") are different firms.
- **Title**: gender markers and filler words ("in Vollzeit", "ab sofort") removed, then the
  overlap of letter trigrams per word, so word order and compounds ("Lagerhelfer" / "Helfer -
  Lager") do not matter.

Pure functions: the vacancy service looks candidates up and calls ``duplicate_score``;
``tests/data/duplicates/pairs.csv`` measures it (benchmarks/duplicates.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import OSA

# Scores from here up are reported as possible duplicates (chosen on half of the labelled set,
# measured on the other half; docs/partners.md).
DUPLICATE_THRESHOLD = 0.7
START_DAYS_APART = 45  # one vacancy re-posted later starts within weeks, not a season later

LEGAL_FORMS = {
    "gmbh", "ggmbh", "mbh", "co", "kg", "ag", "ug", "ek", "ev", "eg", "gbr", "ohg", "kgaa",
    "se", "haftungsbeschraenkt", "inh", "inhaber", "e", "k", "v", "g",
}  # fmt: skip
STOP_WORDS = {"am", "an", "der", "die", "das", "den", "zur", "zum", "und", "fuer", "im", "in",
              "von", "vom", "des", "bei", "auf", "mit"}  # fmt: skip
BRANCH_WORDS = {"niederlassung", "filiale", "standort", "nl", "werk", "betrieb"}
GENDER = re.compile(
    r"\(\s*[mwdx]\s*/\s*[mwdx]\s*/\s*[mwdx]\s*\)|\b[mwdx]/[mwdx]/[mwdx]\b|\(\s*[mwdx]\s*\)"
    r"|[*:_/]-?\s*in(nen)?\b|/-in\b",
    re.I,
)
FILLER = re.compile(
    r"\b(ab sofort|zum nächstmöglichen zeitpunkt|quereinsteiger(innen)?( willkommen)?|"
    r"gesucht|dringend|gerne auch|neu|top)\b",
    re.I,
)
WORKING_TIME = {"vollzeit": "full", "teilzeit": "part", "minijob": "mini", "minijobbasis": "mini",
                "aushilfe": "mini", "geringfuegig": "mini"}  # fmt: skip
KIND_WORDS = {"ausbildung": "training", "azubi": "training", "auszubildende": "training",
              "auszubildender": "training", "lehrstelle": "training", "praktikum": "internship",
              "praktikant": "internship", "praktikantin": "internship", "probearbeit": "trial",
              "probetag": "trial", "probearbeiten": "trial", "einstiegsqualifizierung": "eq",
              "saisonkraft": "season", "saison": "season"}  # fmt: skip
YEAR = re.compile(r"\b20\d\d\b")


@dataclass(frozen=True)
class Posting:
    """What the detector compares of a vacancy."""

    employer: str
    title: str
    postal_code: str
    municipality: str | None = None  # AGS; postings in one municipality may differ in code
    start_date: date | None = None
    end_date: date | None = None


def fold(text: str) -> str:
    """Lower case, umlauts and ß spelt out, accents and punctuation gone."""
    text = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = text.replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@lru_cache(maxsize=65536)
def employer_words(name: str) -> tuple[str, ...]:
    words = [w for w in fold(name).split() if w not in LEGAL_FORMS and w not in STOP_WORDS]
    return tuple(w for w in words if len(w) > 1) or tuple(fold(name).split())


def _abbreviations(name: str) -> set[str]:
    """Words written in capitals (``WG``, ``SHK``): they may stand for longer words."""
    return {fold(w) for w in re.findall(r"\b[A-ZÄÖÜ]{2,4}\b", name)}


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    # A long word may carry a typo (a swap counts as one); a short one (a surname) must agree
    # letter for letter: "Schulze" and "Schulz" are two bakeries.
    shortest = min(len(a), len(b))
    return shortest >= 8 and OSA.distance(a, b) <= (2 if shortest >= 12 else 1)


def _abbreviates(short: str, word: str) -> bool:
    """``wg`` for ``wohnungsgenossenschaft``: same first letter, the rest in order."""
    if short[0] != word[0] or len(word) <= len(short):
        return False
    rest = iter(word[1:])
    return all(letter in rest for letter in short[1:])


def employer_similarity(a: str, b: str) -> float:
    """Share of the shorter name's words found in the longer one (1.0: same firm)."""
    words_a, words_b = employer_words(a), employer_words(b)
    joined_a, joined_b = "".join(words_a), "".join(words_b)
    if joined_a == joined_b:
        return 1.0  # "Senioren-Residenz a. Muldenufer" / "Seniorenresidenz Am Muldenufer"
    if len(words_a) != len(words_b):
        shorter_first = sorted(((words_a, a), (words_b, b)), key=lambda pair: len(pair[0]))
        return _found_share(*shorter_first[0], shorter_first[1][0])
    return max(_found_share(words_a, a, words_b), _found_share(words_b, b, words_a))


def _found_share(shorter: tuple[str, ...], short_name: str, longer: tuple[str, ...]) -> float:
    if not shorter:
        return 0.0
    capitals = _abbreviations(short_name)
    found = 0
    for word in shorter:
        if any(_same_word(word, other) for other in longer) or (
            word in capitals and any(_abbreviates(word, other) for other in longer)
        ):
            found += 1
    return found / len(shorter)


@lru_cache(maxsize=65536)
def title_markers(title: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Placement kinds, working-time words and years the title names."""
    words = fold(title).split()
    joined = "".join(words)
    kinds = {kind for word, kind in KIND_WORDS.items() if word in words or word in joined}
    times = {time for word, time in WORKING_TIME.items() if word in words or word in joined}
    return frozenset(kinds), frozenset(times), frozenset(YEAR.findall(title))


# Words for "someone who helps out" that job ads use interchangeably (Lagermitarbeiter,
# Lagerhelfer, Lagerhilfe, Reinigungskraft / Helfer - Reinigung); a Fachkraft is not one.
HELPER_PARTS = re.compile(r"(mitarbeiter|mitarb|hilfskraft|hilfe|helfer|(?<!fach)kraft)$")


def _canonical(word: str) -> str:
    return HELPER_PARTS.sub("helfer", word) if len(word) > 5 else word


def title_words(title: str) -> list[str]:
    text = GENDER.sub(" ", title)
    text = FILLER.sub(" ", text)
    words = fold(text).split()
    ignored = set(WORKING_TIME) | STOP_WORDS | {"basis", "m", "w", "d"}
    kept = [w for w in words if w not in ignored and not YEAR.fullmatch(w) and len(w) > 1]
    # "Koch/Köchin": the feminine form beside the masculine one says nothing more.
    kept = [
        w
        for w in kept
        if not (w.endswith("in") and len(w) > 4 and any(v != w and v[:3] == w[:3] for v in kept))
    ]
    return [_canonical(w) for w in kept]


@lru_cache(maxsize=65536)
def helps_out(title: str) -> bool:
    """A helper's job (Helfer, Hilfe, Mitarbeiter, …kraft but not Fachkraft)."""
    words = fold(GENDER.sub(" ", title)).split()
    return any(HELPER_PARTS.search(w) or w == "aushilfe" for w in words)


def _trigrams(words: list[str]) -> set[str]:
    grams = set()
    for word in words:
        padded = f" {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


@lru_cache(maxsize=65536)
def _title_grams(title: str) -> frozenset[str]:
    return frozenset(_trigrams(title_words(title)))


def title_similarity(a: str, b: str) -> float:
    """Dice overlap of the titles' letter trigrams (order and compounds do not matter)."""
    grams_a, grams_b = _title_grams(a), _title_grams(b)
    if not grams_a or not grams_b:
        return 0.0
    return 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))


@lru_cache(maxsize=65536)
def _branch(title: str) -> str | None:
    words = [w for w in fold(title).split() if w not in STOP_WORDS]
    for index, word in enumerate(words[:-1]):
        if word in BRANCH_WORDS:
            return words[index + 1]
    return None


def contradiction(a: Posting, b: Posting) -> str | None:
    """Why the two cannot be one vacancy, or None."""
    same_code = a.postal_code == b.postal_code
    same_place = same_code or (a.municipality is not None and a.municipality == b.municipality)
    if not same_place:
        return "another place"
    branch_a, branch_b = _branch(a.title), _branch(b.title)
    if branch_a != branch_b and ((branch_a and branch_b) or not same_code):
        return "another branch"
    if a.start_date and b.start_date:
        if abs((a.start_date - b.start_date).days) > START_DAYS_APART:
            return "start dates far apart"
        if a.end_date and b.end_date and (a.end_date < b.start_date or b.end_date < a.start_date):
            return "periods do not overlap"
    if helps_out(a.title) != helps_out(b.title):
        return "a helper's job and a skilled one"
    kinds_a, times_a, years_a = title_markers(a.title)
    kinds_b, times_b, years_b = title_markers(b.title)
    if kinds_a != kinds_b:
        return "another kind of placement"
    if times_a and times_b and times_a != times_b:
        return "another working time"
    if years_a and years_b and years_a != years_b:
        return "another year"
    return None


def duplicate_score(a: Posting, b: Posting) -> float:
    """0 … 1; ``DUPLICATE_THRESHOLD`` and above: probably the same vacancy."""
    if contradiction(a, b) is not None:
        return 0.0
    employer = employer_similarity(a.employer, b.employer)
    if employer < 1.0:
        return round(0.5 * employer * title_similarity(a.title, b.title), 3)
    return round(0.4 + 0.6 * title_similarity(a.title, b.title), 3)
