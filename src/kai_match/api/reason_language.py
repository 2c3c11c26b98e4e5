"""The language of reason texts a request asks for: one rule for rankings and the feed."""

from __future__ import annotations

from kai_match.scoring.i18n import DEFAULT_LANG, languages

# Reason texts exist in every language that has a catalogue (docs/i18n.md).
LANG_PATTERN = "^(" + "|".join(languages()) + ")$"


def reason_language(lang: str | None, accept_language: str | None) -> str:
    """German unless another catalogue is asked for, by parameter or the first Accept-Language."""
    if lang:
        return lang
    first = (accept_language or "").split(",")[0].split(";")[0].strip().lower()
    primary = first.split("-")[0]
    return primary if primary in languages() else DEFAULT_LANG
