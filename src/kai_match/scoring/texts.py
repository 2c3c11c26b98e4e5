"""Words and number/date formats for reason texts, German (default) and English."""

from __future__ import annotations

from datetime import date

from .constants import LANGS

TYPE_NAMES = {
    "de": {
        "work_trial": "Erprobung",
        "internship": "Praktikum",
        "job": "Job",
        "apprenticeship": "Ausbildung",
        "entry_qualification": "Einstiegsqualifizierung",
    },
    "en": {
        "work_trial": "work trial",
        "internship": "internship",
        "job": "job",
        "apprenticeship": "apprenticeship",
        "entry_qualification": "entry qualification",
    },
}
SHIFT_NAMES = {
    "de": {
        "early": "Früh",
        "day": "Tag",
        "late": "Spät",
        "night": "Nacht",
        "weekend": "Wochenende",
    },
    "en": {"early": "early", "day": "day", "late": "late", "night": "night", "weekend": "weekend"},
}
MODE_NAMES = {
    "de": {
        "walk": "zu Fuß",
        "bike": "mit dem Fahrrad",
        "public_transport": "mit Bus und Bahn",
        "car": "mit dem Auto",
    },
    "en": {
        "walk": "on foot",
        "bike": "by bike",
        "public_transport": "by public transport",
        "car": "by car",
    },
}
PERMIT_NAMES = {
    "de": {
        "unrestricted": "uneingeschränkt",
        "permitted": "erlaubt",
        "approval_required": "zustimmungspflichtig",
        "prohibited": "Arbeitsverbot",
    },
    "en": {
        "unrestricted": "unrestricted",
        "permitted": "permitted",
        "approval_required": "approval required",
        "prohibited": "prohibited",
    },
}
STATUS_NAMES = {
    "de": {
        "active": "aktiv",
        "placed": "vermittelt",
        "paused": "pausiert",
        "archived": "archiviert",
        "open": "offen",
        "filled": "besetzt",
        "closed": "geschlossen",
    },
    "en": {},
}


def check_lang(lang: str) -> str:
    """Validate a reason language code."""
    if lang not in LANGS:
        raise ValueError(f"lang: {lang!r} is not one of {', '.join(LANGS)}")
    return lang


def fmt_date(d: date, lang: str) -> str:
    """15.01.2027 in German, 2027-01-15 in English."""
    return d.strftime("%d.%m.%Y") if lang == "de" else d.isoformat()


def fmt_num(x: float, lang: str) -> str:
    """A number without a needless decimal part; German decimal comma."""
    text = f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"
    return text.replace(".", ",") if lang == "de" else text


def fmt_years(years: float, lang: str) -> str:
    """'1 Jahr' / '4 Jahre' / '1 year' / '4 years'."""
    one = years == 1
    if lang == "de":
        return f"{fmt_num(years, lang)} {'Jahr' if one else 'Jahre'}"
    return f"{fmt_num(years, lang)} {'year' if one else 'years'}"


def fmt_levels(n: int, lang: str) -> str:
    """'1 Stufe' / '2 Stufen' / '1 level' / '2 levels'."""
    if lang == "de":
        return f"{n} {'Stufe' if n == 1 else 'Stufen'}"
    return f"{n} {'level' if n == 1 else 'levels'}"


def listing(items: list[str], limit: int = 3) -> str:
    """A short comma list, cut after `limit` items."""
    shown = ", ".join(items[:limit])
    return shown + (", …" if len(items) > limit else "")


def status_name(status: str, lang: str) -> str:
    """Localised participant or vacancy status."""
    return STATUS_NAMES[lang].get(status, status)
