"""Consent records (GDPR Art. 7): given and withdrawn, with legal basis and dates.

The participant's flags are what matching reads; every change to them here also writes a
``change_log`` row, so a withdrawal takes a person out of every ranking at once.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from kai_match.audit import service as audit
from kai_match.errors import Conflict, FieldError, InvalidInput
from kai_match.kit import changes
from kai_match.kit.principal import Principal
from kai_match.kit.versioning import bump_version, lock_for_write
from kai_match.models import ConsentRecord, Participant
from kai_match.models.consent import (
    ConsentGiven,
    ConsentPurpose,
    ConsentRecordPublic,
    ConsentWithdrawal,
    LegalBasis,
)

_FLAGS = {
    ConsentPurpose.processing: "consent_processing",
    ConsentPurpose.share_with_employers: "consent_share_with_employers",
}


def give_consent(
    *, session: Session, participant: Participant, data: ConsentGiven, principal: Principal
) -> ConsentRecordPublic:
    """Record a consent and switch the matching flag on."""
    participant = lock_for_write(session, participant)
    _refuse_erased(participant)
    if data.purpose == ConsentPurpose.share_with_employers and not participant.consent_processing:
        raise InvalidInput(
            detail="Sharing with employers needs consent to processing first.",
            errors=[FieldError("purpose", "requires consent to processing")],
        )
    given_on = data.given_on or date.today()
    row = _add_record(session, participant, data.purpose, given_on, principal, data.legal_basis)
    setattr(participant, _FLAGS[data.purpose], True)
    if data.purpose == ConsentPurpose.processing:
        participant.consent_given_on = given_on
    _touch(session, participant, principal, "consent_give", data.purpose)
    session.flush()
    return record_public(row)


def withdraw_consent(
    *, session: Session, participant: Participant, data: ConsentWithdrawal, principal: Principal
) -> list[ConsentRecordPublic]:
    """Withdraw (processing takes sharing along); the person leaves rankings at once."""
    participant = lock_for_write(session, participant)
    _refuse_erased(participant)
    purposes = (
        [ConsentPurpose.processing, ConsentPurpose.share_with_employers]
        if data.purpose == ConsentPurpose.processing
        else [ConsentPurpose.share_with_employers]
    )
    _close_records(session, participant, purposes, data.withdrawn_on or date.today())
    for purpose in purposes:
        setattr(participant, _FLAGS[purpose], False)
    _touch(session, participant, principal, "consent_withdraw", *purposes)
    session.flush()
    return list_consents(session=session, participant=participant)


def read_consents(
    *, session: Session, participant: Participant, principal: Principal
) -> list[ConsentRecordPublic]:
    """The person's consent records for a caller, audited like every read of their data."""
    audit.record_reads(session, principal, [participant.public_id], "full", "consent_read")
    return list_consents(session=session, participant=participant)


def list_consents(*, session: Session, participant: Participant) -> list[ConsentRecordPublic]:
    query = (
        select(ConsentRecord)
        .where(ConsentRecord.participant_id == participant.id)
        .order_by(col(ConsentRecord.id))
    )
    return [record_public(r) for r in session.exec(query)]


def sync_flags(
    session: Session, participant: Participant, before: tuple[bool, bool], principal: Principal
) -> None:
    """Records for flags changed through the participant body (inside the caller's transaction)."""
    after = (participant.consent_processing, participant.consent_share_with_employers)
    for purpose, was, now in zip(_FLAGS, before, after, strict=True):
        if now and not was:
            given_on = participant.consent_given_on or date.today()
            _add_record(session, participant, purpose, given_on, principal, LegalBasis.consent)
        elif was and not now:
            _close_records(session, participant, [purpose], date.today())


def record_public(row: ConsentRecord) -> ConsentRecordPublic:
    return ConsentRecordPublic.model_validate(row.model_dump(exclude={"participant_id"}))


def _add_record(
    session: Session,
    participant: Participant,
    purpose: ConsentPurpose,
    given_on: date,
    principal: Principal,
    legal_basis: LegalBasis,
) -> ConsentRecord:
    assert participant.id is not None
    row = ConsentRecord(
        participant_id=participant.id,
        purpose=purpose,
        legal_basis=legal_basis,
        given_on=given_on,
        recorded_by=principal.actor,
    )
    session.add(row)
    session.flush()
    return row


def _close_records(
    session: Session, participant: Participant, purposes: list[ConsentPurpose], on: date
) -> None:
    query = select(ConsentRecord).where(
        ConsentRecord.participant_id == participant.id,
        col(ConsentRecord.purpose).in_([str(p) for p in purposes]),
        col(ConsentRecord.withdrawn_on).is_(None),
    )
    for row in session.exec(query):
        row.withdrawn_on = max(on, row.given_on)
        session.add(row)


def _touch(
    session: Session, participant: Participant, principal: Principal, action: str, *purposes: str
) -> None:
    assert participant.id is not None
    bump_version(participant)
    session.add(participant)
    changes.record(session, "participant", participant.id)
    audit.record(session, principal, action, [participant.public_id], [str(p) for p in purposes])


def _refuse_erased(participant: Participant) -> None:
    if participant.erased_at is not None:
        raise Conflict(
            detail="This profile was erased; consents can no longer be recorded.",
            errors=[FieldError("participant_id", "is erased")],
        )
