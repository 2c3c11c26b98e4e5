"""API keys: create (secret shown once), list, revoke, and verify a presented key.

A key reads ``kai_<prefix>_<secret>``. The prefix is not secret: it finds the row with one
indexed lookup, so verifying a key is one argon2 check, never a scan over all hashes. A
process remembers keys it has verified (by a SHA-256 of the key, for a bounded number of keys),
so argon2's deliberate slowness is paid once per key and process, not on every request; the
row is still read on every request, so a revocation takes effect at once in every worker.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable

import argon2
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from kai_match.audit.service import record as audit
from kai_match.errors import FieldError, InvalidInput, NotFound
from kai_match.kit.pagination import Page, PageRequest, page_of
from kai_match.kit.principal import Principal
from kai_match.models import ApiKey, Employer
from kai_match.models.api_key import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic, Role
from kai_match.models.common import utcnow

KEY_SCHEME = "kai"
_PREFIX_BYTES = 6  # 12 hex characters: 2^48 prefixes, collisions are retried


class KeyHasher:
    """argon2id hashing plus a per-process memory of keys already verified."""

    def __init__(self, *, cheap: bool = False, remember: int = 10_000) -> None:
        # The cheapest profile is for test suites only (the app uses it when KAI_ENVIRONMENT=test).
        profile = argon2.profiles.CHEAPEST if cheap else argon2.profiles.RFC_9106_LOW_MEMORY
        self._hasher = argon2.PasswordHasher.from_parameters(profile)
        self._verified: dict[int, bytes] = {}
        self._remember = remember
        self._lock = threading.Lock()

    def hash(self, secret: str) -> str:
        return self._hasher.hash(secret)

    def remembered(self, row: ApiKey, presented: str) -> bool:
        """True if this process verified ``presented`` for ``row`` before (no argon2 needed)."""
        assert row.id is not None
        known = self._verified.get(row.id)
        digest = hashlib.sha256(presented.encode()).digest()
        return known is not None and hmac.compare_digest(known, digest)

    def verify(self, row: ApiKey, secret: str, presented: str) -> bool:
        """True if ``secret`` belongs to ``row``; remembers the answer for this process."""
        assert row.id is not None
        if self.remembered(row, presented):
            return True
        try:
            self._hasher.verify(row.secret_hash, secret)
        except (VerificationError, InvalidHashError):
            return False
        digest = hashlib.sha256(presented.encode()).digest()
        with self._lock:
            if len(self._verified) >= self._remember:
                self._verified.clear()
            self._verified[row.id] = digest
        return True


def split_key(presented: str) -> tuple[str, str] | None:
    """``(prefix, secret)`` of a well-formed key, else None (then it is not one of ours)."""
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_SCHEME:
        return None
    prefix, secret = parts[1], parts[2]
    if len(prefix) != 2 * _PREFIX_BYTES or not secret or len(secret) > 200:
        return None
    return prefix, secret


def create_key(
    *, session: Session, data: ApiKeyCreate, hasher: KeyHasher, principal: Principal
) -> ApiKeyCreated:
    """Store a new key and answer with its secret, the only time it is ever shown."""
    errors: list[FieldError] = []
    if data.role == Role.counsellor and data.site is None:
        errors.append(FieldError("site", "is required for a counsellor key"))
    if data.role == Role.employer and data.employer_id is None:
        errors.append(FieldError("employer_id", "is required for an employer key"))
    if data.site is not None and data.role != Role.counsellor:
        errors.append(FieldError("site", "only counsellor keys are bound to a site"))
    if data.employer_id is not None and data.role != Role.employer:
        errors.append(FieldError("employer_id", "only employer keys are bound to an employer"))
    if (
        data.role == Role.employer
        and data.employer_id is not None
        and session.get(Employer, data.employer_id) is None
    ):
        errors.append(FieldError("employer_id", f"employer {data.employer_id} does not exist"))
    if errors:
        raise InvalidInput(detail="The API key could not be created.", errors=errors)

    prefix = _free_prefix(session)
    secret = secrets.token_urlsafe(32)
    row = ApiKey(
        prefix=prefix,
        secret_hash=hasher.hash(secret),
        role=data.role,
        site=data.site,
        employer_id=data.employer_id,
        label=data.label,
        ref_systems=sorted(set(data.ref_systems)),
        created_by=principal.actor,
    )
    session.add(row)
    session.flush()
    audit(session, principal, "key_create", fields=[f"key:{row.id}", f"role:{row.role}"])
    session.flush()
    return ApiKeyCreated(**key_public(row).model_dump(), key=f"{KEY_SCHEME}_{prefix}_{secret}")


def list_keys(
    *, session: Session, page: PageRequest, include_revoked: bool = False
) -> Page[ApiKeyPublic]:
    query = select(ApiKey).order_by(col(ApiKey.id))
    if page.after_id is not None:
        query = query.where(col(ApiKey.id) > page.after_id)
    if not include_revoked:
        query = query.where(col(ApiKey.revoked_at).is_(None))
    rows, cursor = page_of(list(session.exec(query.limit(page.limit + 1))), page.limit, _id)
    return Page(items=[key_public(r) for r in rows], next_cursor=cursor)


def get_key(*, session: Session, key_id: int) -> ApiKey:
    row = session.get(ApiKey, key_id)
    if row is None:
        raise NotFound(detail=f"API key {key_id} does not exist.")
    return row


def revoke_key(*, session: Session, key: ApiKey, principal: Principal) -> None:
    """Revoking twice is harmless; the row stays so audit entries keep naming a key."""
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.add(key)
        audit(session, principal, "key_revoke", fields=[f"key:{key.id}"])
        session.flush()


def revoke_keys_of_employer(*, session: Session, employer_id: int) -> None:
    """An employer that is deleted takes its keys along (inside the caller's transaction)."""
    query = select(ApiKey).where(
        ApiKey.employer_id == employer_id, col(ApiKey.revoked_at).is_(None)
    )
    for row in session.exec(query):
        row.revoked_at = utcnow()
        session.add(row)


def find_active_key(
    *,
    session: Session,
    presented: str,
    hasher: KeyHasher,
    before_hashing: Callable[[], None] | None = None,
) -> ApiKey | None:
    """The live key row ``presented`` belongs to, or None (unknown, wrong secret, revoked).

    ``before_hashing`` runs only when an argon2 check is due (a known prefix, a key this process
    has not verified yet); it may raise, e.g. to refuse a throttled caller before the cost.
    """
    parts = split_key(presented)
    if parts is None:
        return None
    prefix, secret = parts
    row = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if row is None or row.revoked_at is not None:
        return None
    if hasher.remembered(row, presented):
        return row
    if before_hashing is not None:
        before_hashing()
    return row if hasher.verify(row, secret, presented) else None


def has_active_admin_key(session: Session) -> bool:
    """Whether a real (revocable, audited) admin key exists, which retires the bootstrap key."""
    query = select(ApiKey.id).where(ApiKey.role == Role.admin, col(ApiKey.revoked_at).is_(None))
    return session.exec(query.limit(1)).first() is not None


def key_public(row: ApiKey) -> ApiKeyPublic:
    assert row.id is not None
    return ApiKeyPublic(
        id=row.id,
        prefix=row.prefix,
        role=Role(row.role),
        site=row.site,
        employer_id=row.employer_id,
        label=row.label,
        ref_systems=list(row.ref_systems or []),
        created_at=row.created_at,
        created_by=row.created_by,
        revoked_at=row.revoked_at,
    )


def _free_prefix(session: Session) -> str:
    while True:
        prefix = secrets.token_hex(_PREFIX_BYTES)
        if session.exec(select(ApiKey.id).where(ApiKey.prefix == prefix)).first() is None:
            return prefix


def _id(row: ApiKey) -> int | None:
    return row.id
