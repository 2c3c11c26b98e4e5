"""Unanswered proposals per firm and vacancy: who has been waiting for an answer, and how long.

A proposal nobody answers is a person left waiting and a firm flooded; the counsellor needs to
chase the firm or withdraw. The report lists every firm and vacancy with open proposals
(``OPEN_PROPOSAL_STATES``) of the caller's site, the longest waiting first. Counts are over all
sites, since that is what the caps (``placements.congestion``) count; the proposals listed by
person are the site's own.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlmodel import Session, col, select

from kai_match.access.scopes import site_in_reach
from kai_match.audit import service as audit
from kai_match.kit.principal import Principal
from kai_match.models import Employer, Participant, Placement, Vacancy
from kai_match.models.placement import (
    OPEN_PROPOSAL_STATES,
    EmployerProposals,
    ProposalReport,
    VacancyProposals,
    WaitingProposal,
    proposal_cap,
)
from kai_match.placements.congestion import ProposalCaps


def proposal_report(
    *, session: Session, principal: Principal, site: str | None, caps: ProposalCaps
) -> ProposalReport:
    """Counsellors see their own site (another is a 403); admins one site or all."""
    site = site_in_reach(principal, site, what="proposals")
    today = date.today()
    rows = _open_proposals(session)
    totals_vacancy: dict[int, int] = defaultdict(int)
    totals_employer: dict[int, int] = defaultdict(int)
    for _placement, _, _, vacancy, _ in rows:
        totals_vacancy[vacancy.id] += 1
        totals_employer[vacancy.employer_id] += 1
    shown = [row for row in rows if site is None or row[2] == site]
    by_vacancy: dict[int, list[WaitingProposal]] = defaultdict(list)
    vacancies: dict[int, Vacancy] = {}
    employers: dict[int, Employer] = {}
    for placement, public_id, person_site, vacancy, employer in shown:
        assert placement.id is not None and placement.sent_on is not None
        by_vacancy[vacancy.id].append(
            WaitingProposal(
                placement_id=placement.id,
                participant_id=placement.participant_id,
                participant_public_id=public_id,
                site=person_site,
                sent_on=placement.sent_on,
                days_waiting=(today - placement.sent_on).days,
            )
        )
        vacancies[vacancy.id] = vacancy
        employers[employer.id] = employer
    per_employer: dict[int, list[VacancyProposals]] = defaultdict(list)
    for vacancy_id, waiting in by_vacancy.items():
        vacancy = vacancies[vacancy_id]
        per_employer[vacancy.employer_id].append(
            VacancyProposals(
                vacancy_id=vacancy_id,
                title=vacancy.title,
                openings=vacancy.openings,
                open_proposals=totals_vacancy[vacancy_id],
                cap=proposal_cap(caps.per_opening, vacancy.openings),
                oldest_sent_on=waiting[0].sent_on,
                days_waiting=waiting[0].days_waiting,
                proposals=waiting,
            )
        )
    report = [
        EmployerProposals(
            employer_id=employer_id,
            employer_name=employers[employer_id].name,
            open_proposals=totals_employer[employer_id],
            cap=caps.per_employer,
            oldest_sent_on=listed[0].oldest_sent_on,
            days_waiting=listed[0].days_waiting,
            vacancies=listed,
        )
        for employer_id, listed in per_employer.items()
    ]
    report.sort(key=lambda e: (e.oldest_sent_on, e.employer_id))
    audit.record_reads(
        session,
        principal,
        list(dict.fromkeys(public_id for _, public_id, _, _, _ in shown)),
        "full",
        "proposals",
    )
    return ProposalReport(as_of=today, site=site, employers=report)


def _open_proposals(session: Session) -> list:
    """Every open proposal with its person, vacancy and firm, the oldest first."""
    query = (
        select(Placement, Participant.public_id, Participant.site, Vacancy, Employer)
        .join(Participant, col(Participant.id) == col(Placement.participant_id))
        .join(Vacancy, col(Vacancy.id) == col(Placement.vacancy_id))
        .join(Employer, col(Employer.id) == col(Vacancy.employer_id))
        .where(col(Placement.state).in_(OPEN_PROPOSAL_STATES))
        .order_by(col(Placement.sent_on), col(Placement.id))
    )
    return list(session.exec(query))
