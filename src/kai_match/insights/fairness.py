"""Fairness over the database: who the rankings of open vacancies show, by site and age band.

Every open vacancy ranks every active participant through the engine (``analytics.build_pairs``,
the path evaluations take), and ``analytics.fairness_report`` compares the groups. The age band
is computed here from ``participant_personal.birth_date`` and never reaches the engine; gender
and nationality are not stored, so they cannot be reported (``missing_attributes``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from kai_match.analytics import FOUR_FIFTHS, MIN_CELL, Outcome, build_pairs, fairness_report
from kai_match.analytics.district import age_band
from kai_match.data.taxonomy import related_skills
from kai_match.matching.inputs import participant_profiles, vacancy_profiles
from kai_match.matching.profiles import resolve_profile
from kai_match.matching.service import commute_model
from kai_match.models import Participant, ParticipantPersonal, Vacancy
from kai_match.models.common import ParticipantStatus, VacancyStatus
from kai_match.models.matching import WeightProfileRef
from kai_match.models.reports import FairnessGroup, FairnessReport, MissingAttribute

ATTRIBUTES = ("site", "age_band")
MISSING = (
    MissingAttribute(attribute="gender", reason="not stored by kai-match"),
    MissingAttribute(attribute="nationality", reason="not stored by kai-match"),
)


def age_on(birth: date, day: date) -> int:
    """Completed years on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def ranked_pairs(*, session: Session) -> int:
    """How many pairs the report ranks (the people and vacancies it reads): its cost.

    Two counts, so the cost (``access.budget``) is known before the work is done.
    """
    people = session.exec(
        select(func.count()).where(
            Participant.status == ParticipantStatus.active,
            col(Participant.consent_processing).is_(True),
            col(Participant.archived_at).is_(None),
            col(Participant.erased_at).is_(None),
        )
    ).one()
    jobs = session.exec(select(func.count()).where(Vacancy.status == VacancyStatus.open)).one()
    return int(people) * int(jobs)


def fairness_over_database(
    *,
    session: Session,
    profile: str | None = None,
    version: int | None = None,
    k: int = 10,
    as_of: date | None = None,
) -> FairnessReport:
    """Score distributions, top-k selection and exposure by group for the named (active) profile."""
    record, chosen = resolve_profile(session=session, name=profile, version=version)
    day = as_of or date.today()
    people_rows = list(
        session.exec(
            select(Participant)
            .where(
                Participant.status == ParticipantStatus.active,
                col(Participant.consent_processing).is_(True),
                col(Participant.archived_at).is_(None),
                col(Participant.erased_at).is_(None),
            )
            .order_by(col(Participant.id))
        )
    )
    job_rows = list(
        session.exec(
            select(Vacancy).where(Vacancy.status == VacancyStatus.open).order_by(col(Vacancy.id))
        )
    )
    births = dict(
        session.exec(
            select(ParticipantPersonal.participant_id, ParticipantPersonal.birth_date).where(
                col(ParticipantPersonal.participant_id).in_([p.id for p in people_rows])
            )
        ).all()
    )
    attributes = {
        p.id: {
            "site": p.site,
            "age_band": age_band(age_on(births[p.id], day)) if p.id in births else None,
        }
        for p in people_rows
    }
    pairs = [Outcome(j.id, p.id, False, False) for j in job_rows for p in people_rows]
    table = build_pairs(
        participant_profiles(session, people_rows),
        vacancy_profiles(session, job_rows),
        pairs,
        chosen,
        commute=commute_model(),
        related=related_skills,
        as_of=day,
    )
    figures = fairness_report(
        table, table.scores(chosen.weights), attributes, ATTRIBUTES, k=k, min_cell=MIN_CELL
    )
    return FairnessReport(
        weight_profile=WeightProfileRef(name=record.name, version=record.version),
        as_of=day,
        k=k,
        participants=len(people_rows),
        vacancies=len(job_rows),
        min_cell=MIN_CELL,
        four_fifths=FOUR_FIFTHS,
        attributes=list(ATTRIBUTES),
        missing_attributes=list(MISSING),
        groups=[
            FairnessGroup(
                **{
                    **f.to_dict(),
                    "score_quartiles": list(f.score_quartiles) if f.score_quartiles else None,
                }
            )
            for f in figures
        ],
    )
