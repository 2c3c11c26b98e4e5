"""Liveness, readiness and metrics for the orchestrator and Prometheus."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.engine import Engine

from kai_match.api.observability import metrics_payload
from kai_match.api.problems import problem, problem_responses
from kai_match.errors import FieldError

router = APIRouter(tags=["operations"])


@router.get("/health", summary="Liveness: the process answers")
async def health() -> dict[str, str]:
    """On the event loop itself: no database, no worker thread, so busy workers never delay it."""
    return {"status": "ok"}


# Readiness checks run in threads of their own, never the shared pool that requests wait for;
# a check stuck on a silent database keeps its thread, and a third concurrent check is refused.
_READY_CHECKS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kai-ready")
_ready_slots = threading.BoundedSemaphore(2)
READY_TIMEOUT_SECONDS = 2.0


@router.get(
    "/ready",
    summary="Readiness: the database answers and accepts writes",
    responses=problem_responses(503),
)
async def ready(request: Request) -> Response:
    """200 when the database answers within two seconds and no write fault is current."""
    settings = request.app.state.settings
    fault = request.app.state.storage_health.current()
    if fault is not None:
        return _not_ready(settings, fault.detail, FieldError("database", fault.condition))
    if not _ready_slots.acquire(blocking=False):
        return _not_ready(settings, "Earlier readiness checks are still waiting for the database.")
    loop = asyncio.get_running_loop()
    check = loop.run_in_executor(_READY_CHECKS, _ping, request.app.state.engine)
    check.add_done_callback(lambda _: _ready_slots.release())
    try:
        await asyncio.wait_for(asyncio.shield(check), READY_TIMEOUT_SECONDS)
    except Exception:
        return _not_ready(settings, "The database cannot be reached.")
    return Response('{"status":"ready"}', media_type="application/json")


def _ping(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _not_ready(settings, detail: str, error: FieldError | None = None) -> Response:
    return problem(
        503,
        "Service Unavailable",
        detail,
        slug="service-unavailable",
        errors=[error or FieldError("database", "not reachable")],
        headers={"Retry-After": str(settings.ready_retry_after_seconds)},
    )


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
def metrics() -> Response:
    """Counters and latencies by route; the sum over all workers (see ``metrics_payload``)."""
    return Response(metrics_payload(), media_type=CONTENT_TYPE_LATEST)
