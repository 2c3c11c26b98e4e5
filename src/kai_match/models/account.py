"""People who sign in to the console: accounts with a password, and their server-side sessions.

API keys are for systems; counsellors and admins are people, who sign in with a name and a
password (argon2 hash, never the password) and keep a session for a working day. A session row
holds only the SHA-256 of the cookie's token, so a copy of the database opens no session.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import utcnow


class UserAccount(SQLModel, table=True):
    """A counsellor (bound to one site) or an admin; the roles and scopes are the API's."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    display_name: str = Field(max_length=200)
    role: str = Field(max_length=16)
    site: str | None = Field(default=None, max_length=32)
    password_hash: str = Field(max_length=200)
    failed_attempts: int = 0
    locked_until: datetime | None = None
    disabled_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime = Field(default_factory=utcnow)


class ConsoleSession(SQLModel, table=True):
    """One signed-in browser: ends at sign-out, after the idle time, or at its latest end."""

    __tablename__ = "console_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    account_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    created_at: datetime = Field(default_factory=utcnow)
    last_seen: datetime = Field(default_factory=utcnow)
    expires_at: datetime
