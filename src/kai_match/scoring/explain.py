"""Explain one pair: every constraint and component, whether or not the pair is eligible."""

from __future__ import annotations

from datetime import date

import numpy as np

from . import for_participant
from .assemble import Describer
from .profiles import ParticipantProfile, VacancyProfile
from .protocols import CommuteModel, RelatedSkills, SkillName
from .results import Explanation
from .texts import check_lang
from .vacancy_index import VacancyIndex
from .weights import DEFAULT_PROFILE, WeightProfile


def explain(
    participant: ParticipantProfile,
    vacancy: VacancyProfile,
    profile: WeightProfile = DEFAULT_PROFILE,
    *,
    commute: CommuteModel,
    related: RelatedSkills | None = None,
    as_of: date,
    lang: str = "de",
    employer_view: bool = False,
    skill_name: SkillName | None = None,
) -> Explanation:
    """Why a pair is or is not suggested; the score is computed even when constraints fail.

    Uses the same vectorised evaluation as the rankings (on a one-row index), so the numbers
    here are the numbers a ranking shows.
    """
    check_lang(lang)
    ix = VacancyIndex([vacancy])
    q = for_participant.person_query(participant, ix, profile, related)
    rows = np.zeros(1, dtype=np.int64)
    ev = for_participant.evaluate(
        q, ix, rows, profile, commute=commute, as_of=as_of, employer_view=employer_view
    )
    describer = Describer(
        profile,
        as_of=as_of,
        lang=lang,
        related=related,
        skill_name=skill_name,
        employer_view=employer_view,
        skill_status=q.skill_status,
    )
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
