"""Message catalogues for the reason texts: stdlib gettext over the `.mo` files in locales/.

Msgids are English; German is the default and stands behind every other catalogue, so a
language without a catalogue, or a message missing from one, reads German. How to add a
language and re-extract: docs/i18n.md.
"""

from __future__ import annotations

import gettext
from functools import cache, lru_cache
from pathlib import Path

DOMAIN = "kai_match"
LOCALES = Path(__file__).parent / "locales"
DEFAULT_LANG = "de"


@cache
def languages() -> tuple[str, ...]:
    """The language codes that have a compiled catalogue, sorted."""
    return tuple(sorted(mo.parents[1].name for mo in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")))


@lru_cache(maxsize=32)
def catalogue(lang: str) -> gettext.NullTranslations:
    """The translations for `lang` (German for a code without a catalogue), read once a process.

    Reasons are built for every returned pair, so this is a cache hit in the hot path.
    """
    return _load(lang if lang in languages() else DEFAULT_LANG)


@cache
def _load(lang: str) -> gettext.NullTranslations:
    # Raises if the German catalogue is missing: a broken package should fail loudly, not
    # silently answer with English msgids.
    return gettext.translation(DOMAIN, LOCALES, languages=[lang, DEFAULT_LANG])


def pgettext_noop(context: str, message: str) -> tuple[str, str]:
    """Mark a word for extraction (`-k pgettext_noop:1c,2`); translate it later with `word`."""
    return context, message


def word(marked: tuple[str, str], lang: str) -> str:
    """The translation of a word marked with `pgettext_noop`."""
    return catalogue(lang).pgettext(*marked)
