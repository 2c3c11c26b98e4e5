"""Data-subject rights: export (GDPR Art. 15), erasure (Art. 17) and the retention run.

Erasure removes the personal row and every free text that may name the person, archives the
profile and keeps the pseudonymous rest (public_id, levels, skills by id, outcomes), so outcome
statistics stay correct without anyone being identifiable. The pseudonyms given to employers,
partner systems and analysts are deleted, so what they hold can no longer be linked to it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Table, delete, update
from sqlmodel import Session, col, select

from kai_match.api import idempotency_store as idempotency
from kai_match.audit import service as audit
from kai_match.errors import Forbidden
from kai_match.external_refs import service as refs
from kai_match.kit import changes
from kai_match.kit.principal import Principal
from kai_match.kit.versioning import bump_version, lock_for_write
from kai_match.models import (
    Participant,
    ParticipantOccupation,
    ParticipantPersonal,
    ParticipantSkill,
    metadata,
)
from kai_match.models.api_key import Role
from kai_match.models.common import ParticipantStatus, utcnow
from kai_match.models.external_ref import RefResource
from kai_match.models.gdpr import ParticipantExport, StoredAnswerOut
from kai_match.models.participant import PseudonymOut
from kai_match.participants import pseudonyms
from kai_match.participants.consents import list_consents
from kai_match.participants.views import views_for

RETENTION = Principal(role=Role.admin, actor="retention", route="CLI retention run")

# Tables whose rows the export already shows in its own sections.
_SHOWN = {
    "participant",
    "participant_personal",
    "participant_language",
    "participant_skill",
    "participant_occupation",
    "participant_pseudonym",
    "consent_record",
}
# Free-text columns of related tables (placements, …) that erasure clears.
_FREE_TEXT = {
    "note",
    "notes",
    "comment",
    "comments",
    "remark",
    "remarks",
    "free_text",
    "override_reason",
}


def export_participant(
    *,
    session: Session,
    participant: Participant,
    principal: Principal,
    ttl: timedelta = timedelta(hours=24),
) -> ParticipantExport:
    """All data about the person, including who read or changed it (this export too)."""
    audit.record(session, principal, "export", [participant.public_id], ["all"])
    session.flush()
    assert participant.id is not None
    given = pseudonyms.given_out(session, [participant.id])[participant.id]
    document = ParticipantExport(
        exported_at=utcnow(),
        participant=views_for(session, [participant], principal)[0],
        consents=list_consents(session=session, participant=participant),
        pseudonyms=given,
        audit=audit.entries_about(session, participant.public_id),
        stored_answers=_stored_answers(session, participant, given, ttl),
        related={
            table.name: _rows_of(session, table, participant.id) for table in _related_tables()
        },
    )
    session.flush()
    return document


def _stored_answers(
    session: Session, participant: Participant, given: list[PseudonymOut], ttl: timedelta
) -> list[StoredAnswerOut]:
    """Answers kept for retries that name the person by any id it was given out under."""
    needles = [participant.public_id, *(p.pseudonym for p in given)]
    return [
        StoredAnswerOut(
            method=row.method,
            path=row.path,
            stored_at=row.created_at,
            deleted_after=row.created_at + ttl,
        )
        for row in idempotency.answers_naming(session=session, needles=needles)
    ]


def erase_participant(*, session: Session, participant: Participant, principal: Principal) -> None:
    """Delete personal data for good (Art. 17); the pseudonymous profile stays, archived.

    Irreversible, so admins only (counsellors archive; an admin erases on request).
    """
    if principal.role != Role.admin:
        raise Forbidden(detail="Only admins erase personal data; archive the profile instead.")
    participant = lock_for_write(session, participant)
    pid = participant.id
    assert pid is not None
    session.exec(delete(ParticipantPersonal).where(col(ParticipantPersonal.participant_id) == pid))
    session.exec(
        update(ParticipantSkill)
        .where(col(ParticipantSkill.participant_id) == pid)
        .values(name=None)
    )
    session.exec(
        update(ParticipantOccupation)
        .where(col(ParticipantOccupation.participant_id) == pid)
        .values(name=None)
    )
    for table in _related_tables():
        texts = {c.name: None for c in table.columns if c.name in _FREE_TEXT and c.nullable}
        if texts:
            session.exec(update(table).where(table.c.participant_id == pid).values(**texts))
    refs.forget(session, RefResource.participant, pid)  # a customer number identifies the person
    now = utcnow()
    participant.counsellor = None
    participant.status = ParticipantStatus.archived
    participant.archived_at = participant.archived_at or now
    participant.erased_at = now
    bump_version(participant)
    session.add(participant)
    changes.record(session, "participant", pid)
    # Ids given out before can no longer be linked to the profile (participants.pseudonyms).
    for known_as in [participant.public_id, *pseudonyms.forget(session, pid)]:
        idempotency.forget_answers_naming(session=session, needle=known_as)
    audit.record(session, principal, "erase", [participant.public_id], ["personal", "free_text"])
    session.flush()


def run_retention(*, session: Session, retention_days: int, dry_run: bool = False) -> list[str]:
    """Erase profiles archived longer than ``retention_days``; answers their public ids."""
    cutoff = utcnow() - timedelta(days=retention_days)
    query = (
        select(Participant)
        .where(
            Participant.status == ParticipantStatus.archived,
            col(Participant.erased_at).is_(None),
            col(Participant.archived_at) < cutoff,
        )
        .order_by(col(Participant.id))
    )
    due = list(session.exec(query))
    if not dry_run:
        for participant in due:
            erase_participant(session=session, participant=participant, principal=RETENTION)
    return [p.public_id for p in due]


def _related_tables() -> list[Table]:
    return [
        t for t in metadata.sorted_tables if "participant_id" in t.columns and t.name not in _SHOWN
    ]


def _rows_of(session: Session, table: Table, participant_id: int | None) -> list[dict[str, Any]]:
    result = session.connection().execute(
        table.select().where(table.c.participant_id == participant_id)
    )
    return [dict(row._mapping) for row in result]
