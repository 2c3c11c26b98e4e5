"""Text clean-up shared by the indexes and the queries, so both sides are treated alike."""

from __future__ import annotations

import re

from rapidfuzz import utils

# Gender markers in job titles: "Lagerhelfer/in (m/w/d)", "Koch*Köchin", "Fahrer:in", "(w/m/d)"
_GENDER_TAGS = re.compile(
    r"\(\s*[mwdfx]\s*/\s*[mwdfx]\s*(?:/\s*[mwdfx]\s*)?\)|\b[mwd]\s*/\s*[mwd]\s*/\s*[mwd]\b",
    re.IGNORECASE,
)
_GENDER_SUFFIX = re.compile(r"(?<=[a-zäöüß])(?:/-?|\*|:|_|\()(?:in|innen)\)?\b", re.IGNORECASE)

# Words of job-ad boilerplate that name no skill or occupation on their own ("Helfer",
# "Mitarbeiter (m/w/d)", "keine Angabe"): fuzzy matching finds them inside real names.
_BOILERPLATE = """
    a alles angabe angaben arbeit arbeiten arbeiter arbeiterin aushilfe aushilfen aushilfskraft
    bewerber bewerberin bewerbung d das der die erfahrung helfer helferin hilfskraft hilfskräfte
    im in job jobs k ka kein keine m mit mitarbeiter mitarbeiterin mwd quereinsteiger
    quereinsteigerin sonstiges und w willkommen
"""
_GENERIC_WORDS = frozenset(_BOILERPLATE.split())


def clean_query(text: str) -> str:
    """Strip gender markers and surrounding noise from free text before matching."""
    text = _GENDER_TAGS.sub(" ", text)
    text = _GENDER_SUFFIX.sub("", text)
    return " ".join(text.split())


def names_nothing(processed: str) -> bool:
    """True when a processed query is only boilerplate words (see ``_GENERIC_WORDS``)."""
    return all(word in _GENERIC_WORDS for word in processed.split())


def process(text: str) -> str:
    """The one normal form for matching: lower case, punctuation to spaces (rapidfuzz)."""
    return utils.default_process(text)


def gender_forms(label: str) -> list[str]:
    """ESCO writes "Lagerarbeiter/Lagerarbeiterin": index each form on its own."""
    parts = [p.strip() for p in label.split("/") if p.strip()]
    if len(parts) == 2 and all(len(p) > 3 for p in parts):
        return parts
    return [label.strip()]


def split_list(value: str) -> list[str]:
    """Split a '|'-joined list cell, dropping empties."""
    return [x.strip() for x in value.split("|") if x.strip()]
