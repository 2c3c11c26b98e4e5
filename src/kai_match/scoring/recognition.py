"""recognition: in a regulated occupation only a recognised qualification counts.

Nursing, midwifery, early-childhood education and the like are regulated in Germany: working
in them needs the foreign qualification recognised, whatever the person's skills. A person
qualifies for a regulated vacancy through a previous occupation with the vacancy's occupation
code or ISCO-08 unit group whose recognition is full or pending (pending is flagged with the
expected date, see why_not.py); partial recognition points to helper roles in the reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .constants import RECOGNITION_ALLOWS, RECOGNITION_STATES
from .profiles import Experience, ParticipantProfile, VacancyProfile
from .vacancy_index import isco_parts

if TYPE_CHECKING:
    from .evaluation import RowView
    from .participant_index import ParticipantIndex
    from .person_query import PersonQuery
    from .vacancy_query import VacancyQuery

ALLOWING_CODES = np.array(
    [i for i, state in enumerate(RECOGNITION_STATES) if state in RECOGNITION_ALLOWS]
)


def _in_occupation(code, i4, v_code, v_i4):
    """Same occupation code or same ISCO-08 unit group (unknown values never match)."""
    return ((code >= 0) & (code == v_code)) | ((i4 >= 0) & (i4 == v_i4))


def fails_for_person(q: PersonQuery, col: RowView) -> np.ndarray:
    """Per vacancy row: regulated, and none of the person's recognised qualifications is in it."""
    regulated = col("regulated")
    ok = np.zeros(len(regulated), dtype=np.bool_)
    for code, i4 in q.recognised:
        ok |= _in_occupation(code, i4, col("occupation"), col("isco4"))
    return regulated & ~ok


def fails_for_vacancy(q: VacancyQuery, ix: ParticipantIndex, rows: np.ndarray | None):
    """Per participant row (or False when the vacancy is not regulated)."""
    if not q.v.regulated:
        return False
    e = ix.entries["occupations"]
    good = np.isin(e["recognition"], ALLOWING_CODES) & _in_occupation(
        e["code"], e["isco4"], q.occupation, q.isco[0]
    )
    qualified = np.unique(e["row"][good])
    every = np.arange(ix.cols.n) if rows is None else rows
    return ~np.isin(every, qualified)


def best_qualification(p: ParticipantProfile, v: VacancyProfile) -> Experience | None:
    """The person's qualification in the vacancy's occupation with the strongest recognition."""
    v_i4 = isco_parts(v.isco_group)[0]
    found = [
        occ
        for occ in p.occupations
        if (v.occupation_code is not None and occ.code == v.occupation_code)
        or (v_i4 >= 0 and isco_parts(occ.isco_group)[0] == v_i4)
    ]
    return max(found, key=lambda o: RECOGNITION_STATES.index(o.recognition), default=None)
