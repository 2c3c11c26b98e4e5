"""The scoring components, in the order results list them. Register a component here.

COMPONENTS, the values of both ranking directions, the score and the components of every
result item follow REGISTRY. The default weights are tunable data and live with the weight
profiles (weights.DEFAULT_WEIGHTS, which the reason texts' module imports, so it cannot import
this registry); the check below keeps the two in step.
"""

from __future__ import annotations

import numpy as np

from ..weights import DEFAULT_WEIGHTS
from . import commute, language, occupation, preferences, skills
from .base import ParticipantRows, ScoringComponent, VacancyRows

REGISTRY: tuple[ScoringComponent, ...] = (
    language.COMPONENT,
    skills.COMPONENT,
    occupation.COMPONENT,
    commute.COMPONENT,
    preferences.COMPONENT,
)


def _checked(registry: tuple[ScoringComponent, ...]) -> tuple[str, ...]:
    """The registered names, if every one has a default weight and no weight is left over."""
    names = tuple(c.name for c in registry)
    if len(set(names)) != len(names):
        raise ValueError(f"component names must be unique: {names}")
    if names != tuple(DEFAULT_WEIGHTS):
        raise ValueError(
            f"weights.DEFAULT_WEIGHTS must list the registered components in order: {names}"
        )
    return names


COMPONENTS: tuple[str, ...] = _checked(REGISTRY)


def vacancy_values(rows: VacancyRows) -> dict[str, np.ndarray]:
    """Every component's values for vacancy rows ranked for one participant, by name."""
    return {c.name: c.vacancy_values(rows) for c in REGISTRY}


def participant_values(rows: ParticipantRows) -> dict[str, np.ndarray]:
    """Every component's values for participant rows ranked for one vacancy, by name."""
    return {c.name: c.participant_values(rows) for c in REGISTRY}
