"""Application factory: routers, middleware, and the one place errors become responses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from anyio import to_thread
from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from kai_match import __version__
from kai_match.access import router as api_keys
from kai_match.access.authentication import Authenticator
from kai_match.api import idempotency, openapi_document, openapi_links, ops, problem_types
from kai_match.api.deadline import DeadlineMiddleware
from kai_match.api.deps import current_principal
from kai_match.api.docs_access import install_docs, signed_in_only
from kai_match.api.observability import (
    BodySizeLimitMiddleware,
    ObservabilityMiddleware,
    route_template,
)
from kai_match.api.problems import (
    auth_problem_responses,
    field_errors_from_validation,
    problem,
    render_kai_error,
)
from kai_match.api.query_guard import NulGuardMiddleware
from kai_match.api.query_params import reject_unknown_query_parameters
from kai_match.api.routes import walk_routes
from kai_match.api.storage_health import StorageHealth
from kai_match.api.storage_health import classify as classify_storage_fault
from kai_match.api.unit_of_work import AbandonedRequest
from kai_match.audit import router as audit
from kai_match.config import Settings, get_settings
from kai_match.console.app import build_console
from kai_match.console.rendering import PREFIX as CONSOLE_PREFIX
from kai_match.contacts import router as contacts
from kai_match.data.geo import HttpRouter
from kai_match.data.taxonomy import warm_up
from kai_match.db import make_engine
from kai_match.employers import router as employers
from kai_match.errors import FieldError, KaiError, ServiceUnavailable
from kai_match.feed import router as feed
from kai_match.imports import router as bulk_import
from kai_match.insights import reports_router as reports
from kai_match.insights import router as analytics
from kai_match.insights import statistics_router as statistics
from kai_match.kit.signing import KeyRing
from kai_match.logging_setup import configure_logging
from kai_match.matching import profiles_router as weight_profiles
from kai_match.matching import router as matches
from kai_match.matching.indexes import MatchingIndexes
from kai_match.matching.profiles import ensure_default_profile
from kai_match.migrate import upgrade
from kai_match.participants import router as participants
from kai_match.placements import router as placements
from kai_match.privacy import router as gdpr
from kai_match.reference import router as taxonomy
from kai_match.vacancies import jobposting_router as jobposting
from kai_match.vacancies import router as vacancies
from kai_match.webhooks import router as webhooks
from kai_match.webhooks.dispatcher import Dispatcher
from kai_match.webhooks.secret_box import SecretBox

log = structlog.get_logger("kai_match")

DESCRIPTION = """
Matching of participants in German integration courses with regional work trials,
internships, apprenticeships and jobs — ranked and explained for the job counsellors of
the programme. Errors are RFC 9457 problem documents that name the offending field.

Reference data: this service uses the ESCO classification of the European Commission.
Postal codes © GeoNames (CC BY 4.0) and OpenStreetMap contributors (ODbL);
© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV-ISys, dl-de/by-2-0;
KldB 2010 © Bundesagentur für Arbeit.
"""


def thread_limit(settings: Settings, engine: Engine) -> int:
    """Threads for synchronous work in this process.

    On PostgreSQL a few threads are faster: beyond them requests wait in the event loop
    instead of contending for the GIL (+28 % requests/s with 4 instead of 40 in
    ``benchmarks/load.py``). On SQLite every transaction takes the write lock at its start
    (``BEGIN IMMEDIATE``) and a request's transaction spans several thread hand-overs, so
    fewer threads than concurrent writers would leave the lock holder waiting for a thread.
    """
    if settings.worker_threads is not None:
        return settings.worker_threads
    return 8 if engine.dialect.name == "postgresql" else 40


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level, settings.log_json)
        engine = make_engine(settings)
        to_thread.current_default_thread_limiter().total_tokens = thread_limit(settings, engine)
        app.state.engine = engine
        if settings.auto_migrate:
            upgrade(engine)
        if settings.warm_up:
            warm_up()
        app.state.matching = MatchingIndexes()
        app.state.router = (
            HttpRouter(osrm_url=settings.osrm_url, otp_url=settings.otp_url)
            if settings.osrm_url or settings.otp_url
            else None
        )
        app.state.cursor_keys = KeyRing(settings.cursor_keys, engine=engine)
        app.state.webhook_box = SecretBox(settings.webhook_secret_keys, engine=engine)
        try:
            with Session(engine) as session, session.begin():
                ensure_default_profile(session=session)
            app.state.cursor_keys.load()  # the stored key, unless KAI_CURSOR_KEYS is set
            app.state.webhook_box.load()  # likewise, unless KAI_WEBHOOK_SECRET_KEYS is set
        except OperationalError:
            # Start anyway: /ready reports the outage, rankings seed the profile later and
            # the first request loads the cursor key.
            log.warning("database unavailable at start-up")
        # Route templates (metric labels, audit entries) come from the OpenAPI document, which
        # takes a second or two to build: do it now rather than in the first request.
        route_template(app, "/health")
        # Webhooks leave the outbox from a thread of each process (docs/partners.md).
        dispatcher = Dispatcher(engine, settings, app.state.webhook_box)
        if settings.webhook_dispatcher:
            dispatcher.start()
        log.info("started", database=engine.dialect.name, version=__version__)
        yield
        dispatcher.stop()
        engine.dispose()

    app = FastAPI(
        title="kai-match",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # The documentation pages are kai-match's own (api.docs_access): no CDN, sign-in in
        # production.
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    if settings.docs_enabled:
        install_docs(app, signed_in=signed_in_only(settings.environment, settings.docs_public))
    app.state.settings = settings
    app.state.auth = Authenticator(settings)
    app.state.storage_health = StorageHealth(settings.database_url)
    app.add_middleware(NulGuardMiddleware)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        bulk_max_bytes=settings.bulk_max_bytes,
    )
    if settings.cors_origins:
        # Closed unless origins are configured; bearer keys, so no cookies (credentials) needed.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key"],
            expose_headers=[
                "ETag",
                "Location",
                "Retry-After",
                "X-Request-ID",
                "Idempotent-Replayed",
                "Link",
                "X-Weight-Profile",
                "X-Total-Count",
            ],
            allow_credentials=False,
            max_age=600,
        )
    # Inside the request id and the metrics, so a deadline's 503 is logged and counted too.
    app.add_middleware(
        DeadlineMiddleware,
        seconds=settings.request_timeout_seconds,
        retry_after=settings.ready_retry_after_seconds,
    )
    app.add_middleware(ObservabilityMiddleware)
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID")
    app.include_router(ops.router)
    # What the ``type`` of each problem document means, at that URI (no key, not in the schema).
    app.include_router(problem_types.router, include_in_schema=False)
    # Every /api/v1 route needs a caller (401 without one); each route adds its role rule.
    for router in (
        participants.router,
        gdpr.erasure_router,
        gdpr.router,
        employers.router,
        vacancies.router,
        jobposting.router,
        bulk_import.router,
        placements.router,
        contacts.router,
        api_keys.router,
        audit.router,
        statistics.router,
        weight_profiles.router,
        matches.router,
        feed.router,
        webhooks.router,
        taxonomy.router,
        analytics.router,
        reports.router,
    ):
        app.include_router(
            router,
            prefix="/api/v1",
            # The caller first; unknown query parameters are refused; then an Idempotency-Key
            # of a POST is claimed or replayed.
            dependencies=[
                Depends(current_principal),
                Depends(reject_unknown_query_parameters),
                Depends(idempotency.idempotency_guard),
            ],
            responses=auth_problem_responses(),
        )
    # The counsellor console: HTML pages under /console, the sign-in at / (docs/console.md).
    app.mount(CONSOLE_PREFIX, build_console(app), name="console")
    app.add_api_route("/", _to_console, include_in_schema=False)
    idempotency.install(app)
    openapi_document.install(app, settings)  # after: it sees the header and answers declared
    openapi_links.install(app)  # last: its links name the short operationIds
    _install_error_handlers(app, settings)
    return app


async def _to_console() -> RedirectResponse:
    return RedirectResponse(f"{CONSOLE_PREFIX}/", status_code=307)


def allowed_methods(app: FastAPI, path: str) -> str:
    """Methods of every route on ``path`` for a 405's ``Allow`` (Starlette names only the first)."""
    methods: set[str] = set()
    for prefix, route in walk_routes(app.routes):
        regex = getattr(route, "path_regex", None)
        if regex is not None and path.startswith(prefix) and regex.match(path[len(prefix) :]):
            methods.update(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


def _install_error_handlers(app: FastAPI, settings: Settings) -> None:
    @app.exception_handler(KaiError)
    async def kai_error(request: Request, exc: KaiError) -> JSONResponse:
        headers = dict(exc.headers)
        if isinstance(exc, ServiceUnavailable):
            headers.setdefault("Retry-After", str(settings.ready_retry_after_seconds))
        if exc.status in (401, 403, 404, 429):
            # Denials are logged without ids or personal data: route template and role only.
            log.info(
                "refused", status=exc.status, route=route_template(request.app, request.url.path)
            )
        return render_kai_error(exc, request.url.path, headers or None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        status, errors = field_errors_from_validation(exc)
        if status == 400:
            return problem(
                400,
                "Bad Request",
                "The request body is not valid JSON.",
                slug="bad-request",
                errors=errors,
                instance=request.url.path,
            )
        noun = "field" if len(errors) == 1 else "fields"
        return problem(
            422,
            "Unprocessable Content",
            f"The request has {len(errors)} invalid {noun}.",
            slug="validation-error",
            errors=errors,
            instance=request.url.path,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not Found", 405: "Method Not Allowed"}
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request.app, request.url.path)
        return problem(
            exc.status_code,
            titles.get(exc.status_code, "HTTP Error"),
            str(exc.detail),
            slug=f"http-{exc.status_code}",
            instance=request.url.path,
            headers=headers or None,
        )

    def unavailable(request: Request, detail: str, condition: str) -> JSONResponse:
        """503 naming the database's condition, with Retry-After."""
        return render_kai_error(
            ServiceUnavailable(detail=detail, errors=[FieldError("database", condition)]),
            request.url.path,
            {"Retry-After": str(settings.ready_retry_after_seconds)},
        )

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        fault = classify_storage_fault(exc)
        if fault is not None:
            request.app.state.storage_health.failed(fault)
            log.error("database cannot write", condition=fault.condition)
            return problem(
                fault.status,
                "Insufficient Storage" if fault.status == 507 else "Service Unavailable",
                fault.detail,
                slug="insufficient-storage" if fault.status == 507 else "service-unavailable",
                errors=[FieldError("database", fault.condition)],
                instance=request.url.path,
                headers={"Retry-After": str(settings.ready_retry_after_seconds)},
            )
        if isinstance(exc, OperationalError) or exc.connection_invalidated:
            log.warning("database unavailable", error=type(exc.orig).__name__)
            return unavailable(
                request,
                "The database cannot be reached; nothing was changed. Retry shortly.",
                "not reachable",
            )
        return await unexpected_error(request, exc)

    @app.exception_handler(AbandonedRequest)
    async def abandoned(request: Request, exc: AbandonedRequest) -> JSONResponse:
        # Nobody reads this answer: the deadline's 503 went out already (``api.deadline``).
        log.info("request rolled back after its deadline", path=request.url.path)
        return unavailable(
            request, "The request took too long; nothing was changed.", "no answer in time"
        )

    @app.exception_handler(PoolTimeout)
    async def pool_exhausted(request: Request, exc: PoolTimeout) -> JSONResponse:
        # Every connection is taken (often by requests stuck on a silent database).
        log.warning("database connection pool exhausted")
        return unavailable(
            request,
            "All database connections are busy; nothing was changed. Retry shortly.",
            "no free connection",
        )

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        # The route template, not the path (ids). The traceback of a database error loses its
        # texts, which quote values (logging_setup.redact_database_errors); ``exc_info=True``
        # rather than the exception, whose repr would put them into the event itself.
        log.exception(
            "unhandled error",
            route=route_template(request.app, request.url.path),
            error=type(exc).__name__,
        )
        return problem(
            500,
            "Internal Server Error",
            "An unexpected error occurred.",
            slug="internal-error",
            instance=request.url.path,
        )
