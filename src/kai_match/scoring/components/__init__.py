"""Scoring components: one module each, registered in registry.py (see docs/scoring.md)."""

from .base import PairFacts, ParticipantRows, ScoringComponent, TextContext, VacancyRows
from .registry import COMPONENTS, REGISTRY, participant_values, vacancy_values

__all__ = [
    "COMPONENTS",
    "REGISTRY",
    "PairFacts",
    "ParticipantRows",
    "ScoringComponent",
    "TextContext",
    "VacancyRows",
    "participant_values",
    "vacancy_values",
]
