"""Structured logs (structlog): JSON lines with the request id, never request bodies.

A last line of defence redacts values under keys known to hold personal data or secrets, at
any depth, should someone log a record or a body by mistake. Tracebacks of database errors
keep their frames but lose the errors' texts, which quote rows and values.
"""

from __future__ import annotations

import logging
import sys
import traceback
from typing import Any

import structlog
from asgi_correlation_id.context import correlation_id
from sqlalchemy.exc import StatementError

PERSONAL_KEYS = frozenset(
    {
        "first_name",
        "last_name",
        "name",
        "full_name",
        "birth_date",
        "email",
        "phone",
        "contact_name",
        "contact_email",
        "contact_phone",
        "counsellor",
        "address",
        "street",
        "nationality",
        "work_permit",
        # secrets
        "authorization",
        "key",
        "api_key",
        "secret",
        "token",
        "password",
        "bootstrap_admin_key",
    }
)
REDACTED = "[redacted]"


def redact_personal_data(_logger: object, _name: str, event: dict) -> dict:
    """Replace the values of personal or secret keys, in nested dicts and lists too."""
    # ``exc_info`` is left as it is (a tuple made a list is no longer one to structlog); its
    # texts are handled by ``redact_database_errors``.
    return {
        key: value if key == "exc_info" else _redact(key, value) for key, value in event.items()
    }


def _redact(key: object, value: object) -> object:
    if isinstance(key, str) and key.lower() in PERSONAL_KEYS and value is not None:
        return REDACTED
    if isinstance(value, dict):
        return {k: _redact(k, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(None, v) for v in value]
    return value


# Driver errors (PEP 249) come from these modules; their texts quote values, e.g. PostgreSQL's
# "DETAIL: Failing row contains (…, Amina, Haddad, 1994-03-12, …)".
DRIVER_MODULES = frozenset({"psycopg", "psycopg2", "sqlite3", "asyncpg"})
_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def redact_database_errors(_logger: object, _name: str, event: dict) -> dict:
    """Render a traceback that involves a database error without the errors' texts.

    SQLAlchemy's text holds the statement and (unless the engine hides them) its parameters;
    the driver's text may repeat the failing row. The frames, the error types, the SQLSTATE and
    the constraint's name are kept: enough to find the fault, nothing about a person.
    """
    exc = _exception_of(event.get("exc_info"))
    if exc is None or not any(_is_database_error(e) for e, _ in _chain(exc)):
        return event
    event = dict(event)
    del event["exc_info"]
    event["exception"] = _safe_traceback(exc)
    return event


def _exception_of(exc_info: Any) -> BaseException | None:
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple | list) and len(exc_info) == 3:
        return exc_info[1] if isinstance(exc_info[1], BaseException) else None
    if exc_info is True:
        return sys.exc_info()[1]
    return None


def _chain(exc: BaseException) -> list[tuple[BaseException, str]]:
    """The exception and its causes, newest first, each with the words that link it on."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    return chain


def _is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, StatementError) or (
        type(exc).__module__.partition(".")[0] in DRIVER_MODULES
    )


def _safe_traceback(exc: BaseException) -> str:
    parts: list[str] = []
    for item, link in reversed(_chain(exc)):
        if item.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_tb(item.__traceback__))
        if _is_database_error(item):
            parts.append(f"{_type_name(item)}: {_database_error_summary(item)}\n")
        else:
            parts.extend(traceback.format_exception_only(type(item), item))
        parts.append(link)
    return "".join(parts).rstrip("\n")


def _type_name(exc: BaseException) -> str:
    kind = type(exc)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def _database_error_summary(exc: BaseException) -> str:
    """Codes and schema names only: the texts may quote values."""
    driver = exc.orig if isinstance(exc, StatementError) else exc
    facts = [f"({_type_name(driver)})"] if driver is not exc and driver is not None else []
    diag = getattr(driver, "diag", None)  # psycopg
    for label, value in (
        ("SQLSTATE", getattr(driver, "sqlstate", None)),
        ("", getattr(driver, "sqlite_errorname", None)),
        ("constraint", getattr(diag, "constraint_name", None)),
        ("table", getattr(diag, "table_name", None)),
        ("column", getattr(diag, "column_name", None)),
    ):
        if value:
            facts.append(f"{label} {value}".strip())
    facts.append("[message, statement and parameters not logged]")
    return " ".join(facts)


def _add_request_id(_logger: object, _name: str, event: dict) -> dict:
    request_id = correlation_id.get()
    if request_id:
        event["request_id"] = request_id
    return event


def configure_logging(level: str = "INFO", json: bool = True) -> None:
    """Route stdlib and structlog records through one renderer."""
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_request_id,
        redact_personal_data,
    ]
    renderer = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                redact_database_errors,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Uvicorn's access log prints full URLs with query strings; ours logs route templates only.
    logging.getLogger("uvicorn.access").disabled = True
    # Uvicorn's own logging config gives its loggers a plain-text handler that does not
    # propagate: a traceback it logs ("Exception in ASGI application") would bypass the
    # redaction above. Its lines go through the root handler like every other line.
    for name in ("uvicorn", "uvicorn.error"):
        server_logger = logging.getLogger(name)
        server_logger.handlers.clear()
        server_logger.propagate = True
