"""``Link: <…>; rel="next"`` on every paged answer, from the page the route returned.

Clients that follow links (and HTTP tooling) need not know where the cursor goes: the header
repeats the request's URL with ``cursor`` set to the answer's ``next_cursor``. The page
dependency registers it (``api.deps``); it looks at the route's result once the route returns
(``api.unit_of_work.after_route``). Routes that build their own ``Response`` (CSV) set it
themselves (``api.representations``).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response

from kai_match.api.unit_of_work import after_route


def next_link(request: Request, cursor: str, param: str = "cursor") -> str:
    return f'<{request.url.include_query_params(**{param: cursor})}>; rel="next"'


def link_next_page(request: Request, response: Response, param: str = "cursor") -> None:
    """Send the next page's ``Link`` with the answer, if the result has a ``next_cursor``."""

    def add(result: Any) -> None:
        cursor = getattr(result, "next_cursor", None)
        if isinstance(cursor, str) and cursor:
            response.headers["Link"] = next_link(request, cursor, param)

    after_route(add)
