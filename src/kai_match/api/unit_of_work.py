"""The request's unit of work: one session per request, committed once when the route returns.

Services never commit. The route's session is committed at the end of the route function, in
the route's own worker thread, so the transaction ends (and releases its row locks) before the
answer is serialised. Committing later, in the session dependency's exit, would need another
thread of the shared pool for the serialisation first — and when every thread of that pool
waits for the locks this transaction holds (twenty requests booking one opening), nothing moves.
A failed commit raises, so the client gets a problem answer, never a 2xx for lost data.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute
from sqlmodel import Session

_request_session: ContextVar[Session | None] = ContextVar("kai_request_session", default=None)


def bind(session: Session) -> Token:
    """Make ``session`` the unit of work of the running request (``api.deps`` opens it)."""
    return _request_session.set(session)


def unbind(token: Token) -> None:
    _request_session.reset(token)


def commit_unit_of_work() -> None:
    """Commit the running request's session, if it has begun a transaction."""
    session = _request_session.get()
    if session is not None and session.in_transaction():
        session.commit()


def _committing(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.iscoroutinefunction(endpoint):
        raise TypeError(
            f"{endpoint.__name__}: routes that use the database are plain functions (`def`), "
            "so their queries and their commit run in one worker thread"
        )

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        result = endpoint(*args, **kwargs)
        commit_unit_of_work()
        return result

    return run


class UnitOfWorkRoute(APIRoute):
    """A route whose request session commits once, when the route function has returned."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, _committing(endpoint), **kwargs)


def domain_router(**kwargs: Any) -> APIRouter:
    """An ``APIRouter`` for a domain's routes: every route is a unit of work."""
    return APIRouter(route_class=UnitOfWorkRoute, **kwargs)
