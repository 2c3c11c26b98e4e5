"""Contact use cases: record a contact, list a person's contacts with the next due day, the
overdue list of a site.

Notes are personal data: every read and write is audited, and only admins and counsellors of
the person's site get here (the routes' rules; ``ParticipantDep`` scopes counsellors).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from kai_match.access.scopes import site_in_reach
from kai_match.audit import service as audit
from kai_match.contacts.cadence import next_contact
from kai_match.errors import Conflict, FieldError, InvalidInput
from kai_match.kit.principal import Principal
from kai_match.models import Contact, Participant, Placement
from kai_match.models.common import ParticipantStatus
from kai_match.models.contact import (
    ContactIn,
    ContactList,
    ContactOut,
    OverdueContact,
    OverdueContactList,
)
from kai_match.models.placement import PlacementState
from kai_match.models.schedule import course_end

# Trials whose dates call for a contact: planned, running, or just finished.
_TRIAL_STATES = (
    PlacementState.trial_scheduled,
    PlacementState.trial_running,
    PlacementState.completed,
)
# People who are still being counselled (archived profiles have no cadence).
_COUNSELLED = (ParticipantStatus.active, ParticipantStatus.placed, ParticipantStatus.paused)


def record_contact(
    *, session: Session, participant: Participant, data: ContactIn, principal: Principal
) -> ContactList:
    """Store one contact; the answer is the person's contacts with the new next due day."""
    if participant.erased_at is not None or participant.status == ParticipantStatus.archived:
        raise Conflict(
            detail="Archived or erased profiles get no new contacts.",
            errors=[FieldError("participant_id", f"is {participant.status}")],
        )
    if data.contact_on > date.today():
        raise InvalidInput(
            detail="A contact is recorded once it has happened.",
            errors=[FieldError("contact_on", "must not lie in the future")],
        )
    assert participant.id is not None
    session.add(
        Contact(
            participant_id=participant.id,
            contact_on=data.contact_on,
            channel=data.channel.value,
            topic=data.topic.value,
            note=data.note,
            recorded_by=principal.actor,
        )
    )
    fields = ["contact_on", "channel", "topic", *(["note"] if data.note else [])]
    audit.record(session, principal, "contact_create", [participant.public_id], fields)
    session.flush()
    return _contact_list(session, participant)


def list_contacts(
    *, session: Session, participant: Participant, principal: Principal
) -> ContactList:
    """The person's contacts, newest first, with the day the next one is due."""
    audit.record_reads(session, principal, [participant.public_id], "full", "contacts")
    return _contact_list(session, participant)


def _contact_list(session: Session, participant: Participant) -> ContactList:
    assert participant.id is not None
    rows = list(
        session.exec(
            select(Contact)
            .where(Contact.participant_id == participant.id)
            .order_by(col(Contact.contact_on).desc(), col(Contact.id).desc())
        )
    )
    due, reason = _next_contacts(session, [participant], {participant.id: _last(rows)})[
        participant.id
    ]
    return ContactList(
        participant_id=participant.id,
        next_contact_on=due,
        next_contact_reason=reason,
        items=[ContactOut.model_validate(row, from_attributes=True) for row in rows],
    )


def _last(rows: list[Contact]) -> date | None:
    return rows[0].contact_on if rows else None


def overdue_contacts(
    *, session: Session, principal: Principal, site: str | None, as_of: date
) -> OverdueContactList:
    """People whose next contact was due before ``as_of``, the longest overdue first.

    Counsellors see their own site (asking for another is a 403); admins any or all sites.
    """
    site = site_in_reach(principal, site, what="contacts")
    query = select(Participant).where(
        col(Participant.status).in_(_COUNSELLED), col(Participant.erased_at).is_(None)
    )
    if site is not None:
        query = query.where(Participant.site == site)
    people = list(session.exec(query.order_by(col(Participant.id))))
    ids = [p.id for p in people]
    last: dict[int | None, date | None] = {}
    if ids:
        last_query = (
            select(Contact.participant_id, func.max(Contact.contact_on))
            .where(col(Contact.participant_id).in_(ids))
            .group_by(col(Contact.participant_id))
        )
        last = dict(session.exec(last_query).all())
    due = _next_contacts(session, people, last)
    items = [
        OverdueContact(
            participant_id=p.id,
            participant_public_id=p.public_id,
            site=p.site,
            counsellor=p.counsellor,
            last_contact_on=last.get(p.id),
            next_contact_on=due[p.id][0],
            next_contact_reason=due[p.id][1],
            days_overdue=(as_of - due[p.id][0]).days,
        )
        for p in people
        if due[p.id][0] < as_of
    ]
    items.sort(key=lambda i: (i.next_contact_on, i.participant_id))
    audit.record_reads(session, principal, [i.participant_public_id for i in items], "full", "due")
    return OverdueContactList(as_of=as_of, site=site, items=items)


def _next_contacts(
    session: Session, people: list[Participant], last: dict
) -> dict[int | None, tuple]:
    """Person id → (due day, reason), with everyone's trials read in one query."""
    trials: dict[int, list[tuple[date | None, date | None]]] = defaultdict(list)
    ids = [p.id for p in people]
    if ids:
        query = select(Placement.participant_id, Placement.trial_start, Placement.trial_end).where(
            col(Placement.participant_id).in_(ids), col(Placement.state).in_(_TRIAL_STATES)
        )
        for participant_id, start, end in session.exec(query):
            trials[participant_id].append((start, end))
    return {
        p.id: next_contact(
            last_contact=last.get(p.id),
            created_on=p.created_at.date(),
            course_end=course_end(p.commitments) or p.expected_b1_date,
            trials=trials[p.id or 0],
        )
        for p in people
    }
