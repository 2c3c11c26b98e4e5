"""Server-side console sessions: the cookie carries a random token, the database its hash.

Kept in the database, not in the process, so every worker sees the same sessions and a
sign-out, a password reset or a disabled account ends them everywhere at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, delete, select

from kai_match.models import ConsoleSession, UserAccount
from kai_match.models.common import utcnow

COOKIE = "kai_console"
# last_seen is written at most this often: a page view should not always be a write.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Lifetime:
    """How long a session lasts: idle time, and the latest end however busy it is."""

    idle: timedelta
    absolute: timedelta


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, account: UserAccount, lifetime: Lifetime) -> str:
    """A new session for ``account``; the token for the cookie (shown once, never stored)."""
    assert account.id is not None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        ConsoleSession(
            token_hash=_digest(token),
            account_id=account.id,
            created_at=now,
            last_seen=now,
            expires_at=now + lifetime.absolute,
        )
    )
    return token


def resolve(
    session: Session, token: str | None, lifetime: Lifetime, *, now: datetime | None = None
) -> UserAccount | None:
    """The account signed in with ``token``, or None (unknown, idle too long, past its end,
    account disabled); a dead session row is removed."""
    if not token or len(token) > 100:
        return None
    now = now or utcnow()
    row = session.get(ConsoleSession, _digest(token))
    if row is None:
        return None
    account = session.get(UserAccount, row.account_id)
    last_seen, expires = as_utc(row.last_seen), as_utc(row.expires_at)
    if account is None or account.disabled_at is not None or expires <= now:
        session.delete(row)
        return None
    if now - last_seen > lifetime.idle:
        session.delete(row)
        return None
    if now - last_seen > TOUCH_EVERY:
        row.last_seen = now
        session.add(row)
    return account


def close_session(session: Session, token: str | None) -> None:
    """Sign-out: the session ends here and on every worker."""
    if token:
        session.exec(delete(ConsoleSession).where(ConsoleSession.token_hash == _digest(token)))


def sessions_of(session: Session, account_id: int) -> list[ConsoleSession]:
    return list(session.exec(select(ConsoleSession).where(ConsoleSession.account_id == account_id)))


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
