"""The request's unit of work: one session per request, committed once when the route returns.

Services never commit. The route's session is committed at the end of the route function, in
the route's own worker thread, so the transaction ends (and releases its row locks) before the
answer is serialised. Committing later, in the session dependency's exit, would need another
thread of the shared pool for the serialisation first — and when every thread of that pool
waits for the locks this transaction holds (twenty requests booking one opening), nothing moves.
A failed commit raises, so the client gets a problem answer, never a 2xx for lost data.

Work that must be part of the same transaction as the route's own writes, but needs the route's
answer (the stored answer of an ``Idempotency-Key`` request), registers a hook with
``before_commit``; it receives the route's ``RouteOutcome`` just before the commit. A hook that
only needs what the route returned (the page's ``next_cursor`` for a ``Link`` header) registers
with ``after_route`` and gets the result itself, unrendered.
"""

from __future__ import annotations

import functools
import inspect
import json
import threading
from collections.abc import Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Response
from fastapi.encoders import jsonable_encoder
from fastapi.routing import APIRoute
from sqlmodel import Session

Hook = Callable[["RouteOutcome"], None]
ResultHook = Callable[[Any], None]
_request_session: ContextVar[Session | None] = ContextVar("kai_request_session", default=None)
_hooks: ContextVar[list[Hook] | None] = ContextVar("kai_before_commit", default=None)
_result_hooks: ContextVar[list[ResultHook] | None] = ContextVar("kai_after_route", default=None)
_given_up: ContextVar[threading.Event | None] = ContextVar("kai_given_up", default=None)


class AbandonedRequest(Exception):
    """The client was already answered (the request deadline passed): the work is not kept."""


def watch_for_giving_up() -> threading.Event:
    """An event that, once set, makes the running request roll back instead of committing.

    Set by ``api.deadline`` when the client got its 503, so that work which was stuck on the
    database and resumes later does not commit behind the client's back.
    """
    event = threading.Event()
    _given_up.set(event)
    return event


@dataclass(frozen=True)
class Binding:
    session: Token
    hooks: Token
    result_hooks: Token


def bind(session: Session) -> Binding:
    """Make ``session`` the unit of work of the running request (``api.deps`` opens it)."""
    return Binding(_request_session.set(session), _hooks.set([]), _result_hooks.set([]))


def unbind(binding: Binding) -> None:
    _result_hooks.reset(binding.result_hooks)
    _hooks.reset(binding.hooks)
    _request_session.reset(binding.session)


def before_commit(hook: Hook) -> bool:
    """Run ``hook`` with the route's outcome inside its transaction; False outside a request."""
    hooks = _hooks.get()
    if hooks is None:
        return False
    hooks.append(hook)
    return True


def after_route(hook: ResultHook) -> bool:
    """Run ``hook`` with the route function's result when it returns; False outside a request."""
    hooks = _result_hooks.get()
    if hooks is None:
        return False
    hooks.append(hook)
    return True


def commit_unit_of_work() -> None:
    """Commit the running request's session, if it has begun a transaction."""
    session = _request_session.get()
    if session is not None and session.in_transaction():
        given_up = _given_up.get()
        if given_up is not None and given_up.is_set():
            session.rollback()
            raise AbandonedRequest("the request deadline passed before the commit")
        session.commit()


@dataclass(frozen=True)
class RouteOutcome:
    """What a route returned, rendered as the answer FastAPI will send (status, headers, body)."""

    status: int
    headers: dict[str, str]
    content_type: str | None
    body: bytes | None  # None: the result does not fit the route's response model


def _outcome(route: APIRoute, result: Any, kwargs: dict[str, Any]) -> RouteOutcome:
    if isinstance(result, Response):
        headers = {k.lower(): v for k, v in result.headers.items()}
        return RouteOutcome(result.status_code, headers, headers.get("content-type"), result.body)
    sub = next((v for v in kwargs.values() if isinstance(v, Response)), None)
    headers = {k.lower(): v for k, v in sub.headers.items()} if sub is not None else {}
    headers.pop("content-length", None)
    status = (sub.status_code if sub is not None else None) or route.status_code or 200
    media_type = getattr(route.response_class, "media_type", None) or "application/json"
    field = route.response_field
    if field is None:
        content = jsonable_encoder(result)
    else:
        value, errors = field.validate(result, {}, loc=("response",))
        if errors:
            return RouteOutcome(status, headers, media_type, None)
        content = field.serialize(
            value,
            include=route.response_model_include,
            exclude=route.response_model_exclude,
            by_alias=route.response_model_by_alias,
            exclude_unset=route.response_model_exclude_unset,
            exclude_defaults=route.response_model_exclude_defaults,
            exclude_none=route.response_model_exclude_none,
        )
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    return RouteOutcome(status, headers, media_type, body)


def _committing(route: APIRoute, endpoint: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.iscoroutinefunction(endpoint):
        raise TypeError(
            f"{endpoint.__name__}: routes that use the database are plain functions (`def`), "
            "so their queries and their commit run in one worker thread"
        )

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        result = endpoint(*args, **kwargs)
        for see in _result_hooks.get() or []:
            see(result)
        hooks = _hooks.get() or []
        if hooks:
            outcome = _outcome(route, result, kwargs)
            for hook in hooks:
                hook(outcome)
        commit_unit_of_work()
        return result

    return run


class UnitOfWorkRoute(APIRoute):
    """A route whose request session commits once, when the route function has returned."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, _committing(self, endpoint), **kwargs)


def domain_router(**kwargs: Any) -> APIRouter:
    """An ``APIRouter`` for a domain's routes: every route is a unit of work."""
    return APIRouter(route_class=UnitOfWorkRoute, **kwargs)
