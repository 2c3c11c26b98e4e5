"""One page view: the signed-in person, the caller the services see, one transaction.

Each page runs in one transaction, so its audit entries commit with the page that shows the
data; a page without a live session is answered with a redirect to the sign-in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request
from sqlmodel import Session

from kai_match.config import Settings
from kai_match.console import accounts, labels, sessions
from kai_match.console.rendering import PREFIX, SignInNeeded, render
from kai_match.kit import signing
from kai_match.kit.principal import Principal
from kai_match.models import UserAccount


@dataclass(frozen=True)
class Visit:
    """One page view by a signed-in person: their account, the caller, the transaction."""

    account: UserAccount
    principal: Principal
    db: Session


def root_app(request: Request):
    return request.app.state.root


def settings_of(request: Request) -> Settings:
    return root_app(request).state.settings


def lifetime_of(settings: Settings) -> sessions.Lifetime:
    return sessions.Lifetime(
        idle=timedelta(minutes=settings.console_idle_minutes),
        absolute=timedelta(hours=settings.console_session_hours),
    )


@contextmanager
def transaction(request: Request) -> Iterator[Session]:
    """The page's transaction, with the service's signing keys bound (rankings sign cursors)."""
    state = root_app(request).state
    with (
        signing.bound(state.cursor_keys),
        Session(state.engine, expire_on_commit=False) as db,
        db.begin(),
    ):
        yield db


@contextmanager
def signed_in_visit(request: Request, route: str) -> Iterator[Visit]:
    """The signed-in person's page view, or a redirect to the sign-in page."""
    with transaction(request) as db:
        token = request.cookies.get(sessions.COOKIE)
        account = sessions.resolve(db, token, lifetime_of(settings_of(request)))
        if account is None:
            db.commit()  # a dead session row is removed even though the page is refused
            raise SignInNeeded()
        request_id = request.headers.get("x-request-id")
        principal = accounts.principal_of(account, f"{request.method} {PREFIX}{route}", request_id)
        yield Visit(account, principal, db)


def render_page(visit: Visit, request: Request, name: str, context: dict, status: int = 200):
    return render(request, name, {"account": visit.account, "labels": labels, **context}, status)
