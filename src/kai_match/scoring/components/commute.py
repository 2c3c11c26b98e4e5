"""commute: door-to-door minutes against the participant's limit (docs/scoring.md).

The minutes come from the commute stage of each direction, which also decides the commute
constraint.
"""

from __future__ import annotations

import numpy as np

from ..formulas import commute_value
from ..reasons import commute_reason
from .base import PairFacts, ParticipantRows, ScoringComponent, TextContext, VacancyRows


def vacancy_values(r: VacancyRows) -> np.ndarray:
    """Minutes to each vacancy against the one participant's limit."""
    return commute_value(r.minutes, r.q.p.max_commute_minutes, r.params)


def participant_values(r: ParticipantRows) -> np.ndarray:
    """Minutes from each participant's home against their own limits."""
    return commute_value(r.minutes, r.ix.cols["max_commute"][r.rows], r.params)


def reason(text: TextContext, pair: PairFacts, value: float) -> str:
    """Minutes (in 5-minute steps for restricted texts), mode and limit."""
    return commute_reason(
        pair.p, pair.v, pair.minutes, pair.mode, text.lang, restricted=text.restricted_texts
    )


COMPONENT = ScoringComponent(
    name="commute",
    vacancy_values=vacancy_values,
    participant_values=participant_values,
    reason=reason,
)
