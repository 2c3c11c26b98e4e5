"""``Idempotency-Key`` on every POST of ``/api/v1``, implemented once.

``idempotency_guard`` (a router-level dependency, after authentication) claims the key for
the caller or answers from the stored response. The answer is stored **in the route's own
transaction** (a ``before_commit`` hook of the unit of work), so the work and its answer are
committed together: a retry after a crash finds either the answer or nothing done.
``IdempotencyMiddleware`` handles requests that committed nothing (a problem answer): it keeps
a 4xx worth replaying and frees the key of any other.
Conflicts (409), 429 and ``Cache-Control: no-store`` answers are not kept: the key is freed
and a retry runs for real. A caller whose role may not use the route claims nothing.
Both use the request's own session: on SQLite a second connection would wait for its lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import FastAPI, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kai_match.api import idempotency_store as service
from kai_match.api.cleanup import run_cleanup
from kai_match.api.deps import PrincipalDep, SessionDep
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import RouteOutcome, before_commit

STATE_KEY = "idempotency"
REPLAYED_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = ("location", "etag")
# Answers not worth replaying: the caller should be able to retry them for real.
NOT_STORED = frozenset({409, 429})


@dataclass
class Claim:
    """A claimed key of the running request; ``committed`` once its answer is in the database."""

    row_id: int
    session: Session
    committed: bool = False

    def store_with_the_work(self, outcome: RouteOutcome) -> None:
        """Write the route's answer in its own transaction (the unit of work commits both)."""
        if outcome.body is None or not _worth_keeping(outcome.status, outcome.headers):
            service.abandon(session=self.session, row_id=self.row_id, commit=False)
        else:
            service.finish(
                session=self.session,
                row_id=self.row_id,
                status=outcome.status,
                content_type=outcome.content_type,
                headers=_kept(outcome.headers),
                body=outcome.body,
                commit=False,
            )
        self.committed = True


def _worth_keeping(status: int, headers: dict[str, str]) -> bool:
    # A secret shown once (Cache-Control: no-store, e.g. a new API key) is never stored.
    return (
        status < 500
        and status not in NOT_STORED
        and "no-store" not in headers.get("cache-control", "")
    )


def _kept(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k in KEPT_HEADERS}


class IdempotentReplay(Exception):
    """Raised by the guard to answer with the stored response instead of running the route."""

    def __init__(self, stored: service.StoredResponse) -> None:
        self.stored = stored


async def idempotency_guard(
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="POST only: a retry with the same key and body gets the first answer",
            include_in_schema=False,
        ),
    ] = None,
) -> None:
    """Claim the key, or replay the stored answer (422: other body, 409: still running)."""
    if request.method != "POST" or idempotency_key is None:
        return
    if not _role_may_use(request, principal.role):
        return  # the route's role rule answers 403; a refused caller claims nothing
    settings = request.app.state.settings
    body = await request.body()
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    outcome = await run_in_threadpool(
        service.begin,
        session=session,
        principal=principal.actor,
        key=idempotency_key,
        method=request.method,
        path=path,
        body_hash=service.fingerprint(body),
        ttl=timedelta(hours=settings.idempotency_ttl_hours),
        in_flight_timeout=timedelta(seconds=settings.idempotency_in_flight_seconds),
    )
    if isinstance(outcome, service.StoredResponse):
        raise IdempotentReplay(outcome)
    claim = Claim(row_id=outcome, session=session)
    before_commit(claim.store_with_the_work)
    request.state.idempotency = claim


def _role_may_use(request: Request, role: Any) -> bool:
    """The route's own role rule (``allow`` names the roles as ``x-roles``), read before claiming."""
    route = request.scope.get("route")
    roles = ((getattr(route, "openapi_extra", None) or {}).get("x-roles")) if route else None
    return roles is None or getattr(role, "value", role) in roles


class IdempotencyMiddleware:
    """Store the answer of a claimed request before sending it; free the key on 5xx and 409."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        held: list[Message] = []
        settled = False

        async def capture(message: Message) -> None:
            nonlocal settled
            claim = scope.get("state", {}).get(STATE_KEY)
            if claim is None:
                await send(message)
                return
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                await run_cleanup(_settle, claim, held)
                settled = True
                for kept in held:
                    await send(kept)

        try:
            await self.app(scope, receive, capture)
        except Exception:
            claim = scope.get("state", {}).get(STATE_KEY)
            if claim is not None and not settled:
                await run_cleanup(_release, claim)
            raise


def _settle(claim: Claim, messages: list[Message]) -> None:
    """For requests that committed nothing: keep a 4xx worth replaying, or free the key."""
    start = messages[0]
    status = start["status"]
    headers = {k.decode().lower(): v.decode() for k, v in start.get("headers", [])}
    session = claim.session
    if session.in_transaction():
        session.rollback()  # whatever the route left uncommitted is not part of its answer
    if claim.committed:
        return  # the answer (or the freed key) was committed with the work
    if not _worth_keeping(status, headers):
        service.abandon(session=session, row_id=claim.row_id)
        return
    service.finish(
        session=session,
        row_id=claim.row_id,
        status=status,
        content_type=headers.get("content-type"),
        headers=_kept(headers),
        body=b"".join(m.get("body", b"") for m in messages[1:]),
    )


def _release(claim: Claim) -> None:
    session = claim.session
    if session.in_transaction():
        session.rollback()
    if not claim.committed:
        service.abandon(session=session, row_id=claim.row_id)


def _replay(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, IdempotentReplay)
    stored = exc.stored
    return Response(
        stored.body,
        status_code=stored.status,
        headers={**stored.headers, REPLAYED_HEADER: "true"},
        media_type=stored.content_type,
    )


def install(app: FastAPI) -> None:
    """Middleware, replay handler and the header in every POST operation of the OpenAPI."""
    app.add_middleware(IdempotencyMiddleware)
    app.add_exception_handler(IdempotentReplay, _replay)
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for path, operations in schema.get("paths", {}).items():
                post = operations.get("post")
                if path.startswith("/api/v1") and post is not None:
                    post.setdefault("parameters", []).append(_HEADER_DOC)
                    for status, answer in _KEY_ANSWERS.items():
                        post["responses"].setdefault(str(status), answer)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _key_answers() -> dict[int, Any]:
    """409 (still in flight) and 422 (key used for another request) for every POST."""
    answers = problem_responses(409, 422)
    return {status: _openapi_answer(answers[status]) for status in (409, 422)}


def _openapi_answer(answer: dict[str, Any]) -> dict[str, Any]:
    content = answer["content"]["application/problem+json"]
    return {
        "description": answer["description"],
        "content": {
            "application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "example": content["example"],
            }
        },
    }


_HEADER_DOC: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A unique key per logical request (e.g. a UUID). A retry with the same key "
    "and body gets the stored answer (header Idempotent-Replayed: true) and changes nothing; "
    "the same key with another body is a 422, a retry while the first is running a 409. "
    "Keys are kept at least 24 hours.",
    "schema": service.KEY_SCHEMA,
}
_KEY_ANSWERS = _key_answers()
