"""Outcome follow-up: is a hired person still employed after 3, 6 and 12 months?

The programme's aim is lasting work, so counsellors check back; the due list tells them whom
to call. Once a check finds the person no longer employed, later months are not due.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date

from sqlmodel import Session, col, select

from kai_match.access.scopes import site_in_reach
from kai_match.audit import service as audit
from kai_match.errors import Conflict, FieldError, InvalidInput
from kai_match.kit.principal import Principal
from kai_match.models import Participant, Placement, PlacementFollowUp
from kai_match.models.placement import (
    FOLLOW_UP_MONTHS,
    FollowUpDue,
    FollowUpDueList,
    FollowUpIn,
    PlacementPublic,
    PlacementState,
)
from kai_match.placements.views import placement_public


def add_months(day: date, months: int) -> date:
    """Same day N months later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def record_follow_up(
    *, session: Session, placement: Placement, data: FollowUpIn, principal: Principal
) -> PlacementPublic:
    """One check per month; it can only be made once the month has passed."""
    if placement.state != PlacementState.hired or placement.hired_on is None:
        raise Conflict(
            detail="Follow-ups are recorded for hired placements only.",
            errors=[FieldError("state", f"is {placement.state}, must be hired")],
        )
    existing = session.exec(
        select(PlacementFollowUp.id).where(
            PlacementFollowUp.placement_id == placement.id,
            PlacementFollowUp.month == data.month,
        )
    ).first()
    if existing is not None:
        raise Conflict(
            detail=f"The {data.month}-month follow-up is already recorded.",
            errors=[FieldError("month", "is already recorded")],
        )
    due_on = add_months(placement.hired_on, data.month)
    errors = []
    if data.checked_on < due_on:
        errors.append(FieldError("checked_on", f"must not lie before {due_on} (hire + months)"))
    if data.checked_on > date.today():
        errors.append(FieldError("checked_on", "must not lie in the future"))
    if errors:
        raise InvalidInput(detail="The follow-up could not be recorded.", errors=errors)
    assert placement.id is not None
    session.add(
        PlacementFollowUp(
            placement_id=placement.id,
            participant_id=placement.participant_id,
            month=data.month,
            still_employed=data.still_employed,
            checked_on=data.checked_on,
            note=data.note,
            recorded_by=principal.actor,
        )
    )
    participant = session.get(Participant, placement.participant_id)
    assert participant is not None
    audit.record(session, principal, "follow_up", [participant.public_id], ["still_employed"])
    session.flush()
    return placement_public(session, placement, principal)


def follow_ups_due(
    *, session: Session, principal: Principal, site: str | None, as_of: date
) -> FollowUpDueList:
    """Checks whose month has come (hire date + N months ≤ as_of) and are not recorded yet.

    Counsellors see their own site (asking for another is a 403); admins any or all sites.
    """
    site = site_in_reach(principal, site, what="follow-ups")
    query = (
        select(Placement, Participant.public_id, Participant.site)
        .join(Participant, col(Participant.id) == col(Placement.participant_id))
        .where(Placement.state == PlacementState.hired, col(Placement.hired_on).is_not(None))
        .order_by(col(Placement.id))
    )
    if site is not None:
        query = query.where(Participant.site == site)
    rows = list(session.exec(query))
    recorded: dict[int, dict[int, bool]] = defaultdict(dict)
    ids = [placement.id for placement, _, _ in rows]
    if ids:
        for follow_up in session.exec(
            select(PlacementFollowUp).where(col(PlacementFollowUp.placement_id).in_(ids))
        ):
            recorded[follow_up.placement_id][follow_up.month] = follow_up.still_employed
    items = [
        FollowUpDue(
            placement_id=placement.id,
            participant_id=placement.participant_id,
            participant_public_id=public_id,
            vacancy_id=placement.vacancy_id,
            site=participant_site,
            hired_on=placement.hired_on,
            month=month,
            due_on=add_months(placement.hired_on, month),
        )
        for placement, public_id, participant_site in rows
        for month in _due_months(placement.hired_on, recorded[placement.id], as_of)
    ]
    items.sort(key=lambda i: (i.due_on, i.placement_id, i.month))
    audit.record_reads(
        session, principal, dict.fromkeys(i.participant_public_id for i in items), "full", "due"
    )
    return FollowUpDueList(as_of=as_of, site=site, items=items)


def _due_months(hired_on: date, recorded: dict[int, bool], as_of: date) -> list[int]:
    due = []
    for month in FOLLOW_UP_MONTHS:
        if any(not employed for m, employed in recorded.items() if m < month):
            break  # no longer employed: nothing later to check
        if month not in recorded and add_months(hired_on, month) <= as_of:
            due.append(month)
    return due
