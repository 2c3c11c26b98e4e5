"""skills: importance-weighted credit for the required skills (docs/scoring.md).

The credit sums come from the skill stage of each direction (it also decides the must-skill
constraint); this component only divides by the total importance.
"""

from __future__ import annotations

import numpy as np

from ..reasons import skills_reason
from .base import PairFacts, ParticipantRows, ScoringComponent, TextContext, VacancyRows


def vacancy_values(r: VacancyRows) -> np.ndarray:
    """Credit over each vacancy's total importance; neutral where it asks for no skills."""
    prm = r.params
    den = r.ix.importance_total(prm.importance_weights)[r.rows]
    return np.where(den > 0, r.skill_credit / np.where(den > 0, den, 1.0), prm.skills_neutral)


def participant_values(r: ParticipantRows) -> np.ndarray:
    """Credit over the vacancy's total importance; neutral when it asks for no skills."""
    den = r.skill_total
    return r.skill_credit / den if den > 0 else np.full(len(r.rows), r.params.skills_neutral)


def reason(text: TextContext, pair: PairFacts, value: float) -> str:
    """Skills held, similar, below level or missing."""
    return skills_reason(
        pair.p,
        pair.v,
        value,
        text.related,
        text.profile,
        text.lang,
        text.skill_name,
        text.skill_status,
    )


COMPONENT = ScoringComponent(
    name="skills",
    vacancy_values=vacancy_values,
    participant_values=participant_values,
    reason=reason,
)
