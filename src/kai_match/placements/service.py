"""Placement use cases: create from a match, move through the state machine, book openings.

Every change of state writes ``change_log`` rows for the vacancy and the participant (the
openings left and the feed of match lists depend on it) and an audit entry. Bookings of one
vacancy are serialised by a row lock on the vacancy (``vacancies.openings.lock_vacancy``), so
the last opening cannot be booked twice.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from kai_match.audit import service as audit
from kai_match.errors import Conflict, FieldError, InvalidInput
from kai_match.kit import changes
from kai_match.kit.patching import null_errors
from kai_match.kit.principal import Principal
from kai_match.kit.versioning import bump_version, check_if_match, lock_for_write, record_etag
from kai_match.matching.service import explain_for_placement
from kai_match.models import Participant, Placement, PlacementTransition, Vacancy
from kai_match.models.common import ParticipantStatus
from kai_match.models.placement import (
    ENDING_STATES,
    FINAL_STATES,
    FUTURE_ALLOWED,
    HOLDING_STATES,
    OPEN_PROPOSAL_STATES,
    SHARED_REASON,
    TRIAL_STATES,
    PlacementCreate,
    PlacementPublic,
    PlacementState,
    PlacementUpdate,
    TransitionIn,
)
from kai_match.participants.service import get_participant
from kai_match.placements.congestion import DEFAULT_CAPS, ProposalCaps, check_caps
from kai_match.placements.states import check_allowed
from kai_match.placements.views import placement_public
from kai_match.vacancies import openings as capacity
from kai_match.vacancies.service import get_vacancy
from kai_match.webhooks import outbox

# Legal limits: no override places someone without a work permit or without consent.
NOT_OVERRIDABLE = frozenset({"work_permit", "consent"})


def create_placement(
    *, session: Session, data: PlacementCreate, principal: Principal
) -> PlacementPublic:
    """A placement in ``suggested`` with the pair's explanation frozen at this moment."""
    participant = get_participant(
        session=session, participant_id=data.participant_id, principal=principal
    )
    vacancy = get_vacancy(session=session, vacancy_id=data.vacancy_id, principal=principal)
    if participant.erased_at is not None or participant.status == ParticipantStatus.archived:
        raise Conflict(
            detail="Archived or erased profiles get no new placements.",
            errors=[FieldError("participant_id", f"is {participant.status}")],
        )
    # The texts an employer or partner will read of this placement, frozen with the full ones.
    explanation, shared = explain_for_placement(
        session=session, participant=participant, vacancy=vacancy, principal=principal
    )
    failed = {f.name: f.reason for f in explanation.failed_constraints}
    _check_eligibility(failed, data.override_reason)
    assert participant.id is not None and vacancy.id is not None
    capacity.lock_vacancy(session, vacancy.id)  # one creation per vacancy at a time
    _refuse_duplicate(session, participant.id, vacancy.id)
    placement = Placement(
        participant_id=participant.id,
        vacancy_id=vacancy.id,
        state=PlacementState.suggested,
        score=explanation.score,
        components={
            k: c.model_dump() | {SHARED_REASON: shared.components[k].reason}
            for k, c in explanation.components.items()
        },
        weight_profile_name=explanation.weight_profile.name,
        weight_profile_version=explanation.weight_profile.version,
        eligible=explanation.eligible,
        overridden_constraints=sorted(failed),
        override_reason=data.override_reason,
        note=data.note,
        created_by=principal.actor,
    )
    session.add(placement)
    session.flush()
    _add_history(
        session, placement, None, PlacementState.suggested, date.today(), None, None, principal
    )
    _record_change(session, placement, participant, "placement_create", principal)
    outbox.placement_changed(
        session,
        placement_id=placement.id,
        vacancy_id=placement.vacancy_id,
        source=None,
        target=PlacementState.suggested,
    )
    session.flush()
    return placement_public(session, placement, principal)


def _check_eligibility(failed: dict[str, str], override_reason: str | None) -> None:
    if not failed:
        return
    names = ", ".join(failed)
    errors = [FieldError(name, reason) for name, reason in failed.items()]
    locked = sorted(NOT_OVERRIDABLE & failed.keys())
    if locked:
        raise Conflict(
            detail=f"The pair fails {', '.join(locked)}, which no override can lift.",
            errors=errors,
        )
    if override_reason is None:
        raise Conflict(
            detail=f"The pair is not eligible (fails {names}); give override_reason to place "
            "it anyway.",
            errors=[*errors, FieldError("override_reason", "is required to override " + names)],
        )


def _refuse_duplicate(session: Session, participant_id: int, vacancy_id: int) -> None:
    query = select(Placement.id).where(
        Placement.participant_id == participant_id,
        Placement.vacancy_id == vacancy_id,
        col(Placement.state).not_in(FINAL_STATES),
    )
    existing = session.exec(query).first()
    if existing is not None:
        raise Conflict(
            detail=f"This pair already has placement {existing} in progress.",
            errors=[FieldError("vacancy_id", f"already has placement {existing} in progress")],
        )


def transition(
    *,
    session: Session,
    placement: Placement,
    data: TransitionIn,
    principal: Principal,
    if_match: str | None = None,
    caps: ProposalCaps = DEFAULT_CAPS,
) -> PlacementPublic:
    """Move to ``data.to`` if the machine and the caller's role allow it; book or free openings.

    The vacancy row is locked first and the placement re-read after, so concurrent moves of
    the same vacancy's placements see each other's bookings. Sending to the employer counts
    against the caps on open proposals (``placements.congestion``).
    """
    vacancy = capacity.lock_vacancy(session, placement.vacancy_id)
    placement = lock_for_write(session, placement)
    check_if_match(if_match, record_etag(placement))
    source, target = placement.state, data.to.value
    check_allowed(source, target, principal)
    on = data.date or date.today()
    _check_transition_input(placement, source, target, on, data, session)
    if target in HOLDING_STATES and source not in HOLDING_STATES:
        _book_opening(session, vacancy)
    if target in OPEN_PROPOSAL_STATES and source not in OPEN_PROPOSAL_STATES:
        check_caps(session, vacancy, caps)
    _apply(placement, target, on, data)
    _add_history(session, placement, source, target, on, data.reason_code, data.note, principal)
    status_before = str(vacancy.status)
    capacity.sync_status(session, vacancy)
    participant = session.get(Participant, placement.participant_id)
    assert participant is not None
    _record_change(session, placement, participant, "placement_transition", principal)
    assert placement.id is not None
    outbox.placement_changed(
        session,
        placement_id=placement.id,
        vacancy_id=placement.vacancy_id,
        source=source,
        target=target,
    )
    outbox.vacancy_status_changed(
        session, vacancy_id=placement.vacancy_id, source=status_before, target=str(vacancy.status)
    )
    session.flush()
    return placement_public(session, placement, principal)


def _check_transition_input(
    placement: Placement,
    source: str,
    target: str,
    on: date,
    data: TransitionIn,
    session: Session,
) -> None:
    """Reason codes where an ending needs one, dates in order; all errors at once."""
    errors: list[FieldError] = []
    if target in ENDING_STATES and data.reason_code is None:
        errors.append(FieldError("reason_code", f"is required for {target}"))
    if target not in ENDING_STATES and data.reason_code is not None:
        errors.append(FieldError("reason_code", "is only given for not_hired and withdrawn"))
    if on > date.today() and target not in FUTURE_ALLOWED:
        errors.append(FieldError("date", "must not lie in the future"))
    last = session.exec(
        select(PlacementTransition.event_date)
        .where(PlacementTransition.placement_id == placement.id)
        .order_by(col(PlacementTransition.id).desc())
    ).first()
    if last is not None and on < last:
        errors.append(FieldError("date", f"must not lie before the previous step ({last})"))
    if target == PlacementState.completed and placement.trial_start and on < placement.trial_start:
        errors.append(FieldError("date", "must not lie before the trial start"))
    if data.trial_end is not None:
        if target not in TRIAL_STATES:
            errors.append(FieldError("trial_end", "is only given when a trial is scheduled"))
        elif data.trial_end < on:
            errors.append(FieldError("trial_end", "must not lie before the trial start"))
    if errors:
        raise InvalidInput(detail=f"The move to '{target}' could not be recorded.", errors=errors)


def _book_opening(session: Session, vacancy: Vacancy) -> None:
    used = capacity.openings_used(session, [vacancy.id]).get(vacancy.id or 0, 0)
    if used >= vacancy.openings:
        raise Conflict(
            detail=f"Vacancy {vacancy.id} has no openings left ({used} of {vacancy.openings} "
            "booked by running trials or hires).",
            errors=[FieldError("vacancy_id", "has no openings left")],
        )


def _apply(placement: Placement, target: str, on: date, data: TransitionIn) -> None:
    """Dates per state, the reason of an ending; the history row keeps the note."""
    if target == PlacementState.proposed:
        placement.proposed_on = on
    elif target == PlacementState.sent_to_employer:
        placement.sent_on = on
    elif target in TRIAL_STATES:
        placement.trial_start = on
        placement.trial_end = data.trial_end or placement.trial_end
    elif target == PlacementState.completed:
        placement.trial_end = on
    elif target == PlacementState.hired:
        placement.hired_on = on
    if target in ENDING_STATES:
        placement.ended_on = on
        placement.reason_code = data.reason_code.value if data.reason_code else None
    placement.state = target
    bump_version(placement)


def update_placement(
    *,
    session: Session,
    placement: Placement,
    data: PlacementUpdate,
    principal: Principal,
    if_match: str | None = None,
) -> PlacementPublic:
    """Change the note or the planned trial dates (states move by transitions only)."""
    placement = lock_for_write(session, placement)  # one writer per placement at a time
    check_if_match(if_match, record_etag(placement))
    changed = data.model_dump(exclude_unset=True)
    start = changed.get("trial_start", placement.trial_start)
    end = changed.get("trial_end", placement.trial_end)
    errors = null_errors(changed, Placement)
    if start is not None and end is not None and end < start:
        errors.append(FieldError("trial_end", "must not lie before trial_start"))
    if errors:
        raise InvalidInput(detail="The placement could not be updated.", errors=errors)
    placement.sqlmodel_update(changed)
    bump_version(placement)
    session.add(placement)
    participant = session.get(Participant, placement.participant_id)
    assert participant is not None
    audit.record(session, principal, "placement_update", [participant.public_id], sorted(changed))
    session.flush()
    return placement_public(session, placement, principal)


def _add_history(
    session: Session,
    placement: Placement,
    source: str | None,
    target: str,
    on: date,
    reason_code: object,
    note: str | None,
    principal: Principal,
) -> None:
    assert placement.id is not None
    session.add(
        PlacementTransition(
            placement_id=placement.id,
            participant_id=placement.participant_id,
            from_state=source,
            to_state=target,
            event_date=on,
            reason_code=getattr(reason_code, "value", None),
            note=note,
            actor=principal.actor,
            role=principal.role,
        )
    )


def _record_change(
    session: Session,
    placement: Placement,
    participant: Participant,
    action: str,
    principal: Principal,
) -> None:
    """Openings left and match lists depend on placements: tell every index and the feed."""
    session.add(placement)
    changes.record(session, "vacancy", placement.vacancy_id)
    changes.record(session, "participant", placement.participant_id)
    audit.record(session, principal, action, [participant.public_id], ["state"])
