"""Write faults of the storage (disk full, read-only) named as such, and seen by ``/ready``.

A full disk or a database file that became read-only lets every read succeed while every write
fails; answering "the database cannot be reached" would send the operator to the network, and
a ``/ready`` that only reads would stay 200. Write failures are classified here (SQLite's
messages, PostgreSQL's SQLSTATE classes), answered 507 / 503 with the condition in the problem
document, logged, and remembered for ``FAULT_WINDOW_SECONDS`` so that readiness reports them;
on SQLite ``/ready`` also checks the file and the free space of its directory directly.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

FAULT_WINDOW_SECONDS = 60.0
# Below this much free space a SQLite database cannot grow by a WAL checkpoint's worth.
MIN_FREE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class StorageFault:
    condition: str  # "disk_full" or "read_only"
    status: int  # 507 Insufficient Storage or 503
    detail: str


DISK_FULL = StorageFault(
    "disk_full", 507, "The database's disk is full; nothing was changed. Free space, then retry."
)
READ_ONLY = StorageFault(
    "read_only", 503, "The database is read-only; nothing was changed. Retry once it is writable."
)
# PostgreSQL SQLSTATE: 53100 disk_full, 25006 read_only_sql_transaction (a standby).
_SQLSTATES = {"53100": DISK_FULL, "25006": READ_ONLY}
_SQLITE_TEXTS = (("database or disk is full", DISK_FULL), ("readonly database", READ_ONLY))


def classify(exc: DBAPIError) -> StorageFault | None:
    """The storage fault behind a database error, or None for any other error."""
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate in _SQLSTATES:
        return _SQLSTATES[sqlstate]
    text = str(exc.orig).lower()
    return next((fault for needle, fault in _SQLITE_TEXTS if needle in text), None)


class StorageHealth:
    """The last write fault of this process; one per app."""

    def __init__(self, database_url: str) -> None:
        self._file = _sqlite_file(database_url)
        self._last: tuple[StorageFault, float] | None = None

    def failed(self, fault: StorageFault) -> None:
        self._last = (fault, time.monotonic())

    def current(self) -> StorageFault | None:
        """A fault seen in the last minute, or one the SQLite file shows right now."""
        if self._file is not None:
            seen = _sqlite_condition(self._file)
            if seen is not None:
                return seen
        if self._last is not None and time.monotonic() - self._last[1] < FAULT_WINDOW_SECONDS:
            return self._last[0]
        return None


def _sqlite_file(database_url: str) -> Path | None:
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _sqlite_condition(path: Path) -> StorageFault | None:
    try:
        if shutil.disk_usage(path.parent).free < MIN_FREE_BYTES:
            return DISK_FULL
    except OSError:
        return None
    if path.exists() and not os.access(path, os.W_OK):
        return READ_ONLY
    return None
