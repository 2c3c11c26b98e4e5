"""Liveness, readiness and metrics for the orchestrator and Prometheus."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from kai_match.api.problems import problem, problem_responses
from kai_match.errors import FieldError

router = APIRouter(tags=["operations"])


@router.get("/health", summary="Liveness: the process answers")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/ready",
    summary="Readiness: the database answers",
    responses=problem_responses(503),
)
def ready(request: Request) -> Response:
    settings = request.app.state.settings
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return problem(
            503,
            "Service Unavailable",
            "The database cannot be reached.",
            slug="service-unavailable",
            errors=[FieldError("database", "not reachable")],
            headers={"Retry-After": str(settings.ready_retry_after_seconds)},
        )
    return Response('{"status":"ready"}', media_type="application/json")


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
