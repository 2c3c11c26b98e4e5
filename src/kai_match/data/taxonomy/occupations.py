"""Occupations: free text -> ESCO occupation URI or KldB 2010 code, and code -> OccupationInfo.

Searchable: hand-written colloquial aliases, ESCO German labels (each gender form on its own),
KldB 2010 titles and the German AuxCO job titles attached to KldB codes. ESCO hits rank above KldB
hits at equal text similarity, because ESCO is the richer id (skills, ISCO group).
"""

from __future__ import annotations

from collections import Counter
from functools import cache, lru_cache

from . import store
from .fields import field_for_isco, field_for_kldb
from .matcher import Name, NameIndex
from .model import Candidate, OccupationInfo
from .text import gender_forms

W_ALIAS = 1.0
W_ESCO = 0.99
W_ESCO_ALT = 0.97
W_KLDB = 0.94
W_ESCO_HIDDEN = 0.93
W_AUXCO = 0.92

# Below this confidence resolve_occupation() answers None.
OCCUPATION_THRESHOLD = 0.65


@cache
def occupation_index() -> NameIndex:
    """The occupation name index (built on first use)."""
    names: list[Name] = [
        Name(alias, target, W_ALIAS) for alias, target in store.occupation_aliases()
    ]
    for uri, rec in store.occupations().items():
        names.extend(Name(form, uri, W_ESCO) for form in gender_forms(rec.label_de))
        names.extend(Name(a, uri, W_ESCO_ALT) for a in rec.alt_de)
        names.extend(Name(h, uri, W_ESCO_HIDDEN, scan=False) for h in rec.hidden_de)
    for code, rec in store.kldb().items():
        names.append(Name(rec.title, code, W_KLDB, scan=False))
        names.append(Name(rec.title_short, code, W_KLDB, scan=False))
        names.extend(Name(t, code, W_AUXCO, scan=False) for t in rec.auxco_titles)
    return NameIndex(names)


def normalize_occupation(text: str, *, limit: int = 5) -> list[Candidate]:
    """Best occupation candidates (ESCO URI or 5-digit KldB code), best first."""
    return list(_normalize(text, limit))


@lru_cache(maxsize=4096)
def _normalize(text: str, limit: int) -> tuple[Candidate, ...]:
    hits = occupation_index().search(text, limit)
    out = []
    for code, score in hits:
        info = occupation_info(code)
        out.append(Candidate(code, info.label if info else code, score))
    return tuple(out)


def resolve_occupation(text: str) -> Candidate | None:
    """The single best occupation, or None below ``OCCUPATION_THRESHOLD``."""
    hits = _normalize(text, 1)
    return hits[0] if hits and hits[0].confidence >= OCCUPATION_THRESHOLD else None


def occupation_info(code: str) -> OccupationInfo | None:
    """Facts about an ESCO occupation URI, a 5-digit KldB 2010 code or a 4-digit ISCO-08 group."""
    code = code.strip()
    rec = store.occupations().get(code)
    if rec is not None:
        isco = rec.isco or None
        return OccupationInfo(code, rec.label_de, isco, rec.kldb or None, field_for_isco(isco))
    if code.isdigit() and len(code) == 5:
        k = store.kldb().get(code)
        if k is None:
            return None
        return OccupationInfo(code, k.title, k.isco or None, code, field_for_kldb(code))
    if code.isdigit() and len(code) == 4:
        label = store.isco_labels().get(code)
        if label is None:
            return None
        return OccupationInfo(code, label, code, _kldb_for_isco().get(code), field_for_isco(code))
    return None


@cache
def _kldb_for_isco() -> dict[str, str]:
    """ISCO group -> the KldB code most often linked to it (approximate, via AuxCO)."""
    counts: dict[str, Counter[str]] = {}
    for code, rec in store.kldb().items():
        if rec.isco:
            counts.setdefault(rec.isco, Counter())[code] += 1
    for rec in store.occupations().values():
        if rec.isco and rec.kldb:
            counts.setdefault(rec.isco, Counter())[rec.kldb] += 1
    return {isco: min(c.items(), key=lambda x: (-x[1], x[0]))[0] for isco, c in counts.items()}


def occupation_skills(code: str) -> list[tuple[str, str]]:
    """(skill URI, "essential"|"optional") for an ESCO occupation, from the imported ESCO data.

    Empty until ``import_esco`` has been run: the shipped snapshot has no relations file.
    """
    return list(store.occupation_skill_links().get(code, []))


def clear() -> None:
    """Forget the index and the query cache."""
    occupation_index.cache_clear()
    _normalize.cache_clear()
    _kldb_for_isco.cache_clear()


def isco_group_title(group: str, lang: str = "de") -> str | None:
    """The title of an ISCO-08 group for reason texts; German only (the shipped ESCO files
    carry no English group titles), so None in other languages."""
    return store.isco_labels().get(group) if lang == "de" else None
