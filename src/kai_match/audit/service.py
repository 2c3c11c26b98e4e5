"""Audit log of reads and writes of participants' data: who, whom, what, when, which request.

Entries are added inside the caller's transaction, so a write and its audit entry commit or
roll back together; reads commit their entries themselves (``record_reads``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from kai_match.kit.pagination import Page, PageRequest, page_of
from kai_match.kit.principal import Principal
from kai_match.models import AuditEntry
from kai_match.models.audit import AuditEntryPublic
from kai_match.models.common import utcnow

AUDIT_TABLE = AuditEntry.__table__  # Core insert: no ORM bookkeeping for write-only rows


def record(
    session: Session,
    principal: Principal,
    action: str,
    public_ids: Iterable[str | None] = (None,),
    fields: list[str] | None = None,
) -> None:
    """One entry per person concerned; ``fields`` names fields or a view, never values.

    One batched INSERT in the caller's transaction: a ranking lists 20 people, and
    building 20 ORM objects for rows nobody reads back cost more than the ranking itself.
    """
    shared = {
        "at": utcnow(),
        "request_id": principal.request_id,
        "actor": principal.actor,
        "key_id": principal.key_id,
        "role": str(principal.role.value),
        "action": action,
        "route": principal.route or "-",
        "fields": sorted(fields) if fields is not None else None,
    }
    rows = [shared | {"public_id": public_id} for public_id in public_ids]
    if rows:
        session.execute(insert(AUDIT_TABLE), rows)


def record_reads(
    session: Session, principal: Principal, public_ids: Iterable[str], view: str, action: str
) -> None:
    """Audit a read in the request's transaction: it commits with the answer that shows the data."""
    ids = list(public_ids)
    if ids:
        record(session, principal, action, ids, [view])


def list_entries(
    *,
    session: Session,
    page: PageRequest,
    public_id: str | None = None,
    key_id: int | None = None,
    since: datetime | None = None,
) -> Page[AuditEntryPublic]:
    query = select(AuditEntry).order_by(col(AuditEntry.id))
    if page.after_id is not None:
        query = query.where(col(AuditEntry.id) > page.after_id)
    if public_id is not None:
        query = query.where(AuditEntry.public_id == public_id)
    if key_id is not None:
        query = query.where(AuditEntry.key_id == key_id)
    if since is not None:
        query = query.where(col(AuditEntry.at) >= since)
    rows, cursor = page_of(list(session.exec(query.limit(page.limit + 1))), page.limit, _id)
    return Page(items=[entry_public(r) for r in rows], next_cursor=cursor)


def entries_about(session: Session, public_id: str) -> list[AuditEntryPublic]:
    """Every entry about one person, oldest first (for the Art. 15 export)."""
    query = select(AuditEntry).where(AuditEntry.public_id == public_id).order_by(AuditEntry.id)
    return [entry_public(r) for r in session.exec(query)]


def entry_public(row: AuditEntry) -> AuditEntryPublic:
    return AuditEntryPublic.model_validate(row.model_dump())


def _id(row: AuditEntry) -> int | None:
    return row.id
