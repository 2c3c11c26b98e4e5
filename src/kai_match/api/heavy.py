"""Heavy work a few at a time: reports and analyses that hold a core for seconds.

Eight fairness reports at once took every worker thread, and ``/health`` waited 20 s behind
them. So routes that take seconds (``**heavy(allow(...))``) first take one of ``HEAVY_AT_ONCE``
slots of the process. A request that finds them all taken waits for one at most
``HEAVY_WAIT_SECONDS``, on the event loop and not in a worker thread, then gets 503 with
``Retry-After``: the threads that serve everything else are never held by a queue of reports.
The slot is taken after the role check (a 403 never waits) and given back when the route
function returns, before the answer is sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import structlog
from anyio.lowlevel import RunVar
from fastapi import Depends

from kai_match.errors import FieldError, ServiceUnavailable

log = structlog.get_logger("kai_match.heavy")

HEAVY_AT_ONCE = 2  # per worker process: two cores, and other requests need one too
HEAVY_WAIT_SECONDS = 2.0
HEAVY_RETRY_AFTER_SECONDS = 5

_slots: RunVar[anyio.Semaphore] = RunVar("kai_heavy_slots")


def _semaphore() -> anyio.Semaphore:
    """The slots of this event loop, i.e. of this worker process."""
    try:
        return _slots.get()
    except LookupError:
        slots = anyio.Semaphore(HEAVY_AT_ONCE)
        _slots.set(slots)
        return slots


async def _heavy_slot() -> AsyncIterator[None]:
    slots = _semaphore()
    try:
        with anyio.fail_after(HEAVY_WAIT_SECONDS):
            await slots.acquire()
    except TimeoutError:
        log.warning("heavy work refused", running=HEAVY_AT_ONCE, waited=HEAVY_WAIT_SECONDS)
        raise ServiceUnavailable(
            detail=(
                f"The service is busy with {HEAVY_AT_ONCE} other reports or analyses; "
                f"retry in {HEAVY_RETRY_AFTER_SECONDS} s."
            ),
            errors=[FieldError("reports", f"{HEAVY_AT_ONCE} at a time per worker are running")],
            headers={"Retry-After": str(HEAVY_RETRY_AFTER_SECONDS)},
        ) from None
    try:
        yield
    finally:
        slots.release()


def heavy(rule: dict[str, Any], *after: Any) -> dict[str, Any]:
    """Route rule for heavy work: ``**heavy(allow(Role.admin, Role.analyst))``.

    The role rule's dependencies first, then a slot among the heavy requests of the process,
    then ``after`` (e.g. a ``Depends`` that charges the cost), which runs holding the slot.
    """
    slot = Depends(_heavy_slot, scope="function")
    return {**rule, "dependencies": [*rule.get("dependencies", []), slot, *after]}
