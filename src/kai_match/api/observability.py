"""Request metrics (Prometheus) and one access-log line per request, by route template."""

from __future__ import annotations

import os
import time
from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from starlette.requests import Request
from starlette.routing import Mount, Route, compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from kai_match.api.routes import walk_routes

REQUESTS = Counter(
    "kai_http_requests_total", "HTTP requests by route and status", ["method", "route", "status"]
)
LATENCY = Histogram(
    "kai_http_request_duration_seconds",
    "HTTP request latency by route",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
log = structlog.get_logger("kai_match.access")


def metrics_payload() -> bytes:
    """The metrics of all workers, whichever of them answers the scrape.

    Under several workers (``serve --workers N``) each process writes its values to files in
    ``PROMETHEUS_MULTIPROC_DIR`` and a scrape adds up every process's files, those of workers
    that have exited included, so counters never go backwards. One process alone serves its
    own registry (with the process and GC collectors, which have no multi-process form).
    """
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return generate_latest()
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)
    return generate_latest(registry)


def route_template(app: Any, path: str) -> str:
    """Route template of a path, from the OpenAPI paths (independent of router internals).

    Used for metric labels, access logs and audit entries, so ids never appear in them.
    """
    templates = getattr(app.state, "route_templates", None)
    if templates is None:
        paths = [*app.openapi().get("paths", {}), *_mounted_paths(app)]
        templates = [(compile_path(p)[0], p) for p in paths]
        app.state.route_templates = templates
    for pattern, template in templates:
        if pattern.match(path):
            return template
    return "unmatched"


def _mounted_paths(app: Any) -> list[str]:
    """Routes of mounted applications (the console's pages), which the OpenAPI leaves out."""
    found = []
    for mount in app.routes:
        if isinstance(mount, Mount):
            for prefix, child in walk_routes(getattr(mount, "routes", None) or []):
                if isinstance(child, Route):
                    found.append(mount.path + prefix + child.path)
    return found


class ObservabilityMiddleware:
    """Label by the matched route template, so ids (and personal data) never become labels."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def _template_of(self, scope: Scope) -> str:
        return route_template(scope["app"], scope.get("path", ""))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status_holder = {"status": 500}

        async def send_wrapper(message: dict) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            template = self._template_of(scope)
            method = Request(scope).method
            elapsed = time.perf_counter() - started
            status = str(status_holder["status"])
            REQUESTS.labels(method, template, status).inc()
            LATENCY.labels(method, template).observe(elapsed)
            if template not in ("/health", "/metrics"):
                log.info(
                    "request",
                    method=method,
                    route=template,
                    status=int(status),
                    duration_ms=round(elapsed * 1000, 2),
                )


class BodySizeLimitMiddleware:
    """Refuse bodies over the limit (413) before reading them into memory."""

    def __init__(self, app: ASGIApp, max_bytes: int, bulk_max_bytes: int | None = None) -> None:
        self.app = app
        self.default_max_bytes = max_bytes
        self.bulk_max_bytes = bulk_max_bytes or max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from kai_match.api.problems import problem
        from kai_match.errors import FieldError

        # Bulk imports take thousands of rows in one body (docs/partners.md).
        bulk = scope.get("path", "").endswith("/bulk")
        max_bytes = self.bulk_max_bytes if bulk else self.default_max_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length")
        too_large = declared is not None and declared.isdigit() and int(declared) > max_bytes
        received = 0

        async def limited_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise _BodyTooLarge
            return message

        if not too_large:
            try:
                await self.app(scope, limited_receive, send)
                return
            except _BodyTooLarge:
                pass
        response = problem(
            413,
            "Content Too Large",
            f"The request body exceeds {max_bytes} bytes.",
            slug="payload-too-large",
            errors=[FieldError("body", f"must not exceed {max_bytes} bytes")],
        )
        await response(scope, receive, send)


class _BodyTooLarge(Exception):
    pass
