"""Explain one pair: every constraint and component, whether or not the pair is eligible."""

from __future__ import annotations

import numpy as np

from . import for_participant
from .assemble import Describer
from .context import RankingContext
from .person_query import person_query
from .profiles import ParticipantProfile, VacancyProfile
from .results import Explanation
from .vacancy_index import VacancyIndex


def explain(
    participant: ParticipantProfile,
    vacancy: VacancyProfile,
    context: RankingContext,
) -> Explanation:
    """Why a pair is or is not suggested; the score is computed even when constraints fail.

    Uses the same vectorised evaluation as the rankings (on a one-row index), so the numbers
    here are the numbers a ranking shows.
    """
    profile = context.profile
    ix = VacancyIndex([vacancy])
    q = person_query(participant, ix, profile, context.related)
    rows = np.zeros(1, dtype=np.int64)
    ev = for_participant.evaluate(q, ix, rows, context)
    describer = Describer(context, skill_status=q.skill_status)
    text = describer.page(ev, [(participant, vacancy)])[0]
    return Explanation(
        participant_id=participant.id,
        vacancy_id=vacancy.id,
        eligible=not text.failed,
        failed_constraints=text.failed,
        flags=text.flags,
        score=text.score,
        components=text.components,
        commute_minutes=text.minutes,
        commute_mode=text.mode,
        profile_name=profile.name,
        profile_version=profile.version,
    )
