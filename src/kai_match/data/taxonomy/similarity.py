"""How close two skills are, for partial credit in scoring ("related skills count in part").

Values (documented in docs/taxonomy.md, the maximum of all that apply):

=====================================================  =====
same id                                                 1.0
curated ``related`` link (either direction)             0.75
ESCO skill-skill relation, essential (either direction) 0.7
ESCO skill-skill relation, optional (either direction)  0.6
same curated skill group                                0.4
same ESCO skill group (the skill's broader group)       0.35
otherwise                                               0.0
=====================================================  =====
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from . import store

SAME = 1.0
CURATED_RELATED = 0.75
ESCO_ESSENTIAL = 0.7
ESCO_OPTIONAL = 0.6
SAME_CURATED_GROUP = 0.4
SAME_ESCO_GROUP = 0.35
MAX_NEIGHBOURS = 50


@cache
def _links() -> dict[str, dict[str, float]]:
    """Explicit relations, symmetric: skill -> {other: value}."""
    links: dict[str, dict[str, float]] = {}

    def add(a: str, b: str, value: float) -> None:
        if a == b:
            return
        for x, y in ((a, b), (b, a)):
            d = links.setdefault(x, {})
            if value > d.get(y, 0.0):
                d[y] = value

    for a, b, relation in store.skill_relations():
        add(a, b, ESCO_ESSENTIAL if relation == "essential" else ESCO_OPTIONAL)
    by_label = store.curated_by_label()
    for uri, rec in store.skills().items():
        for label in rec.curated_related:
            other = by_label.get(label)
            if other:
                add(uri, other, CURATED_RELATED)
    return links


@cache
def _groups() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Members of each curated group and each ESCO group, sorted for determinism."""
    curated: dict[str, list[str]] = {}
    esco: dict[str, list[str]] = {}
    for uri, rec in sorted(store.skills().items()):
        if rec.curated_group:
            curated.setdefault(rec.curated_group, []).append(uri)
        if rec.esco_group:
            esco.setdefault(rec.esco_group, []).append(uri)
    return curated, esco


def skill_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1]: 1.0 for a == b, symmetric, 0 for unrelated or unknown skills."""
    if a == b:
        return SAME
    best = _links().get(a, {}).get(b, 0.0)
    skills = store.skills()
    ra, rb = skills.get(a), skills.get(b)
    if ra is None or rb is None:
        return best
    if ra.curated_group and ra.curated_group == rb.curated_group:
        best = max(best, SAME_CURATED_GROUP)
    if ra.esco_group and ra.esco_group == rb.esco_group:
        best = max(best, SAME_ESCO_GROUP)
    return best


@cache
def _related(skill_id: str) -> Mapping[str, float]:
    rec = store.skills().get(skill_id)
    if rec is None:
        return MappingProxyType({})
    scores = dict(_links().get(skill_id, {}))
    curated, esco = _groups()
    for group, members, value in (
        (rec.curated_group, curated, SAME_CURATED_GROUP),
        (rec.esco_group, esco, SAME_ESCO_GROUP),
    ):
        if group:
            for other in members.get(group, []):
                if other != skill_id and value > scores.get(other, 0.0):
                    scores[other] = value
    ranked = sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:MAX_NEIGHBOURS]
    return MappingProxyType(dict(ranked))


def related_skills(skill_id: str) -> Mapping[str, float]:
    """Other skills with similarity > 0, best first, at most 50 (read-only, cached)."""
    return _related(skill_id)


def clear() -> None:
    """Forget the relation caches."""
    _links.cache_clear()
    _groups.cache_clear()
    _related.cache_clear()
