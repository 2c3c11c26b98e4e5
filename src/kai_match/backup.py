"""Backups of the database and restoring them, while the service runs (no HTTP).

SQLite: the online backup API of SQLite (``sqlite3.Connection.backup``) copies a consistent
snapshot page by page under a read transaction, so writers go on meanwhile. A plain file copy
of a WAL database is not a backup: the newest commits live in the ``-wal`` file, and a copy
taken during a checkpoint can be torn. A backup is one self-contained file (rollback journal,
not WAL) that is checked before it replaces FILE. Restoring runs the same API the other way
into the live database: other connections see the restored state at once, like one big
transaction.

PostgreSQL: ``pg_dump -Fc`` and ``pg_restore --clean --if-exists --single-transaction``, run
when they are on PATH (otherwise :class:`BackupError` names the command lines to run). The
password is handed over in ``PGPASSWORD``, never on a command line.

A restore refuses a file that is not a kai-match database (no ``alembic_version``) and a backup
whose schema revision this release does not know (one from a newer release). Running workers
notice a restore through the change log (``matching/indexes.py``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from kai_match.db import normalise_url
from kai_match.migrate import is_older, lineage

# How long the backup's or restore's SQLite connections wait for the service's writers.
SQLITE_BUSY_TIMEOUT_SECONDS = 30.0


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    revision: str | None
    size_bytes: int


@dataclass(frozen=True)
class RestoreResult:
    revision: str
    target: str  # the database restored into (no password)

    @property
    def behind_head(self) -> bool:
        """The backup's schema is older than this release's: ``db upgrade`` is due."""
        return self.revision != lineage()[-1]


def backup(database_url: str, target: Path) -> BackupResult:
    """Write a consistent backup of the database to ``target`` (replaced only when complete)."""
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite":
        return _sqlite_backup(_sqlite_path(url), target)
    if url.get_backend_name() == "postgresql":
        return _pg_backup(url, target)
    raise BackupError(f"backups of {url.get_backend_name()} databases are not supported")


def restore(database_url: str, source: Path) -> RestoreResult:
    """Replace the database's contents with the backup in ``source``, after checking it."""
    url = make_url(normalise_url(database_url))
    if not source.is_file():
        raise BackupError(f"{source} does not exist or is not a file")
    if url.get_backend_name() == "sqlite":
        return _sqlite_restore(_sqlite_path(url), source)
    if url.get_backend_name() == "postgresql":
        return _pg_restore(url, source)
    raise BackupError(f"restoring {url.get_backend_name()} databases is not supported")


def check_revision(revision: str | None, source: Path) -> str:
    """The backup's revision, if this release can run on it; refusals name the reason."""
    if revision is None:
        raise BackupError(f"{source} holds no schema revision: not a kai-match backup")
    if revision not in lineage():
        raise BackupError(
            f"{source} is at schema revision {revision}, which this release does not know "
            f"(its newest is {lineage()[-1]}): a backup from a newer release is restored with "
            "that release"
        )
    return revision


# --- SQLite ------------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("an in-memory or URI-named SQLite database cannot be backed up here")
    return Path(url.database)


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    return sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)


def _sqlite_revision(connection: sqlite3.Connection) -> str | None:
    has_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _sqlite_backup(database: Path, target: Path) -> BackupResult:
    if not database.is_file():
        raise BackupError(f"there is no SQLite database at {database}")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    source = _connect(database)
    try:
        destination = sqlite3.connect(partial)
        try:
            # One step (all pages under one read transaction): a consistent snapshot, however
            # much the service writes meanwhile (WAL lets writers go on).
            source.backup(destination)
            destination.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
            verdict = destination.execute("PRAGMA integrity_check").fetchone()[0]
            revision = _sqlite_revision(destination)
        finally:
            destination.close()
        if verdict != "ok":
            raise BackupError(f"the backup failed its integrity check: {verdict}")
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"the backup failed: {exc}") from exc
    finally:
        source.close()
        partial.unlink(missing_ok=True)
    return BackupResult(path=target, revision=revision, size_bytes=target.stat().st_size)


def inspect_sqlite_backup(source: Path) -> str:
    """The revision of a SQLite backup, after checking it is a sound kai-match database."""
    try:
        connection = _connect(source, read_only=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{source} cannot be opened as a SQLite database: {exc}") from exc
    try:
        try:
            revision = _sqlite_revision(connection)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not a SQLite database ({exc})") from exc
        if revision is None:
            raise BackupError(
                f"{source} is not a kai-match database: it has no alembic_version table"
            )
        verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"{source} is damaged: {verdict}")
    finally:
        connection.close()
    return check_revision(revision, source)


def _sqlite_restore(database: Path, source: Path) -> RestoreResult:
    if database.exists() and database.resolve() == source.resolve():
        raise BackupError("the backup file is the database itself")
    revision = inspect_sqlite_backup(source)
    backup_connection = _connect(source, read_only=True)
    try:
        live = _connect(database)
        try:
            # The service runs the database in WAL mode; the restored pages keep it so.
            live.execute("PRAGMA journal_mode=WAL")
            backup_connection.backup(live)
            restored = _sqlite_revision(live)
        finally:
            live.close()
    except sqlite3.Error as exc:
        raise BackupError(f"the restore failed: {exc}") from exc
    finally:
        backup_connection.close()
    if restored != revision:
        raise BackupError(f"the restore did not take: the database is at {restored}")
    return RestoreResult(revision=revision, target=str(database))


# --- PostgreSQL --------------------------------------------------------------------------------


def libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """A connection URI for the PostgreSQL tools without the password, and their environment."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )  # ``url.set(password=None)`` would keep the password
    return plain.render_as_string(hide_password=False), env


def pg_dump_command(url: URL, target: Path) -> list[str]:
    uri, _ = libpq_target(url)
    return ["pg_dump", "--format=custom", f"--dbname={uri}", f"--file={target}"]


def pg_restore_command(url: URL, source: Path) -> list[str]:
    uri, _ = libpq_target(url)
    return [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={uri}",
        str(source),
    ]


def _tool(name: str, command: list[str]) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not on PATH; install the PostgreSQL client tools (the server's major "
            f"version or newer) or run on a machine that has them (give the password in "
            f"PGPASSWORD):\n  {' '.join(command)}"
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            f"{command[0]} failed (exit {result.returncode}): {result.stderr.strip()}"
        )
    return result


def _pg_backup(url: URL, target: Path) -> BackupResult:
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    command = pg_dump_command(url, partial)
    command[0] = _tool("pg_dump", pg_dump_command(url, target))
    _, env = libpq_target(url)
    try:
        # pg_dump reads one snapshot (repeatable read), so writers go on meanwhile.
        _run(command, env)
        revision = _pg_archive_revision(partial, env)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=target, revision=revision, size_bytes=target.stat().st_size)


def _pg_archive_revision(archive: Path, env: dict[str, str]) -> str | None:
    """The ``alembic_version`` row of a ``pg_dump -Fc`` archive (None: the archive has none)."""
    pg_restore = _tool("pg_restore", ["pg_restore", "--list", str(archive)])
    listing = subprocess.run(
        [pg_restore, "--list", str(archive)], env=env, capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise BackupError(f"{archive} is not a pg_dump archive (-Fc): {listing.stderr.strip()}")
    if not any(
        "TABLE DATA" in line and "alembic_version" in line for line in listing.stdout.splitlines()
    ):
        return None
    data = _run(
        [pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(archive)], env
    )
    lines = iter(data.stdout.splitlines())
    for line in lines:
        if line.startswith("COPY ") and "alembic_version" in line:
            first = next(lines, "\\.")
            return None if first == "\\." else first.strip()
    return None


def _pg_current_revision(url: URL) -> str | None:
    from sqlalchemy import create_engine

    from kai_match.migrate import current_revision

    engine = create_engine(url)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


def _pg_restore(url: URL, source: Path) -> RestoreResult:
    _, env = libpq_target(url)
    revision = _pg_archive_revision(source, env)
    if revision is None:
        raise BackupError(f"{source} is not a kai-match database: it has no alembic_version table")
    check_revision(revision, source)
    current = _pg_current_revision(url)
    if current is not None and current != revision:
        # --clean drops and recreates only what the archive holds: tables of newer migrations
        # would be left behind and break the next upgrade.
        step = "downgrade" if is_older(revision, current) else "upgrade"
        raise BackupError(
            f"the database is at revision {current}, the backup at {revision}: take the "
            f"database to the backup's revision first (`kai-match db {step} {revision}`) "
            "or restore into an empty database"
        )
    command = pg_restore_command(url, source)
    command[0] = _tool("pg_restore", pg_restore_command(url, source))
    _run(command, env)
    restored = _pg_current_revision(url)
    if restored != revision:
        raise BackupError(f"the restore did not take: the database is at {restored}")
    return RestoreResult(revision=revision, target=libpq_target(url)[0])
