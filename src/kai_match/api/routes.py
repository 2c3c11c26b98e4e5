"""Every route of an app, with the prefix it was included under.

This FastAPI keeps an included router as a router of its own (``original_router``, included
under ``include_context.prefix``) instead of copying its routes into the app, so anything that
looks at all routes has to descend into them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any


def walk_routes(routes: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``(prefix, route)`` for every route, included routers' routes too."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is None:
            yield prefix, route
        else:
            yield from walk_routes(included.routes, prefix + route.include_context.prefix)
