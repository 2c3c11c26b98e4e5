"""A deadline for every request: an answer within bounded time, even when the database is silent.

A database that stops answering without closing its connections (a network partition, a
stalled proxy) leaves a query waiting in its worker thread; timeouts on the connection
(``db.postgres_connect_args``) end that wait eventually, but only the kernel decides when. The
client must not wait with it: when the answer has not started after ``request_timeout_seconds``,
this middleware sends a 503 problem document with ``Retry-After`` and drops whatever the
request sends later. The thread cannot be stopped, but its unit of work rolls back instead of
committing once the client has its 503 (``unit_of_work.watch_for_giving_up``). Only a commit
already under way when the deadline passes can still land; a retry with the same
``Idempotency-Key`` then gets its stored answer instead of running again.
"""

from __future__ import annotations

import asyncio

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kai_match.api.problems import problem
from kai_match.api.unit_of_work import watch_for_giving_up
from kai_match.errors import FieldError

log = structlog.get_logger("kai_match.deadline")

EXEMPT_PATHS = frozenset({"/health", "/metrics"})


class DeadlineMiddleware:
    """Answer 503 when a request's response has not started within ``seconds``."""

    def __init__(self, app: ASGIApp, seconds: float, retry_after: int) -> None:
        self.app = app
        self.seconds = seconds
        self.retry_after = retry_after
        self._detached: set[asyncio.Task] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        started = asyncio.Event()
        gave_up = False

        async def guarded_send(message: Message) -> None:
            if gave_up:
                return  # the client already has its 503
            if message["type"] == "http.response.start":
                started.set()
            await send(message)

        given_up = watch_for_giving_up()  # the request's task inherits it with the context
        task = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        waiter = asyncio.ensure_future(started.wait())
        done, _ = await asyncio.wait(
            {task, waiter}, timeout=self.seconds, return_when=asyncio.FIRST_COMPLETED
        )
        if task in done or started.is_set():
            waiter.cancel()
            await task  # the answer is on its way (or the app failed: let it raise)
            return
        waiter.cancel()
        gave_up = True
        given_up.set()
        # The request's thread cannot be stopped; keep a reference so its task is not collected.
        self._detached.add(task)
        task.add_done_callback(self._forget)
        log.warning("request deadline passed", path=scope["path"], seconds=self.seconds)
        await self._unavailable(scope, receive, send)

    def _forget(self, task: asyncio.Task) -> None:
        self._detached.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("request ended after its deadline", error=type(task.exception()).__name__)

    async def _unavailable(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = problem(
            503,
            "Service Unavailable",
            f"No answer within {self.seconds:g} s; the database may be unreachable. "
            "The request may still complete: retry with the same Idempotency-Key.",
            slug="service-unavailable",
            errors=[FieldError("database", "no answer in time")],
            instance=scope["path"],
            headers={"Retry-After": str(self.retry_after)},
        )
        await answer(scope, receive, send)
