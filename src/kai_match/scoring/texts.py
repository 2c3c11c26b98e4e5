"""Words and number/date formats for reason texts; the wording lives in the catalogues (i18n)."""

from __future__ import annotations

from datetime import date

from .i18n import catalogue, languages, pgettext_noop, word

# Code → marked word, translated per language by `word` (msgctxt tells translators the use).
TYPE_NAMES = {
    "work_trial": pgettext_noop("placement type", "work trial"),
    "internship": pgettext_noop("placement type", "internship"),
    "job": pgettext_noop("placement type", "job"),
    "apprenticeship": pgettext_noop("placement type", "apprenticeship"),
    "entry_qualification": pgettext_noop("placement type", "entry qualification"),
}
SHIFT_NAMES = {
    "early": pgettext_noop("shift", "early"),
    "day": pgettext_noop("shift", "day"),
    "late": pgettext_noop("shift", "late"),
    "night": pgettext_noop("shift", "night"),
    "weekend": pgettext_noop("shift", "weekend"),
}
# The shift as a noun, for "zur Tagschicht" (German: feminine, after "zur").
SHIFT_NOUNS = {
    "early": pgettext_noop("shift noun", "early shift"),
    "day": pgettext_noop("shift noun", "day shift"),
    "late": pgettext_noop("shift noun", "late shift"),
    "night": pgettext_noop("shift noun", "night shift"),
    "weekend": pgettext_noop("shift noun", "weekend shift"),
}
MODE_NAMES = {
    "walk": pgettext_noop("commute mode", "on foot"),
    "bike": pgettext_noop("commute mode", "by bike"),
    "public_transport": pgettext_noop("commute mode", "by public transport"),
    "car": pgettext_noop("commute mode", "by car"),
    "shuttle": pgettext_noop("commute mode", "by the employer's shuttle"),
}
PERMIT_NAMES = {
    "unrestricted": pgettext_noop("work permit", "unrestricted"),
    "permitted": pgettext_noop("work permit", "permitted"),
    "approval_required": pgettext_noop("work permit", "approval required"),
    "prohibited": pgettext_noop("work permit", "prohibited"),
}
# The permit's document, bare and with its article (German nouns differ in gender). `None`: not
# recorded, or a text for employers and partners, who must not learn whether someone is
# tolerated or in the asylum procedure.
DOCUMENT_NAMES = {
    "residence_title": pgettext_noop("permit document", "residence title"),
    "permission_to_reside": pgettext_noop("permit document", "permission to reside"),
    "toleration": pgettext_noop("permit document", "toleration"),
    "fictional_certificate": pgettext_noop("permit document", "provisional permit"),
    None: pgettext_noop("permit document", "permit"),
}
DOCUMENT_NAMES_ARTICLE = {
    "residence_title": pgettext_noop("permit document with article", "the residence title"),
    "permission_to_reside": pgettext_noop(
        "permit document with article", "the permission to reside"
    ),
    "toleration": pgettext_noop("permit document with article", "the toleration"),
    "fictional_certificate": pgettext_noop(
        "permit document with article", "the provisional permit"
    ),
    None: pgettext_noop("permit document with article", "the permit"),
}
MISSING_NAMES = {
    "hours": pgettext_noop("missing detail", "weekly hours"),
    "working_times": pgettext_noop("missing detail", "working times"),
    "field": pgettext_noop("missing detail", "occupational field"),
}
STATUS_NAMES = {
    "active": pgettext_noop("status", "active"),
    "placed": pgettext_noop("status", "placed"),
    "paused": pgettext_noop("status", "paused"),
    "archived": pgettext_noop("status", "archived"),
    "open": pgettext_noop("status", "open"),
    "filled": pgettext_noop("status", "filled"),
    "closed": pgettext_noop("status", "closed"),
}


def check_lang(lang: str) -> str:
    """Validate a reason language code: one with a catalogue."""
    if lang not in languages():
        raise ValueError(f"lang: {lang!r} is not one of {', '.join(languages())}")
    return lang


def type_name(placement_type: str, lang: str) -> str:
    """Localised placement type ('Praktikum')."""
    return word(TYPE_NAMES[placement_type], lang)


def shift_name(shift: str, lang: str) -> str:
    """Localised shift ('Früh')."""
    return word(SHIFT_NAMES[shift], lang)


def shift_noun(shift: str, lang: str) -> str:
    """Localised shift as a noun ('Tagschicht')."""
    return word(SHIFT_NOUNS[shift], lang)


def mode_name(mode: str, lang: str) -> str:
    """Localised commute mode as an adverbial ('mit dem Fahrrad')."""
    return word(MODE_NAMES[mode], lang)


def permit_name(permit: str, lang: str) -> str:
    """Localised work-permit status ('zustimmungspflichtig')."""
    return word(PERMIT_NAMES[permit], lang)


def document_name(document: str | None, lang: str, *, article: bool = False) -> str:
    """The permit's document ('Duldung', with article 'die Duldung'); 'permit' when unknown."""
    names = DOCUMENT_NAMES_ARTICLE if article else DOCUMENT_NAMES
    return word(names.get(document, names[None]), lang)


def capitalised(text: str) -> str:
    """The first letter upper-case (a clause that starts with a placeholder)."""
    return text[:1].upper() + text[1:]


def status_name(status: str, lang: str) -> str:
    """Localised participant or vacancy status; an unknown status as it is."""
    marked = STATUS_NAMES.get(status)
    return status if marked is None else word(marked, lang)


def fmt_date(d: date, lang: str) -> str:
    """15.01.2027 in German, 2027-01-15 in English."""
    # Translators: the order and separators of a date; ISO 8601 in English.
    pattern = catalogue(lang).pgettext("date", "%(year)s-%(month)s-%(day)s")
    return pattern % {"year": f"{d.year:04d}", "month": f"{d.month:02d}", "day": f"{d.day:02d}"}


def fmt_num(x: float, lang: str) -> str:
    """A number without a needless decimal part; German decimal comma."""
    if float(x).is_integer():
        return f"{x:.0f}"
    # Translators: the decimal separator, as in 1.5 years or 37.5 weekly hours.
    return f"{x:.1f}".replace(".", catalogue(lang).pgettext("decimal separator", "."))


def fmt_years(years: float, lang: str) -> str:
    """'1 Jahr' / '4 Jahre' / '1 year' / '4 years'."""
    n = fmt_num(years, lang)
    return catalogue(lang).ngettext("%(years)s year", "%(years)s years", _count(years)) % {
        "years": n
    }


def fmt_levels(n: int, lang: str) -> str:
    """'1 Stufe' / '2 Stufen' / '1 level' / '2 levels' (CEFR levels)."""
    return catalogue(lang).ngettext("%(levels)s level", "%(levels)s levels", int(n)) % {"levels": n}


def fmt_tolerance(n: int, lang: str) -> str:
    """'Toleranz 1 Stufe' / 'keine Toleranz': a tolerance of 0 levels is no tolerance."""
    t = catalogue(lang)
    if n <= 0:
        return t.gettext("no tolerance")
    return t.gettext("tolerance %(levels)s") % {"levels": fmt_levels(n, lang)}


def language_name(code: str, lang: str) -> str:
    """'Arabisch' / 'Arabic' for 'ar' (CLDR names via babel); the code when CLDR has none."""
    from babel import Locale  # the locale data loads on first use

    return Locale.parse(lang).languages.get(code, code)


def listing(items: list[str], limit: int = 3) -> str:
    """A short comma list, cut after `limit` items."""
    shown = ", ".join(items[:limit])
    return shown + (", …" if len(items) > limit else "")


def _count(x: float) -> int:
    """The count that picks a plural form: gettext takes whole numbers, and a fraction (1,5 Jahre)
    reads like 2 in German, English and most languages with more forms."""
    return int(x) if float(x).is_integer() else 2
