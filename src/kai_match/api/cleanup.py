"""A thread pool of its own for work that ends a request's transaction.

Ending a transaction (a rollback, or storing an idempotent answer and committing) releases the
row locks it holds. Were it to wait for a thread of the shared pool while every thread there
waits for those very locks (twenty requests booking one opening), nothing would move again.
So this work never waits for the shared pool's threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from anyio import CapacityLimiter, to_thread
from anyio.lowlevel import RunVar

T = TypeVar("T")
CLEANUP_THREADS = 16
_limiter: RunVar[CapacityLimiter] = RunVar("kai_cleanup_limiter")


def _cleanup_limiter() -> CapacityLimiter:
    try:
        return _limiter.get()
    except LookupError:
        limiter = CapacityLimiter(CLEANUP_THREADS)
        _limiter.set(limiter)
        return limiter


async def run_cleanup(func: Callable[..., T], *args: object) -> T:
    """``func(*args)`` in a thread of the clean-up pool."""
    return await to_thread.run_sync(func, *args, limiter=_cleanup_limiter())
