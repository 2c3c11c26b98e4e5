"""Create or replace the record an external reference names (``PUT …/by-ref/{system}/{id}``).

One flow for participants, employers and vacancies, so that the three answer alike: 201 when
the reference was new, 200 when the record was replaced, and ``unchanged`` (for the bulk
report) when the replacement equals what was stored — then nothing is written, not even a new
version, so a nightly re-import of the same file leaves no trace in ETags or the change feed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel
from sqlmodel import Session

from kai_match.errors import Conflict, FieldError, Forbidden
from kai_match.external_refs import service as refs
from kai_match.kit.principal import Principal
from kai_match.models.external_ref import ExternalRef, RefResource

Record = TypeVar("Record")
Public = TypeVar("Public", bound=BaseModel)

# Fields a replacement with equal content may still change: they say when, not what.
VOLATILE_FIELDS = {"updated_at", "created_at"}


class Outcome(StrEnum):
    created = "created"
    updated = "updated"
    unchanged = "unchanged"


@dataclass(frozen=True)
class Upserted(Generic[Public]):
    public: Public
    outcome: Outcome


@dataclass(frozen=True)
class UpsertSteps(Generic[Record, Public]):
    """What the upsert needs of one domain's service."""

    resource: RefResource
    create: Callable[[], Public]
    load: Callable[[int], Record | None]  # None: outside the caller's reach
    replace: Callable[[Record], Public]
    public_of: Callable[[Record], Public]


def with_ref(refs_given: list[ExternalRef], system: str, ref_id: str) -> list[ExternalRef]:
    """The body's references plus the one in the path (a PUT by reference always keeps it)."""
    if any(r.system == system and r.id == ref_id for r in refs_given):
        return list(refs_given)
    return [*refs_given, ExternalRef(system=system, id=ref_id)]


def upsert(
    session: Session,
    steps: UpsertSteps[Record, Public],
    *,
    system: str,
    ref_id: str,
    principal: Principal | None,
) -> Upserted[Public]:
    if principal is not None and not principal.may_set_ref(system):
        raise Forbidden(
            detail="The key may not set references of this system; an admin configures the "
            "systems on the key (ref_systems).",
            errors=[FieldError("system", f"this key may not set references of '{system}'")],
        )
    refs.serialise_upserts(session, steps.resource, system, ref_id)
    found = refs.find(session, steps.resource, system, ref_id)
    if found is None:
        return Upserted(steps.create(), Outcome.created)
    record = steps.load(found)
    if record is None:
        raise Conflict(
            detail=f"The reference {system}/{ref_id} names {steps.resource.value} {found}, "
            "which this key may not change.",
            errors=[FieldError("ref_id", f"names {steps.resource.value} {found}")],
        )
    before = _content(steps.public_of(record))
    savepoint = session.begin_nested()
    after = steps.replace(record)
    if _content(after) == before:
        savepoint.rollback()
        session.refresh(record)
        return Upserted(steps.public_of(record), Outcome.unchanged)
    savepoint.commit()
    return Upserted(after, Outcome.updated)


def _content(public: BaseModel) -> dict:
    return public.model_dump(exclude=VOLATILE_FIELDS)
