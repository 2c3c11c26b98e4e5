"""The caseload list: one site's people (all sites for admins), searched, filtered, paged.

Scope comes from ``access.scopes`` like every API list, so a counsellor's search never finds
a person of another site; every person listed is audited as a read of the full record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from kai_match.access.scopes import participant_scope
from kai_match.audit import service as audit
from kai_match.kit.principal import Principal
from kai_match.models import Participant, ParticipantPersonal, Placement
from kai_match.participants.search import matches_text

PAGE_SIZE = 25
SORTS = {
    "name": (ParticipantPersonal.last_name, ParticipantPersonal.first_name),
    "entered": (Participant.created_at,),
    "level": (Participant.german_level, ParticipantPersonal.last_name),
}


@dataclass(frozen=True)
class Filters:
    """What the caseload form asks for; empty values mean "any"."""

    q: str = ""
    site: str = ""
    status: str = "active"
    level: str = ""
    without_placement: bool = False
    sort: str = "name"
    page: int = 1


@dataclass(frozen=True)
class Row:
    id: int
    public_id: str
    first_name: str
    last_name: str
    site: str
    status: str
    german_level: str
    entered: date
    placements: int


@dataclass(frozen=True)
class CaseloadPage:
    rows: list[Row]
    total: int
    page: int
    pages: int


def caseload(session: Session, principal: Principal, filters: Filters) -> CaseloadPage:
    """One page of the list; the people on it are audited (view "full", action "list")."""
    placements = (
        select(Placement.participant_id, func.count().label("n"))
        .group_by(col(Placement.participant_id))
        .subquery()
    )
    query = (
        select(Participant, ParticipantPersonal, func.coalesce(placements.c.n, 0))
        .join(ParticipantPersonal, col(ParticipantPersonal.participant_id) == Participant.id)
        .outerjoin(placements, placements.c.participant_id == Participant.id)
        .where(*participant_scope(principal), col(Participant.erased_at).is_(None))
    )
    if filters.q.strip():
        query = query.where(matches_text(filters.q, audience=None))
    if filters.site:
        query = query.where(Participant.site == filters.site)
    if filters.status:
        query = query.where(Participant.status == filters.status)
    if filters.level:
        query = query.where(Participant.german_level == filters.level)
    if filters.without_placement:
        query = query.where(placements.c.n.is_(None))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    order = [*SORTS.get(filters.sort, SORTS["name"]), Participant.id]
    found = session.exec(
        query.order_by(*order).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    rows = [
        Row(
            id=p.id or 0,
            public_id=p.public_id,
            first_name=personal.first_name,
            last_name=personal.last_name,
            site=p.site,
            status=p.status,
            german_level=p.german_level,
            entered=p.created_at.date(),
            placements=count,
        )
        for p, personal, count in found
    ]
    audit.record_reads(session, principal, [r.public_id for r in rows], "full", "list")
    return CaseloadPage(rows, total, page, pages)
