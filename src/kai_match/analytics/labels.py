"""Words of the charts and the funder report: gettext catalogue ``reports``, German first.

The reason texts have their own catalogue (``scoring.i18n``); these are for people reading a
printed report, not for the ranking's hot path. Msgids are English, German stands behind every
language, so a missing message reads German. Re-extract with ``sh scripts/i18n.sh``.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

DOMAIN = "reports"
LOCALES = Path(__file__).parent / "locales"
DEFAULT_LANG = "de"
LANGUAGES = ("de", "en")


@cache
def translator(lang: str) -> gettext.NullTranslations:
    """The catalogue for ``lang`` (German for any other code), read once a process."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANG
    return gettext.translation(DOMAIN, LOCALES, languages=[lang, DEFAULT_LANG])


def N_(message: str) -> str:
    """Mark a msgid that is translated later, e.g. a table of labels."""
    return message


def label(message: str, lang: str) -> str:
    """``message`` (an English msgid) in ``lang``."""
    return translator(lang).gettext(message)


def site_name(site: str, lang: str) -> str:
    """A site as people write it; "all" is the district."""
    if site == "all":
        return label("District", lang)
    return site.capitalize()
