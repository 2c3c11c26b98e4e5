"""Structured logs (structlog): JSON lines with the request id, never request bodies.

A last line of defence redacts values under keys known to hold personal data or secrets, at
any depth, should someone log a record or a body by mistake.
"""

from __future__ import annotations

import logging
import sys

import structlog
from asgi_correlation_id.context import correlation_id

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
    return {key: _redact(key, value) for key, value in event.items()}


def _redact(key: object, value: object) -> object:
    if isinstance(key, str) and key.lower() in PERSONAL_KEYS and value is not None:
        return REDACTED
    if isinstance(value, dict):
        return {k: _redact(k, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(None, v) for v in value]
    return value


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
