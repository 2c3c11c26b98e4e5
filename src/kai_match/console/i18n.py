"""Words of the console: gettext catalogue ``console``, German by default, English switchable.

Templates call ``_("English msgid")``; the function is put into each page's context for the
reader's language, so one process serves both languages at once. Re-extract with
``sh scripts/i18n.sh`` (Babel's Jinja2 extractor reads the templates).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

DOMAIN = "console"
LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("de", "en")
DEFAULT_LANG = "de"
LANG_COOKIE = "kai_lang"


@cache
def translator(lang: str) -> gettext.NullTranslations:
    return gettext.translation(
        DOMAIN, LOCALES, languages=[lang if lang in LANGUAGES else DEFAULT_LANG, DEFAULT_LANG]
    )


def gettext_for(lang: str) -> Callable[[str], str]:
    return translator(lang).gettext


def N_(message: str) -> str:
    """Mark a msgid that a template translates later (labels of stored codes)."""
    return message
