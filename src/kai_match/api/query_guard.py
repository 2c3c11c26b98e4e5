"""Refuse NUL characters in the URL before any handler sees them.

PostgreSQL text cannot hold U+0000: a filter such as ``?name=%00`` would reach the database
and fail there. Bodies are checked by the input schemas; this covers query strings and paths,
on every backend alike, with a 422 that names the parameter.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from kai_match.api.problems import problem
from kai_match.errors import FieldError

NUL = "\x00"
RULE = "must not contain the NUL character (U+0000)"


class NulGuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            fields = _fields_with_nul(scope.get("path", ""), scope.get("query_string", b""))
            if fields:
                response = problem(
                    422,
                    "Unprocessable Content",
                    "The URL contains a NUL character.",
                    slug="validation-error",
                    errors=[FieldError(name, RULE) for name in fields],
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _fields_with_nul(path: str, query_string: bytes) -> list[str]:
    fields = ["path"] if NUL in path else []
    if b"%00" in query_string or b"\x00" in query_string:
        pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
        for name, value in pairs:
            if NUL in name or NUL in value:
                fields.append(name.replace(NUL, "") or "query")
    return list(dict.fromkeys(fields))
