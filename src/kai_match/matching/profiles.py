"""Weight profiles: versioned, immutable, one active; every ranking names the one it used."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from kai_match.errors import Conflict, FieldError, InvalidInput, NotFound
from kai_match.kit import changes
from kai_match.kit.pagination import Page, PageRequest, page_of
from kai_match.models import WeightProfileRecord
from kai_match.models.common import utcnow
from kai_match.models.weight_profile import WeightProfileCreate, WeightProfilePublic
from kai_match.scoring import DEFAULT_PROFILE, ProfileError, WeightProfile


def ensure_default_profile(*, session: Session) -> None:
    """A fresh database gets the built-in profile, active, so rankings work at once."""
    if session.exec(select(func.count()).select_from(WeightProfileRecord)).one():
        return
    session.add(
        WeightProfileRecord(
            name=DEFAULT_PROFILE.name,
            version=DEFAULT_PROFILE.version,
            description="Built-in defaults (see docs/scoring.md).",
            config=DEFAULT_PROFILE.to_dict(),
            active=True,
            activated_at=utcnow(),
        )
    )
    session.flush()


def create_profile(*, session: Session, data: WeightProfileCreate) -> WeightProfilePublic:
    """Store the next version of ``data.name``; earlier versions stay as they were."""
    latest = session.exec(
        select(func.max(WeightProfileRecord.version)).where(WeightProfileRecord.name == data.name)
    ).one()
    version = (latest or 0) + 1
    body = data.model_dump(exclude_none=True, exclude={"description"})
    body["version"] = version
    try:
        profile = WeightProfile.from_dict(body, refuse_softened=True)
    except ProfileError as exc:
        raise InvalidInput(
            detail="The weight profile is not valid.",
            errors=[FieldError(path or "body", message) for path, message in exc.errors],
        ) from exc
    record = WeightProfileRecord(
        name=profile.name, version=version, description=data.description, config=profile.to_dict()
    )
    session.add(record)
    session.flush()
    return profile_public(record)


def list_profiles(
    *, session: Session, page: PageRequest, name: str | None = None
) -> Page[WeightProfilePublic]:
    """Oldest first (so one name's versions ascend), a page at a time like every list."""
    query = select(WeightProfileRecord).order_by(col(WeightProfileRecord.id))
    if page.after_id is not None:
        query = query.where(col(WeightProfileRecord.id) > page.after_id)
    if name:
        query = query.where(WeightProfileRecord.name == name)
    rows, cursor = page_of(list(session.exec(query.limit(page.limit + 1))), page.limit, _id)
    return Page(items=[profile_public(r) for r in rows], next_cursor=cursor)


def _id(record: WeightProfileRecord) -> int:
    assert record.id is not None
    return record.id


def get_profile_record(*, session: Session, profile_id: int) -> WeightProfileRecord:
    record = session.get(WeightProfileRecord, profile_id)
    if record is None:
        raise NotFound(detail=f"Weight profile {profile_id} does not exist.")
    return record


def activate_profile(*, session: Session, record: WeightProfileRecord) -> WeightProfilePublic:
    """Make ``record`` the one active profile; every ranking changes with it."""
    for other in session.exec(select(WeightProfileRecord).where(WeightProfileRecord.active)):
        other.active = False
        session.add(other)
    record.active = True
    record.activated_at = utcnow()
    session.add(record)
    assert record.id is not None
    changes.record(session, "weight_profile", record.id)
    session.flush()
    return profile_public(record)


def delete_profile(*, session: Session, record: WeightProfileRecord) -> None:
    """Only a profile that never produced a ranking may go; used ones must stay reproducible."""
    if record.used or record.active:
        raise Conflict(
            detail="This profile version is active or has produced rankings; it is kept.",
            errors=[FieldError("id", "is active or used")],
        )
    session.delete(record)
    session.flush()


def resolve_profile(
    *, session: Session, name: str | None = None, version: int | None = None
) -> tuple[WeightProfileRecord, WeightProfile]:
    """The active profile, or the named one (latest version unless given) for what-if rankings."""
    if name is None and version is not None:
        raise InvalidInput(errors=[FieldError("version", "needs profile as well")])
    query = select(WeightProfileRecord)
    if name is None:
        query = query.where(WeightProfileRecord.active)
    else:
        query = query.where(WeightProfileRecord.name == name)
        if version is not None:
            query = query.where(WeightProfileRecord.version == version)
    record = session.exec(query.order_by(col(WeightProfileRecord.version).desc())).first()
    if record is None:
        if name is None:
            ensure_default_profile(session=session)
            return resolve_profile(session=session)
        field = "version" if version is not None else "profile"
        raise InvalidInput(
            detail="No such weight profile.", errors=[FieldError(field, "no such weight profile")]
        )
    return record, _parsed(record)


# Stored versions never change, so each is parsed and validated once per process rather than on
# every ranking. The creation time is part of the key because an unused version may be deleted
# and its id (and name + version) handed out again.
_PARSED: dict[tuple, WeightProfile] = {}
_PARSED_MAX = 256


def _parsed(record: WeightProfileRecord) -> WeightProfile:
    key = (record.id, record.name, record.version, record.created_at)
    profile = _PARSED.get(key)
    if profile is None:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        profile = _PARSED[key] = WeightProfile.from_dict(record.config)
    return profile


def mark_used(*, session: Session, record: WeightProfileRecord) -> None:
    """Remember that a ranking came from this version, which makes it undeletable.

    Only the active version is marked: what-if rankings with a draft leave it deletable, so
    trying a draft out cannot pile up versions that must be kept for ever.
    """
    if record.active and not record.used:
        record.used = True
        session.add(record)
        session.flush()


def profile_public(record: WeightProfileRecord) -> WeightProfilePublic:
    config = record.config
    assert record.id is not None
    return WeightProfilePublic(
        id=record.id,
        name=record.name,
        version=record.version,
        description=record.description,
        active=record.active,
        used=record.used,
        created_at=record.created_at,
        activated_at=record.activated_at,
        weights=config["weights"],
        hard_constraints=config["hard_constraints"],
        permit_rules=config["permit_rules"],
        params=config["params"],
    )
