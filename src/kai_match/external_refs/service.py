"""Reading, checking and replacing external references; finding a record by one.

A write names the references of the systems its caller may set (``Principal.ref_systems``)
and keeps the others: a job centre's key must not wipe the BA's reference by omission.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select, text
from sqlmodel import Session

from kai_match.errors import Conflict, FieldError, Forbidden, NotFound
from kai_match.kit.principal import Principal
from kai_match.models.external_ref import ExternalRef, ExternalRefRow, RefResource


def refs_by_owner(
    session: Session, resource: RefResource, ids: Iterable[int | None]
) -> dict[int, list[ExternalRef]]:
    """``{record id: [reference, …]}`` ordered by system and id; records without are absent."""
    wanted = [i for i in ids if i is not None]
    grouped: dict[int, list[ExternalRef]] = defaultdict(list)
    if not wanted:
        return grouped
    query = (
        select(ExternalRefRow.resource_id, ExternalRefRow.system, ExternalRefRow.ref_id)
        .where(ExternalRefRow.resource == resource.value, ExternalRefRow.resource_id.in_(wanted))
        .order_by(ExternalRefRow.system, ExternalRefRow.ref_id)
    )
    for owner, system, ref_id in session.execute(query):
        grouped[owner].append(ExternalRef.model_construct(system=system, id=ref_id))
    return grouped


def find(session: Session, resource: RefResource, system: str, ref_id: str) -> int | None:
    """The id of the record this reference names, if any."""
    query = select(ExternalRefRow.resource_id).where(
        ExternalRefRow.resource == resource.value,
        ExternalRefRow.system == system,
        ExternalRefRow.ref_id == ref_id,
    )
    return session.execute(query).scalar_one_or_none()


def find_or_404(session: Session, resource: RefResource, system: str, ref_id: str) -> int:
    """The id of the record this reference names; 404 naming the reference otherwise."""
    found = find(session, resource, system, ref_id)
    if found is None:
        raise NotFound(detail=f"No {resource.value} has the reference {system}/{ref_id}.")
    return found


def check_may_set(
    principal: Principal | None, refs: Sequence[ExternalRef], field: str = "external_refs"
) -> None:
    """403 naming each reference of a system the caller's key is not configured for."""
    if principal is None:
        return
    errors = [
        FieldError(f"{field}[{index}].system", f"this key may not set references of '{ref.system}'")
        for index, ref in enumerate(refs)
        if not principal.may_set_ref(ref.system)
    ]
    if errors:
        allowed = ", ".join(sorted(principal.ref_systems or ())) or "none"
        raise Forbidden(
            detail=f"The key may set references of these systems only: {allowed}. An admin "
            "configures them on the key (ref_systems).",
            errors=errors,
        )


def check_unique(refs: Sequence[ExternalRef], field: str = "external_refs") -> list[FieldError]:
    """A record names each (system, id) once."""
    seen: set[tuple[str, str]] = set()
    errors = []
    for index, ref in enumerate(refs):
        if (ref.system, ref.id) in seen:
            errors.append(FieldError(f"{field}[{index}]", "names the same reference twice"))
        seen.add((ref.system, ref.id))
    return errors


def replace(
    session: Session,
    resource: RefResource,
    resource_id: int,
    refs: Sequence[ExternalRef] | None,
    principal: Principal | None,
    field: str = "external_refs",
) -> None:
    """Set the record's references of the systems the caller may set; ``None``: leave them.

    A reference already naming another record of the same type is a 409 that names both.
    """
    if refs is None:
        return
    check_may_set(principal, refs, field)
    for index, ref in enumerate(refs):
        owner = find(session, resource, ref.system, ref.id)
        if owner is not None and owner != resource_id:
            raise Conflict(
                detail=f"The reference {ref.system}/{ref.id} already names {resource.value} "
                f"{owner}.",
                errors=[FieldError(f"{field}[{index}]", f"already names {resource.value} {owner}")],
            )
    stored = select(ExternalRefRow).where(
        ExternalRefRow.resource == resource.value, ExternalRefRow.resource_id == resource_id
    )
    keep = {(r.system, r.id) for r in refs}
    for row in session.execute(stored).scalars():
        settable = principal is None or principal.may_set_ref(row.system)
        if settable and (row.system, row.ref_id) not in keep:
            session.delete(row)
        keep.discard((row.system, row.ref_id))
    for system, ref_id in sorted(keep):
        session.add(
            ExternalRefRow(
                resource=resource.value, resource_id=resource_id, system=system, ref_id=ref_id
            )
        )
    session.flush()


def move(session: Session, resource: RefResource, source_id: int, target_id: int) -> None:
    """Give ``source_id``'s references to ``target_id`` (merging two records)."""
    rows = select(ExternalRefRow).where(
        ExternalRefRow.resource == resource.value, ExternalRefRow.resource_id == source_id
    )
    for row in session.execute(rows).scalars():
        row.resource_id = target_id
        session.add(row)
    session.flush()


def forget(session: Session, resource: RefResource, resource_id: int) -> None:
    """Remove a record's references (erasure: a job centre number is personal data)."""
    session.execute(
        delete(ExternalRefRow).where(
            ExternalRefRow.resource == resource.value, ExternalRefRow.resource_id == resource_id
        )
    )


def serialise_upserts(session: Session, resource: RefResource, system: str, ref_id: str) -> None:
    """Make concurrent upserts of one reference wait for each other (PostgreSQL).

    Without it two first PUTs of the same reference would both find nothing and both create;
    the unique index would refuse the second with a 409 the partner did not cause. SQLite's
    write lock (``BEGIN IMMEDIATE``) already serialises whole transactions.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    key = zlib.crc32(f"ref:{resource.value}:{system}:{ref_id}".encode())
    session.execute(
        text("SELECT pg_advisory_xact_lock(:space, :key)"), {"space": 7301, "key": key - 2**31}
    )
