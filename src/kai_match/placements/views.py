"""Who reaches which placement, and what each role sees of it.

Scope is applied in the query, like for participants: counsellors reach placements of their
site's participants, employers those of their own vacancies once the person was sent to them.
Admins and counsellors get the full record; everyone else a pseudonymised one (their own
pseudonym of the person only, no notes, no override reasons, no actors, and ``personal`` for
ending reasons about health or family). The audit names the person by their own public id.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from kai_match.audit import service as audit
from kai_match.errors import FieldError, Forbidden, NotFound
from kai_match.kit.pagination import Page, PageRequest, page_of
from kai_match.kit.principal import FULL_VIEW_ROLES, Principal
from kai_match.models import (
    Participant,
    Placement,
    PlacementFollowUp,
    PlacementTransition,
    Vacancy,
)
from kai_match.models.api_key import Role
from kai_match.models.matching import ComponentOut, WeightProfileRef
from kai_match.models.placement import (
    HOLDING_STATES,
    SHARED_REASON,
    FollowUpOut,
    PlacementPublic,
    PlacementState,
    ReasonCode,
    ReasonCodeOut,
    TransitionOut,
)
from kai_match.participants import pseudonyms
from kai_match.placements.states import allowed_next

# Ending reasons that tell of a person's health or family (GDPR Art. 9, or close to it): employers,
# partners and analysts see ``personal`` instead; the stored value stays for the counsellor.
PERSONAL_REASONS = frozenset({ReasonCode.health, ReasonCode.childcare})


def placement_scope(principal: Principal | None) -> list[Any]:
    """Conditions on ``Placement`` (with ``Participant`` and ``Vacancy`` joined)."""
    if principal is None:
        return []
    if principal.role == Role.counsellor:
        return [col(Participant.site) == principal.site]
    if principal.role == Role.employer:
        return [
            col(Vacancy.employer_id) == principal.employer_id,
            col(Placement.sent_on).is_not(None),
        ]
    return []


def _scoped_query(principal: Principal | None) -> Any:
    return (
        select(Placement)
        .join(Participant, col(Participant.id) == col(Placement.participant_id))
        .join(Vacancy, col(Vacancy.id) == col(Placement.vacancy_id))
        .where(*placement_scope(principal))
    )


def get_placement(
    *, session: Session, placement_id: int, principal: Principal | None = None
) -> Placement:
    """Load within the caller's reach; out of reach is a 404 like a missing record."""
    query = _scoped_query(principal).where(Placement.id == placement_id)
    placement = session.exec(query).first()
    if placement is None:
        raise NotFound(detail=f"Placement {placement_id} does not exist.")
    return placement


def list_placements(
    *,
    session: Session,
    page: PageRequest,
    principal: Principal,
    state: str | None = None,
    vacancy_id: int | None = None,
    participant_id: int | None = None,
    participant_public_id: str | None = None,
) -> Page[PlacementPublic]:
    """Placements in the caller's reach, oldest first; the listing is audited."""
    if participant_id is not None and principal.role not in FULL_VIEW_ROLES:
        raise Forbidden(
            detail="Pseudonymised callers filter by participant_public_id.",
            errors=[FieldError("participant_id", "use participant_public_id")],
        )
    query = _scoped_query(principal).order_by(col(Placement.id))
    if page.after_id is not None:
        query = query.where(col(Placement.id) > page.after_id)
    for column, value in (
        (Placement.state, state),
        (Placement.vacancy_id, vacancy_id),
        (Placement.participant_id, participant_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if participant_public_id is not None:
        # The id as the caller knows it: another audience's pseudonym finds nothing.
        query = query.where(pseudonyms.participant_condition(principal, participant_public_id))
    rows, cursor = page_of(list(session.exec(query.limit(page.limit + 1))), page.limit, _id)
    items = placements_public(session, rows, principal)
    audit_placement_reads(session, principal, rows, "placement_list")
    return Page(items=items, next_cursor=cursor)


def read_placement(
    *, session: Session, placement: Placement, principal: Principal
) -> PlacementPublic:
    """One placement in the caller's view; the read is audited."""
    item = placement_public(session, placement, principal)
    audit_placement_reads(session, principal, [placement], "placement_read")
    return item


def placement_public(
    session: Session, placement: Placement, principal: Principal
) -> PlacementPublic:
    return placements_public(session, [placement], principal)[0]


def placements_public(
    session: Session, placements: list[Placement], principal: Principal
) -> list[PlacementPublic]:
    """Views with history and follow-ups, two queries for the whole page."""
    ids = [p.id for p in placements]
    if not ids:
        return []
    public_ids = pseudonyms.ids_for(session, principal, {p.participant_id for p in placements})
    history: dict[int, list[PlacementTransition]] = defaultdict(list)
    for row in session.exec(
        select(PlacementTransition)
        .where(col(PlacementTransition.placement_id).in_(ids))
        .order_by(col(PlacementTransition.id))
    ):
        history[row.placement_id].append(row)
    follow_ups: dict[int, list[PlacementFollowUp]] = defaultdict(list)
    for row in session.exec(
        select(PlacementFollowUp)
        .where(col(PlacementFollowUp.placement_id).in_(ids))
        .order_by(col(PlacementFollowUp.month))
    ):
        follow_ups[row.placement_id].append(row)
    full = principal.role in FULL_VIEW_ROLES
    return [
        _to_public(
            p, public_ids[p.participant_id], history[p.id], follow_ups[p.id], principal, full
        )
        for p in placements
        if p.id is not None
    ]


def _to_public(
    placement: Placement,
    public_id: str,
    history: list[PlacementTransition],
    follow_ups: list[PlacementFollowUp],
    principal: Principal,
    full: bool,
) -> PlacementPublic:
    assert placement.id is not None
    return PlacementPublic(
        id=placement.id,
        participant_id=placement.participant_id if full else None,
        participant_public_id=public_id,
        vacancy_id=placement.vacancy_id,
        state=PlacementState(placement.state),
        allowed_next=allowed_next(placement.state, principal.role),
        holds_opening=placement.state in HOLDING_STATES,
        score=placement.score,
        components=components_shown(placement.components, full),
        weight_profile=WeightProfileRef(
            name=placement.weight_profile_name, version=placement.weight_profile_version
        ),
        eligible=placement.eligible,
        overridden_constraints=list(placement.overridden_constraints) if full else None,
        override_reason=placement.override_reason if full else None,
        note=placement.note if full else None,
        reason_code=_reason_shown(placement.reason_code, full),
        proposed_on=placement.proposed_on,
        sent_on=placement.sent_on,
        trial_start=placement.trial_start,
        trial_end=placement.trial_end,
        hired_on=placement.hired_on,
        ended_on=placement.ended_on,
        history=[
            TransitionOut(
                from_state=PlacementState(h.from_state) if h.from_state else None,
                to_state=PlacementState(h.to_state),
                date=h.event_date,
                reason_code=_reason_shown(h.reason_code, full),
                note=h.note if full else None,
                actor=h.actor if full else None,
                role=h.role,
                at=h.at,
            )
            for h in history
        ],
        follow_ups=[
            FollowUpOut(
                month=f.month,
                still_employed=f.still_employed,
                checked_on=f.checked_on,
                note=f.note if full else None,
                recorded_at=f.recorded_at,
            )
            for f in follow_ups
        ],
        created_at=placement.created_at,
        updated_at=placement.updated_at,
    )


def _reason_shown(stored: str | None, full: bool) -> ReasonCodeOut | None:
    if stored is None:
        return None
    if not full and stored in PERSONAL_REASONS:
        return ReasonCodeOut("personal")
    return ReasonCodeOut(stored)


def audit_placement_reads(
    session: Session, principal: Principal, placements: list[Placement], action: str
) -> None:
    """Entries name the people by their own public ids, whatever pseudonym the caller got."""
    view = "full" if principal.role in FULL_VIEW_ROLES else "pseudonymous"
    people = list(dict.fromkeys(p.participant_id for p in placements))
    if not people:
        return
    own = dict(
        session.exec(
            select(Participant.id, Participant.public_id).where(col(Participant.id).in_(people))
        ).all()
    )
    audit.record_reads(session, principal, [own[i] for i in people], view, action)


def _id(placement: Placement) -> int | None:
    return placement.id


def components_shown(frozen: dict, full: bool) -> dict[str, ComponentOut]:
    """The frozen components, with the reason texts the viewer may read.

    Outside counselling the restricted texts frozen beside the full ones are shown (no spoken
    languages by name, no literacy, no permit dates). Placements frozen before those existed
    show only the first clause of each reason (the German level, the skill count), which
    carries none of these.
    """
    shown = {}
    for name, stored in frozen.items():
        values = {k: v for k, v in stored.items() if k != SHARED_REASON}
        if not full:
            values["reason"] = stored.get(SHARED_REASON) or stored["reason"].split("; ")[0]
        shown[name] = ComponentOut(**values)
    return shown
