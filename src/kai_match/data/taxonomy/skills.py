"""Skills: free text -> ESCO skill URI, labels and groups.

The searchable taxonomy is the curated German vocabulary (preferred), the German ESCO labels
(collections, plus every skill once ``import_esco`` has run) and the English ESCO labels, which
rank below a curated German hit through their lower source weight.
"""

from __future__ import annotations

from functools import cache, lru_cache

from . import store
from .matcher import Name, NameIndex
from .model import Candidate

# Source weights (see matcher): curated label > curated synonym > ESCO German > English.
W_CURATED = 1.0
W_SYNONYM = 0.98
W_ESCO_DE = 0.95
W_ESCO_DE_ALT = 0.94
W_IMPORTED_OTHER = 0.9
W_EN = 0.88
EN_TEXT_CHARS = 50

# Below this confidence resolve_skill() answers None for a profile entry (calibrated in
# tests/data/test_taxonomy*): a wrong guess there only costs a little partial credit.
SKILL_THRESHOLD = 0.65
# A vacancy requirement needs more: a wrong must skill excludes the right people, while one
# left unverified keeps its suggestions for a counsellor. Chosen on the labelled set
# (tests/data/normalisation, `benchmarks/normalize.py --quality --curve`): before the
# vocabulary covered those phrases, precision on skills reached 0.97 first at 0.82 (0.92 at
# 0.65); with the vocabulary, recall at 0.82 is still 0.92.
REQUIREMENT_THRESHOLD = 0.82


@cache
def skill_index() -> NameIndex:
    """The skill name index (built on first use, ~1 s)."""
    names: list[Name] = []
    for uri, rec in store.skills().items():
        if rec.curated_label:
            names.append(Name(rec.curated_label, uri, W_CURATED))
            names.extend(Name(s, uri, W_SYNONYM) for s in rec.curated_synonyms)
        german = rec.imported.get("de")
        if rec.label_de:
            names.append(Name(rec.label_de, uri, W_ESCO_DE))
            names.extend(Name(a, uri, W_ESCO_DE_ALT) for a in rec.alt_de)
        if german:
            names.append(Name(german[0], uri, W_ESCO_DE))
            names.extend(Name(a, uri, W_ESCO_DE_ALT, scan=False) for a in german[1])
        for lang, (label, _alts) in rec.imported.items():
            if lang not in ("de", "en"):
                names.append(Name(label, uri, W_IMPORTED_OTHER, scan=False))
        english = rec.imported.get("en")
        if english:
            names.append(Name(english[0], uri, W_EN, scan=False))
            names.extend(Name(a, uri, W_EN, scan=False) for a in english[1])
        elif rec.labels_en:
            # English preferred + alternative labels run together in the source: one document
            # per skill, reached through TF-IDF only (cheap to build, good enough for recall)
            names.append(Name(rec.labels_en[:EN_TEXT_CHARS], uri, W_EN, scan=False))
    return NameIndex(names)


def normalize_skill(text: str, *, limit: int = 5) -> list[Candidate]:
    """Best skill candidates for free text, best first; deterministic (confidence, then id)."""
    return list(_normalize(text, limit))


@lru_cache(maxsize=4096)
def _normalize(text: str, limit: int) -> tuple[Candidate, ...]:
    hits = skill_index().search(text, limit)
    return tuple(Candidate(uri, skill_label(uri) or uri, score) for uri, score in hits)


def resolve_skill(text: str, *, requirement: bool = False) -> Candidate | None:
    """The single best skill, or None below the threshold for its use.

    ``requirement=True`` (a vacancy's skill) uses ``REQUIREMENT_THRESHOLD``, profile entries
    ``SKILL_THRESHOLD``.
    """
    threshold = REQUIREMENT_THRESHOLD if requirement else SKILL_THRESHOLD
    hits = _normalize(text, 1)
    return hits[0] if hits and hits[0].confidence >= threshold else None


def is_known_skill(skill_id: str) -> bool:
    """True for any ESCO skill URI the service knows (built-in or imported)."""
    return skill_id in store.skills()


def skill_label(skill_id: str, lang: str = "de") -> str | None:
    """Display label; German: curated, then ESCO German, then English as a last resort.

    Other languages use imported labels, then the English one. None for unknown ids.
    """
    rec = store.skills().get(skill_id)
    if rec is None:
        return None
    if lang == "de":
        german = rec.imported.get("de")
        return (
            rec.curated_label
            or rec.label_de
            or (german[0] if german else "")
            or _english(rec)
            or None
        )
    imported = rec.imported.get(lang)
    if imported:
        return imported[0]
    return _english(rec) or rec.curated_label or rec.label_de or None


def _english(rec: store.SkillRecord) -> str:
    english = rec.imported.get("en")
    return english[0] if english else rec.label_en


def skill_group(skill_id: str) -> str | None:
    """Curated group slug (see ``SKILL_GROUPS``), else the ESCO skill group URI, else None."""
    rec = store.skills().get(skill_id)
    if rec is None:
        return None
    return rec.curated_group or rec.esco_group or None


def skill_group_label(group: str, lang: str = "de") -> str | None:
    """Readable name of a value returned by ``skill_group``."""
    from .fields import SKILL_GROUPS

    if group in SKILL_GROUPS:
        de, en = SKILL_GROUPS[group]
        return de if lang == "de" else en
    return store.skill_group_labels().get(group)


def clear() -> None:
    """Forget the index and the query cache."""
    skill_index.cache_clear()
    _normalize.cache_clear()
