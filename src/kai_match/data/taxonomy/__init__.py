"""Skills & occupations taxonomy: ESCO + KldB 2010, and free-text normalisation onto it.

Public API below; everything heavy (reading the shipped files, the rapidfuzz choice lists, the
TF-IDF matrix) is built lazily on first use and cached. ``clear_caches()`` forgets it all.
This service uses the ESCO classification of the European Commission.
"""

from __future__ import annotations

from . import occupations as _occupations
from . import similarity as _similarity
from . import skills as _skills
from . import store as _store
from .cli import taxonomy_app
from .fields import FIELDS, SKILL_GROUPS, field_for_isco, field_for_kldb
from .importer import ImportSummary, import_esco
from .model import Candidate, OccupationInfo
from .occupations import (
    OCCUPATION_THRESHOLD,
    normalize_occupation,
    occupation_info,
    occupation_skills,
    resolve_occupation,
)
from .similarity import related_skills, skill_similarity
from .skills import (
    REQUIREMENT_THRESHOLD,
    SKILL_THRESHOLD,
    is_known_skill,
    normalize_skill,
    resolve_skill,
    skill_group,
    skill_group_label,
    skill_label,
)


def clear_caches() -> None:
    """Forget every loaded file, index and cached answer (after an import, and in tests)."""
    _skills.clear()
    _occupations.clear()
    _similarity.clear()
    _store.clear()


def warm_up() -> None:
    """Build both indexes now (call from the app's lifespan to keep first requests fast)."""
    _skills.skill_index()
    _occupations.occupation_index()


__all__ = [
    "FIELDS",
    "OCCUPATION_THRESHOLD",
    "REQUIREMENT_THRESHOLD",
    "SKILL_GROUPS",
    "SKILL_THRESHOLD",
    "Candidate",
    "ImportSummary",
    "OccupationInfo",
    "clear_caches",
    "field_for_isco",
    "field_for_kldb",
    "import_esco",
    "is_known_skill",
    "normalize_occupation",
    "normalize_skill",
    "occupation_info",
    "occupation_skills",
    "related_skills",
    "resolve_occupation",
    "resolve_skill",
    "skill_group",
    "skill_group_label",
    "skill_label",
    "skill_similarity",
    "taxonomy_app",
    "warm_up",
]
