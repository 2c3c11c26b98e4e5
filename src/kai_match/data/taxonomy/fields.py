"""Occupational fields a counsellor thinks in, and how ISCO-08 / KldB 2010 codes map onto them.

Counsellors and participants talk about "Lager", "Reinigung", "Pflege" – not about ISCO unit groups.
Every occupation gets exactly one field through a longest-prefix rule on its ISCO-08 code (ESCO
occupations, ISCO groups) or its KldB 2010 code (KldB entries). The rules are code, not data, so
they are reviewed like code; ``docs/taxonomy.md`` lists the reasoning.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

FIELDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "logistics": ("Lager & Logistik", "Warehouse & logistics"),
        "cleaning": ("Reinigung", "Cleaning"),
        "gastronomy": ("Gastronomie & Hotel", "Hospitality & catering"),
        "care": ("Pflege, Gesundheit & Soziales", "Care, health & social work"),
        "retail": ("Verkauf & Handel", "Retail & sales"),
        "construction": ("Bau", "Construction"),
        "production": ("Produktion & Montage", "Production & assembly"),
        "agriculture": ("Landwirtschaft, Garten & Forst", "Agriculture, gardening & forestry"),
        "crafts": ("Handwerk", "Skilled crafts"),
        "driving": ("Fahren & Transport", "Driving & transport"),
        "childcare": ("Kinderbetreuung & Erziehung", "Childcare & education"),
        "office": ("Büro & Verwaltung", "Office & administration"),
        "it": ("IT & Digitales", "IT & digital"),
        "security": ("Sicherheit & Bewachung", "Security"),
        "other": ("Sonstige", "Other"),
    }
)

# Curated skill groups: the occupational fields plus three cross-cutting ones.
SKILL_GROUPS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        **{k: v for k, v in FIELDS.items() if k != "other"},
        "safety": ("Arbeitsschutz & Erste Hilfe", "Safety & first aid"),
        "languages": ("Sprachen", "Languages"),
        "soft": ("Schlüsselkompetenzen", "Transversal skills"),
    }
)

# ISCO-08 prefix -> field; the longest matching prefix wins.
_ISCO_RULES: dict[str, str] = {
    "0": "other",
    "1": "office",
    "1311": "agriculture",
    "1312": "agriculture",
    "1321": "production",
    "1323": "construction",
    "1324": "logistics",
    "133": "it",
    "1341": "childcare",
    "1342": "care",
    "1343": "care",
    "1344": "care",
    "1411": "gastronomy",
    "1412": "gastronomy",
    "1420": "retail",
    "2": "other",
    "2142": "construction",
    "22": "care",
    "2342": "childcare",
    "24": "office",
    "25": "it",
    "2635": "care",
    "3": "other",
    "3112": "construction",
    "3115": "production",
    "3122": "production",
    "3123": "construction",
    "32": "care",
    "33": "office",
    "3331": "logistics",
    "3412": "care",
    "3434": "gastronomy",
    "35": "it",
    "4": "office",
    "4224": "gastronomy",
    "4321": "logistics",
    "4323": "logistics",
    "4412": "logistics",
    "5": "other",
    "5120": "gastronomy",
    "513": "gastronomy",
    "514": "crafts",
    "5151": "cleaning",
    "5152": "cleaning",
    "5153": "crafts",
    "52": "retail",
    "5311": "childcare",
    "5312": "childcare",
    "532": "care",
    "54": "security",
    "6": "agriculture",
    "7": "production",
    "71": "construction",
    "7126": "crafts",
    "7127": "crafts",
    "7133": "cleaning",
    "7231": "crafts",
    "7234": "crafts",
    "731": "crafts",
    "74": "crafts",
    "751": "crafts",
    "7522": "crafts",
    "7531": "crafts",
    "7536": "crafts",
    "7542": "construction",
    "7544": "cleaning",
    "8": "production",
    "83": "driving",
    "8341": "agriculture",
    "8342": "construction",
    "8343": "logistics",
    "8344": "logistics",
    "91": "cleaning",
    "92": "agriculture",
    "931": "construction",
    "9311": "production",
    "9321": "logistics",
    "9329": "production",
    "933": "logistics",
    "9331": "driving",
    "9334": "retail",
    "94": "gastronomy",
    "95": "other",
    "9520": "retail",
    "96": "cleaning",
    "9621": "logistics",
    "9622": "crafts",
    "9623": "other",
    "9624": "other",
    "9629": "other",
}

# KldB 2010 prefix -> field; the longest matching prefix wins.
_KLDB_RULES: dict[str, str] = {
    "0": "other",
    "11": "agriculture",
    "12": "agriculture",
    "2": "production",
    "223": "crafts",
    "252": "crafts",
    "262": "crafts",
    "292": "crafts",
    "293": "gastronomy",
    "3": "construction",
    "34": "crafts",
    "343": "other",
    "4": "other",
    "43": "it",
    "51": "logistics",
    "52": "driving",
    "5251": "construction",
    "5252": "logistics",
    "53": "security",
    "54": "cleaning",
    "61": "office",
    "612": "retail",
    "62": "retail",
    "63": "gastronomy",
    "631": "other",
    "7": "office",
    "8": "care",
    "823": "crafts",
    "824": "other",
    "825": "crafts",
    "8311": "childcare",
    "833": "other",
    "84": "other",
    "9": "other",
    "92": "office",
    "93": "crafts",
}


def field_label(field: str, lang: str = "de") -> str:
    """German or English label of a field slug ("logistics" → "Lager & Logistik"); the slug
    itself when unknown, so a text never breaks on a new field."""
    labels = FIELDS.get(field)
    if labels is None:
        return field
    return labels[1] if lang == "en" else labels[0]


def _longest_prefix(code: str, rules: dict[str, str]) -> str | None:
    for end in range(len(code), 0, -1):
        field = rules.get(code[:end])
        if field is not None:
            return field
    return None


def field_for_isco(isco: str | None) -> str | None:
    """Field of an ISCO-08 code (1–4 digits); None when the code is empty or not numeric."""
    if not isco or not isco.isdigit():
        return None
    return _longest_prefix(isco, _ISCO_RULES)


def field_for_kldb(kldb: str | None) -> str | None:
    """Field of a KldB 2010 code (any prefix of the 5-digit code)."""
    if not kldb or not kldb.isdigit():
        return None
    return _longest_prefix(kldb, _KLDB_RULES)
