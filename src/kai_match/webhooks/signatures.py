"""Webhook signatures: HMAC-SHA256 over ``timestamp.body``, sent as ``Webhook-Signature``.

The header is ``t=<unix seconds>,v1=<hex digest>``. Signing the timestamp with the body lets a
receiver refuse an old delivery replayed by someone who recorded it (the replay window), and
hex keeps the header plain ASCII. ``verify`` uses only the standard library, so partners can
copy this module as it is (docs/partners.md, "Webhooks").
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Webhook-Signature"
REPLAY_WINDOW_SECONDS = 300


def signature_header(secret: str, body: bytes, timestamp: int) -> str:
    """The header value for one attempt (each attempt is signed with its own time)."""
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: float | None = None,
    window: int = REPLAY_WINDOW_SECONDS,
) -> bool:
    """True when ``header`` signs exactly ``body`` with ``secret`` within ``window`` seconds.

    Pass the raw request body, before any JSON parsing: a re-serialised body differs.
    """
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > window:
        return False
    expected = _digest(secret, timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in parts.get("v1", []))


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
