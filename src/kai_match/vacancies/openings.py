"""Vacancy capacity: which placements use an opening, and the vacancy's open/filled status.

A placement uses an opening from the start of its trial (or a direct hire) until it ends
without a hire: states ``trial_running``, ``completed`` (the decision is pending) and ``hired``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select

from kai_match.kit.versioning import bump_version
from kai_match.models import Placement, Vacancy
from kai_match.models.common import VacancyStatus
from kai_match.models.placement import HOLDING_STATES

# Statuses that follow the bookings; a closed vacancy stays closed.
BOOKABLE_STATUSES = frozenset({VacancyStatus.open, VacancyStatus.filled})


def openings_used(session: Session, vacancy_ids: Iterable[int | None]) -> dict[int, int]:
    """Booked openings per vacancy (vacancies without bookings are left out)."""
    ids = [i for i in vacancy_ids if i is not None]
    if not ids:
        return {}
    query = (
        select(Placement.vacancy_id, func.count(col(Placement.id)))
        .where(col(Placement.vacancy_id).in_(ids), col(Placement.state).in_(HOLDING_STATES))
        .group_by(col(Placement.vacancy_id))
    )
    return {vacancy_id: count for vacancy_id, count in session.exec(query)}


def all_openings_used(session: Session) -> dict[int, int]:
    """Booked openings of every vacancy, in one query (for building a whole index)."""
    query = (
        select(Placement.vacancy_id, func.count(col(Placement.id)))
        .where(col(Placement.state).in_(HOLDING_STATES))
        .group_by(col(Placement.vacancy_id))
    )
    return {vacancy_id: count for vacancy_id, count in session.exec(query)}


def lock_vacancy(session: Session, vacancy_id: int) -> Vacancy:
    """Reload the vacancy with a row lock, so bookings of one vacancy run one after another.

    PostgreSQL: ``SELECT … FOR UPDATE`` (others wait until this transaction ends, then see its
    bookings). SQLite ignores ``FOR UPDATE``; its ``BEGIN IMMEDIATE`` (``db.py``) already holds
    the database's single write lock for the whole transaction.
    """
    query = (
        select(Vacancy)
        .where(Vacancy.id == vacancy_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(query).one()


def sync_status(session: Session, vacancy: Vacancy, *, touch: bool = True) -> bool:
    """``open`` ↔ ``filled`` from the booked openings (``closed`` stays); True when changed.

    ``touch`` bumps the version (the ETag); an update that bumps it itself passes False.
    """
    if vacancy.status not in BOOKABLE_STATUSES:
        return False
    used = openings_used(session, [vacancy.id]).get(vacancy.id or 0, 0)
    status = VacancyStatus.filled if used >= vacancy.openings else VacancyStatus.open
    if status == vacancy.status:
        return False
    vacancy.status = status
    if touch:
        bump_version(vacancy)
    session.add(vacancy)
    return True
