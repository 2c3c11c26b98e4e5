"""Caps on open proposals: a firm answers each one, so it gets only a few at a time.

Job recommenders lose their effect when every counsellor sends the same people to the same
firms. An *open proposal* is a placement in ``sent_to_employer`` (``OPEN_PROPOSAL_STATES``): the
firm has it and has not answered. A vacancy may have ``KAI_PROPOSALS_PER_OPENING`` of them per
opening, a firm ``KAI_PROPOSALS_PER_EMPLOYER`` over all its vacancies; one more is a 409.

Race safety: ``transition`` locks the vacancy row before it gets here, which serialises the
per-vacancy count. Two vacancies of one firm are different rows, so the per-firm count also
locks the employer row (``FOR NO KEY UPDATE`` on PostgreSQL: it serialises the senders but does
not hold up inserts of new vacancies, whose foreign key takes only a key-share lock). The lock
order is always vacancy, then employer; no other write locks them the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from kai_match.config import Settings
from kai_match.errors import Conflict, FieldError
from kai_match.models import Employer, Placement, Vacancy
from kai_match.models.placement import OPEN_PROPOSAL_STATES, proposal_cap

_DEFAULTS = Settings.model_fields


@dataclass(frozen=True)
class ProposalCaps:
    """The two caps; the defaults are the settings' defaults (3 per opening, 10 per firm)."""

    per_opening: int = _DEFAULTS["proposals_per_opening"].default
    per_employer: int = _DEFAULTS["proposals_per_employer"].default

    @classmethod
    def from_settings(cls, settings: Settings) -> ProposalCaps:
        return cls(settings.proposals_per_opening, settings.proposals_per_employer)


# Callers without settings (the demo history) keep to the defaults.
DEFAULT_CAPS = ProposalCaps()


def open_proposals_of_vacancy(session: Session, vacancy_id: int) -> int:
    query = (
        select(func.count())
        .select_from(Placement)
        .where(Placement.vacancy_id == vacancy_id, col(Placement.state).in_(OPEN_PROPOSAL_STATES))
    )
    return session.exec(query).one()


def open_proposals_of_employer(session: Session, employer_id: int) -> int:
    query = (
        select(func.count())
        .select_from(Placement)
        .join(Vacancy, col(Vacancy.id) == col(Placement.vacancy_id))
        .where(Vacancy.employer_id == employer_id, col(Placement.state).in_(OPEN_PROPOSAL_STATES))
    )
    return session.exec(query).one()


def check_caps(session: Session, vacancy: Vacancy, caps: ProposalCaps) -> None:
    """Refuse one more open proposal when the vacancy or its firm has reached its cap (409).

    The caller holds the vacancy's row lock; the firm's is taken here.
    """
    assert vacancy.id is not None
    count = open_proposals_of_vacancy(session, vacancy.id)
    cap = proposal_cap(caps.per_opening, vacancy.openings)
    if count >= cap:
        openings = f"{vacancy.openings} opening" + ("s" if vacancy.openings != 1 else "")
        raise Conflict(
            detail=f"Vacancy {vacancy.id} has {count} open proposals for {openings} (cap "
            f"{caps.per_opening} per opening); wait for the firm's answers or withdraw one.",
            errors=[
                FieldError(
                    "vacancy_id",
                    f"has {count} open proposals, cap {cap} ({caps.per_opening} per opening)",
                )
            ],
        )
    _lock_employer(session, vacancy.employer_id)
    count = open_proposals_of_employer(session, vacancy.employer_id)
    if count >= caps.per_employer:
        raise Conflict(
            detail=f"Employer {vacancy.employer_id} has {count} open proposals (cap "
            f"{caps.per_employer} per employer); wait for the firm's answers or withdraw one.",
            errors=[
                FieldError(
                    "employer_id",
                    f"has {count} open proposals, cap {caps.per_employer} per employer",
                )
            ],
        )


def _lock_employer(session: Session, employer_id: int) -> None:
    """PostgreSQL: the firm's row lock; SQLite's write lock already serialises transactions."""
    query = select(Employer.id).where(Employer.id == employer_id).with_for_update(key_share=True)
    session.exec(query).one()
