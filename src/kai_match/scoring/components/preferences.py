"""preferences: weighted fit of placement type, field, hours, shifts and start (docs/scoring.md).

Vacancies for a participant read the query's tables for type × shifts and field.
"""

from __future__ import annotations

import numpy as np

from ..formulas import field_fit, hours_fit, preference_value, shifts_fit, start_fit, type_fit
from ..reasons import preferences_reason
from .base import PairFacts, ParticipantRows, ScoringComponent, TextContext, VacancyRows


def vacancy_values(r: VacancyRows) -> np.ndarray:
    """Type and field parts by table look-up; hours, shifts and start by formula."""
    c, rows, q, prm = r.ix.cols, r.rows, r.q, r.params
    p = q.p
    w = prm.preference_weights
    return (
        q.ts_part[c["ts_key"][rows]]
        + q.field_part[c["field"][rows] + 1]
        + w["hours"]
        * hours_fit(np.nan if p.hours_per_week is None else p.hours_per_week, c["hours"][rows], prm)
        + w["shifts"] * shifts_fit(r.schedule_share, c["n_times"][rows], prm)
        + w["start"] * start_fit(q.earliest, c["start"][rows], r.as_of_day, prm)
    ) / (w["type"] + w["field"] + w["hours"] + w["shifts"] + w["start"])


def participant_values(r: ParticipantRows) -> np.ndarray:
    """Every part by formula over the participants' columns and field entries."""
    c, rows, q, prm = r.ix.cols, r.rows, r.q, r.params
    m = len(rows)
    excluded = np.zeros(m, dtype=np.bool_)
    wanted = np.zeros(m, dtype=np.bool_)
    for name, flag in (("excluded", excluded), ("wanted", wanted)):
        e = r.ix.entries[name]
        at = r.positions[e["row"][e["field"] == q.field]]
        flag[at[at >= 0]] = True
    return preference_value(
        type_fit(c["types"][rows], q.type),
        field_fit(excluded, c["n_wanted"][rows] > 0, wanted, prm, q.v.field is not None),
        hours_fit(c["hours"][rows], q.hours, prm),
        shifts_fit(r.schedule_share, len(q.v.times), prm),
        start_fit(c["earliest"][rows], q.start, r.as_of_day, prm),
        prm,
    )


def reason(text: TextContext, pair: PairFacts, value: float) -> str:
    """Type, field, hours, shifts and start against the person's wishes."""
    return preferences_reason(
        pair.p,
        pair.v,
        text.as_of,
        text.lang,
        minutes=pair.minutes,
        params=text.profile.params,
        field_name=text.field_name,
    )


COMPONENT = ScoringComponent(
    name="preferences",
    vacancy_values=vacancy_values,
    participant_values=participant_values,
    reason=reason,
)
