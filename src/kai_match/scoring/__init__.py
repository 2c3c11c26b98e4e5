"""The matching engine: hard constraints, scored components, columnar indexes and rankings.

Pure: takes plain data (frozen dataclasses, numpy arrays) and injected collaborators (a commute
model, a related-skills lookup); imports nothing from kai_match outside this package. See
docs/scoring.md for the semantics and docs/performance.md for the figures.
"""

from .components import COMPONENTS
from .constants import (
    CEFR_LEVELS,
    CONSTRAINTS,
    MODES,
    PLACEMENT_TYPES,
    SHIFTS,
)
from .context import RankingContext
from .explain import explain
from .formulas import off_peak_for
from .participant_index import ParticipantIndex
from .profiles import (
    Experience,
    HeldSkill,
    LanguageLevel,
    ParticipantProfile,
    RequiredSkill,
    VacancyProfile,
)
from .protocols import CommuteModel, RelatedSkills, SkillName
from .ranking import rank_participants, rank_vacancies
from .results import (
    Component,
    ConstraintFailure,
    Explanation,
    Flag,
    MatchItem,
    RankingResult,
)
from .vacancy_index import VacancyIndex
from .weights import DEFAULT_PROFILE, ProfileError, ScoringParams, WeightProfile

__all__ = [
    "CEFR_LEVELS",
    "COMPONENTS",
    "CONSTRAINTS",
    "DEFAULT_PROFILE",
    "MODES",
    "PLACEMENT_TYPES",
    "SHIFTS",
    "CommuteModel",
    "Component",
    "ConstraintFailure",
    "Experience",
    "Explanation",
    "Flag",
    "HeldSkill",
    "LanguageLevel",
    "MatchItem",
    "ParticipantIndex",
    "ParticipantProfile",
    "ProfileError",
    "RankingContext",
    "RankingResult",
    "RelatedSkills",
    "RequiredSkill",
    "ScoringParams",
    "SkillName",
    "VacancyIndex",
    "VacancyProfile",
    "WeightProfile",
    "explain",
    "off_peak_for",
    "rank_participants",
    "rank_vacancies",
]
