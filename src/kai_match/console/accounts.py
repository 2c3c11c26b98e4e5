"""Console accounts: created by an admin, signed in with a password, locked after failures.

The roles and site binding are the API's: a counsellor account acts as a counsellor of its
site through the same services and scopes (``principal_of``). Passwords are hashed with argon2
like API keys; a wrong name costs the same hash as a wrong password, so timing does not tell
which names exist.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache

import argon2
from sqlmodel import Session, delete, select

from kai_match.console.sessions import as_utc
from kai_match.errors import Conflict, FieldError, InvalidInput, NotFound
from kai_match.kit.principal import Principal
from kai_match.models import ConsoleSession, UserAccount
from kai_match.models.api_key import Role
from kai_match.models.common import Site, utcnow

ACCOUNT_ROLES = (Role.counsellor, Role.admin)
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 12


class SignInRefused(Exception):
    """Name and password do not open the console; ``locked_until`` when the account is locked."""

    def __init__(self, locked_until: datetime | None = None) -> None:
        super().__init__("sign-in refused")
        self.locked_until = locked_until


@cache
def _hasher(cheap: bool) -> argon2.PasswordHasher:
    # The cheapest profile is for test suites only (KAI_ENVIRONMENT=test), as for API keys.
    profile = argon2.profiles.CHEAPEST if cheap else argon2.profiles.RFC_9106_LOW_MEMORY
    return argon2.PasswordHasher.from_parameters(profile)


@cache
def _dummy_hash(cheap: bool) -> str:
    return _hasher(cheap).hash("not a password of anyone")


def check_new_account(username: str, role: str, site: str | None, password: str) -> None:
    """All rule violations of a new account at once, as field errors (a 422)."""
    errors = []
    if not USERNAME.match(username):
        errors.append(
            FieldError("username", "3–64 characters: lower-case letters, digits, '.', '_', '-'")
        )
    if role not in ACCOUNT_ROLES:
        errors.append(FieldError("role", "must be counsellor or admin"))
    if role == Role.counsellor and site not in {s.value for s in Site}:
        errors.append(FieldError("site", "a counsellor needs one of: " + ", ".join(Site)))
    if role == Role.admin and site is not None:
        errors.append(FieldError("site", "admins are not bound to a site"))
    errors += _password_errors(password)
    if errors:
        raise InvalidInput(detail="The account could not be created.", errors=errors)


def _password_errors(password: str) -> list[FieldError]:
    if len(password) < MIN_PASSWORD:
        return [FieldError("password", f"must be at least {MIN_PASSWORD} characters")]
    return []


def create_account(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: str,
    site: str | None,
    password: str,
    cheap: bool = False,
) -> UserAccount:
    """A new account; the name is unique (409 naming it when taken)."""
    check_new_account(username, role, site, password)
    if session.exec(select(UserAccount.id).where(UserAccount.username == username)).first():
        raise Conflict(
            detail=f"An account named {username!r} exists already.",
            errors=[FieldError("username", "is taken")],
        )
    account = UserAccount(
        username=username,
        display_name=display_name.strip() or username,
        role=role,
        site=site,
        password_hash=_hasher(cheap).hash(password),
    )
    session.add(account)
    session.flush()
    return account


def find_account(session: Session, username: str) -> UserAccount:
    account = session.exec(select(UserAccount).where(UserAccount.username == username)).first()
    if account is None:
        raise NotFound(detail=f"No account named {username!r}.")
    return account


def reset_password(
    session: Session, username: str, password: str, *, cheap: bool = False
) -> UserAccount:
    """A new password: unlocks the account and ends its sessions (a stolen one stops here)."""
    errors = _password_errors(password)
    if errors:
        raise InvalidInput(detail="The password could not be set.", errors=errors)
    account = find_account(session, username)
    account.password_hash = _hasher(cheap).hash(password)
    account.password_changed_at = utcnow()
    account.failed_attempts = 0
    account.locked_until = None
    session.add(account)
    session.exec(delete(ConsoleSession).where(ConsoleSession.account_id == account.id))
    session.flush()
    return account


def bind_site(session: Session, username: str, site: str) -> UserAccount:
    """Move a counsellor to another site; their sessions end (the reach changed)."""
    account = find_account(session, username)
    if account.role != Role.counsellor:
        raise InvalidInput(
            detail="Only counsellors are bound to a site.",
            errors=[FieldError("site", "admins are not bound to a site")],
        )
    if site not in {s.value for s in Site}:
        raise InvalidInput(
            detail="Unknown site.", errors=[FieldError("site", "must be one of " + ", ".join(Site))]
        )
    account.site = site
    session.add(account)
    session.exec(delete(ConsoleSession).where(ConsoleSession.account_id == account.id))
    session.flush()
    return account


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    max_attempts: int,
    lockout: timedelta,
    cheap: bool = False,
    now: datetime | None = None,
) -> UserAccount:
    """The account if name and password fit; counts failures and locks after ``max_attempts``.

    A locked account is refused even with the right password until the lock ends, so guessing
    gets ``max_attempts`` tries per lock-out period.
    """
    now = now or utcnow()
    account = session.exec(select(UserAccount).where(UserAccount.username == username)).first()
    hasher = _hasher(cheap)
    if account is None or account.disabled_at is not None:
        _verify(hasher, _dummy_hash(cheap), password)
        raise SignInRefused()
    if account.locked_until is not None and as_utc(account.locked_until) > now:
        raise SignInRefused(account.locked_until)
    if not _verify(hasher, account.password_hash, password):
        account.failed_attempts += 1
        if account.failed_attempts >= max_attempts:
            account.locked_until = now + lockout
            account.failed_attempts = 0
        session.add(account)
        raise SignInRefused(account.locked_until)
    account.failed_attempts = 0
    account.locked_until = None
    session.add(account)
    return account


def _verify(hasher: argon2.PasswordHasher, stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except argon2.exceptions.VerificationError:
        return False
    except argon2.exceptions.InvalidHashError:
        return False


def principal_of(account: UserAccount, route: str, request_id: str | None = None) -> Principal:
    """The caller the services see for a signed-in person: same role and site as an API key."""
    return Principal(
        role=Role(account.role),
        actor=f"user:{account.username}",
        site=account.site,
        route=route,
        request_id=request_id,
    )
