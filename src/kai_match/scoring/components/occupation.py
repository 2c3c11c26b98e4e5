"""occupation: the best previous occupation against the vacancy's, by experience (docs/scoring.md)."""

from __future__ import annotations

import numpy as np

from ..formulas import occupation_match, occupation_value
from ..reasons import occupation_reason
from .base import PairFacts, ParticipantRows, ScoringComponent, TextContext, VacancyRows


def vacancy_values(r: VacancyRows) -> np.ndarray:
    """Each of the participant's occupations against every row's occupation and ISCO group."""
    c, rows, q, prm = r.ix.cols, r.rows, r.q, r.params
    best = np.zeros(len(rows))
    if q.occupations:
        v_occ, v4, v3, v2 = (c[k][rows] for k in ("occupation", "isco4", "isco3", "isco2"))
        for code, i4, i3, i2, years in q.occupations:
            best = np.maximum(
                best, occupation_match(code, i4, i3, i2, years, v_occ, v4, v3, v2, prm)
            )
    return occupation_value(best, c["has_occupation"][rows], prm)


def participant_values(r: ParticipantRows) -> np.ndarray:
    """Every occupation entry of the rows against the vacancy; the best one per row."""
    q, prm = r.q, r.params
    e = r.ix.entries["occupations"]
    at = r.positions[e["row"]]
    inside = at >= 0
    best = np.zeros(len(r.rows))
    if inside.any():
        matches = occupation_match(
            e["code"][inside],
            e["isco4"][inside],
            e["isco3"][inside],
            e["isco2"][inside],
            e["years"][inside],
            q.occupation,
            *q.isco,
            prm,
        )
        np.maximum.at(best, at[inside], matches)
    has_occupation = q.v.occupation_code is not None or q.v.isco_group is not None
    return occupation_value(best, has_occupation, prm)


def reason(text: TextContext, pair: PairFacts, value: float) -> str:
    """The best-matching previous occupation and how it matches."""
    return occupation_reason(pair.p, pair.v, text.profile, text.lang, text.group_name)


COMPONENT = ScoringComponent(
    name="occupation",
    vacancy_values=vacancy_values,
    participant_values=participant_values,
    reason=reason,
)
