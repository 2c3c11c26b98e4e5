"""``kai-match db backup`` / ``db restore``: consistent copies taken online, checked restores.

SQLite through its online backup API, PostgreSQL through pg_dump / pg_restore (skipped with
the reason when the server or the client tools are missing).
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from kai_match.backup import BackupError, backup, pg_dump_command, restore
from kai_match.cli import app
from kai_match.config import get_settings
from kai_match.db import normalise_url
from kai_match.migrate import lineage
from tests.conftest import _postgres_unavailable_reason, migrated_postgres_database

runner = CliRunner()
SEEDED_CHANGES = 30_000


def _tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in rowid order."""
    connection = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            n: connection.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names
        }
    finally:
        connection.close()


def _ids(path: Path) -> list[int]:
    connection = sqlite3.connect(path)
    try:
        return [r[0] for r in connection.execute("SELECT id FROM change_log ORDER BY id")]
    finally:
        connection.close()


@pytest.fixture
def live_db(tmp_path: Path, sqlite_template: Path) -> Path:
    """A migrated SQLite database in WAL mode with employers and many change rows."""
    path = tmp_path / "live.db"
    shutil.copy(sqlite_template, path)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    with connection:
        connection.executemany(
            "INSERT INTO employer (name, postal_code, support, version, created_at, updated_at) "
            "VALUES (?, '04552', '[]', 1, '2026-12-01 10:00:00', '2026-12-01 10:00:00')",
            [(f"Betrieb {i} – Grüße 🚚",) for i in range(200)],
        )
        connection.executemany(
            "INSERT INTO change_log (entity, entity_id, changed_at) "
            "VALUES ('vacancy', ?, '2026-12-01 10:00:00')",
            [(i,) for i in range(SEEDED_CHANGES)],
        )
    connection.close()
    return path


class Writer(threading.Thread):
    """Another connection committing one change row after the other until stopped."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.committed = 0
        self.stop = threading.Event()
        self.progress = threading.Condition()

    def run(self) -> None:
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.execute("PRAGMA busy_timeout=30000")
        while not self.stop.is_set():
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "INSERT INTO change_log (entity, entity_id, changed_at) "
                "VALUES ('participant', 1, '2026-12-01 11:00:00')"
            )
            connection.execute("COMMIT")
            with self.progress:
                self.committed += 1
                self.progress.notify_all()
        connection.close()

    def wait_for(self, count: int) -> None:
        with self.progress:
            assert self.progress.wait_for(lambda: self.committed >= count, timeout=60)


def test_sqlite_backup_is_a_consistent_snapshot_while_another_connection_writes(
    live_db: Path, tmp_path: Path
) -> None:
    target = tmp_path / "backup.db"
    writer = Writer(live_db)
    writer.start()
    try:
        writer.wait_for(20)
        result = backup(f"sqlite:///{live_db}", target)
        after_backup = writer.committed
        writer.wait_for(after_backup + 20)
    finally:
        writer.stop.set()
        writer.join()

    ids = _ids(target)
    # A single writer commits ids in order: a consistent snapshot holds exactly a prefix.
    assert ids == list(range(1, len(ids) + 1))
    assert len(ids) >= SEEDED_CHANGES + 20
    assert len(_ids(live_db)) > len(ids)  # the writer went on meanwhile
    assert result.revision == lineage()[-1]
    assert result.size_bytes == target.stat().st_size
    check = sqlite3.connect(target)
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
    assert not Path(f"{target}-wal").exists()
    assert not list(tmp_path.glob(".backup.db.*.partial"))


def test_sqlite_restore_brings_back_exactly_the_backup(live_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    backup(f"sqlite:///{live_db}", target)
    saved = _tables(target)
    connection = sqlite3.connect(live_db)
    with connection:
        connection.execute("DELETE FROM employer WHERE id <= 50")
        connection.execute("UPDATE employer SET name = 'überschrieben' WHERE id = 60")
        connection.execute(
            "INSERT INTO change_log (entity, entity_id, changed_at) "
            "VALUES ('vacancy', 1, '2026-12-02 09:00:00')"
        )
    connection.close()
    assert _tables(live_db) != saved

    result = restore(f"sqlite:///{live_db}", target)

    assert result.revision == lineage()[-1]
    assert not result.behind_head
    assert _tables(live_db) == saved
    assert len(saved["employer"]) == 200
    assert saved["employer"][0][1] == "Betrieb 0 – Grüße 🚚"
    check = sqlite3.connect(live_db)
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # as the service runs it
    check.close()


@pytest.fixture
def cli_env(monkeypatch, live_db: Path) -> Iterator[Path]:
    monkeypatch.setenv("KAI_DATABASE_URL", f"sqlite:///{live_db}")
    get_settings.cache_clear()
    yield live_db
    get_settings.cache_clear()


def test_cli_backup_and_restore(cli_env: Path, tmp_path: Path) -> None:
    target = tmp_path / "nightly.db"
    made = runner.invoke(app, ["db", "backup", str(target)])
    assert made.exit_code == 0, made.output
    assert f"backup written to {target}" in made.output
    assert f"schema revision {lineage()[-1]}" in made.output
    saved = _tables(target)
    connection = sqlite3.connect(cli_env)
    with connection:
        connection.execute("DELETE FROM employer")
    connection.close()

    restored = runner.invoke(app, ["db", "restore", str(target)])
    assert restored.exit_code == 0, restored.output
    assert f"restored {target} into {cli_env}" in restored.output
    assert "db upgrade" not in restored.output  # same revision: nothing to do
    assert _tables(cli_env) == saved


def test_restore_of_an_older_schema_names_the_upgrade(cli_env: Path, tmp_path: Path) -> None:
    target = tmp_path / "old.db"
    backup(f"sqlite:///{cli_env}", target)
    older = lineage()[-2]
    connection = sqlite3.connect(target)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (older,))
    connection.close()
    result = runner.invoke(app, ["db", "restore", str(target)])
    assert result.exit_code == 0, result.output
    assert "run `kai-match db upgrade`" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id;name\n1;Logistik A GmbH\n" * 100, "is not a SQLite database"),
        (None, "is not a kai-match database: it has no alembic_version table"),
    ],
    ids=["csv-file", "sqlite-without-alembic-version"],
)
def test_restore_refuses_what_is_not_a_kai_match_database(
    cli_env: Path, tmp_path: Path, content: bytes | None, message: str
) -> None:
    source = tmp_path / "not-a-backup.db"
    if content is None:
        other = sqlite3.connect(source)
        with other:
            other.execute("CREATE TABLE employer (id INTEGER PRIMARY KEY, name TEXT)")
            other.execute("INSERT INTO employer (name) VALUES ('fremd')")
        other.close()
    else:
        source.write_bytes(content)
    before = _tables(cli_env)

    result = runner.invoke(app, ["db", "restore", str(source)])

    assert result.exit_code == 2
    assert message in result.output
    assert _tables(cli_env) == before


def test_restore_refuses_a_backup_from_a_newer_release(cli_env: Path, tmp_path: Path) -> None:
    target = tmp_path / "from-the-future.db"
    backup(f"sqlite:///{cli_env}", target)
    connection = sqlite3.connect(target)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '20991231_9999'")
    connection.close()
    connection = sqlite3.connect(cli_env)
    with connection:
        connection.execute("DELETE FROM employer")
    connection.close()
    before = _tables(cli_env)

    result = runner.invoke(app, ["db", "restore", str(target)])

    assert result.exit_code == 2
    assert "schema revision 20991231_9999, which this release does not know" in result.output
    assert _tables(cli_env) == before


def test_restore_refuses_a_missing_file_and_backup_a_missing_database(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="does not exist"):
        restore(f"sqlite:///{tmp_path / 'kai.db'}", tmp_path / "nothing.db")
    with pytest.raises(BackupError, match="there is no SQLite database"):
        backup(f"sqlite:///{tmp_path / 'absent.db'}", tmp_path / "b.db")
    assert not (tmp_path / "absent.db").exists()  # not created by the attempt


def test_postgres_backup_without_pg_dump_prints_the_command(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump here
    monkeypatch.setenv("KAI_DATABASE_URL", "postgresql://kai:s3cret-pw@db.internal:5432/kai")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["db", "backup", str(tmp_path / "kai.dump")])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "pg_dump is not on PATH" in result.output
    assert (
        f"pg_dump --format=custom --dbname=postgresql://kai@db.internal:5432/kai "
        f"--file={tmp_path / 'kai.dump'}"
    ) in result.output
    assert "s3cret-pw" not in result.output
    assert "PGPASSWORD" in result.output


def test_pg_dump_command_keeps_the_password_off_the_command_line() -> None:
    url = make_url(normalise_url("postgresql://kai:s3cret-pw@db:5432/kai?sslmode=require"))
    command = pg_dump_command(url, Path("/backups/kai.dump"))
    assert command == [
        "pg_dump",
        "--format=custom",
        "--dbname=postgresql://kai@db:5432/kai?sslmode=require",
        "--file=/backups/kai.dump",
    ]


# --- PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A database of its own on the test server (pg_restore --clean drops and recreates)."""
    reason = _postgres_unavailable_reason()
    if reason:
        pytest.skip(reason)
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"PostgreSQL client tools not on PATH: {', '.join(missing)}")
    with migrated_postgres_database("kai_backup") as url:
        yield url


def _pg_rows(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return {
                table: [
                    tuple(r)
                    for r in connection.execute(text(f'SELECT * FROM "{table}" ORDER BY 1'))
                ]
                for table in ("employer", "change_log", "alembic_version")
            }
    finally:
        engine.dispose()


def _pg_execute(url: str, *statements: str) -> None:
    engine = create_engine(normalise_url(url))
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


@pytest.mark.postgres
def test_postgres_dump_and_restore_round_trip(pg_database: str, tmp_path: Path) -> None:
    _pg_execute(
        pg_database,
        "INSERT INTO employer (name, postal_code, support, version, created_at, updated_at) "
        "SELECT 'Betrieb ' || g || ' – Grüße', '04552', '[]', 1, now(), now() "
        "FROM generate_series(1, 100) g",
        "INSERT INTO change_log (entity, entity_id, changed_at) "
        "SELECT 'employer', g, now() FROM generate_series(1, 100) g",
    )
    saved = _pg_rows(pg_database)
    dump = tmp_path / "kai.dump"
    made = backup(pg_database, dump)
    assert made.revision == lineage()[-1]
    assert dump.stat().st_size == made.size_bytes > 0
    _pg_execute(
        pg_database,
        "DELETE FROM employer WHERE id <= 40",
        "INSERT INTO change_log (entity, entity_id, changed_at) VALUES ('employer', 1, now())",
    )
    assert _pg_rows(pg_database) != saved

    result = restore(pg_database, dump)

    assert result.revision == lineage()[-1]
    assert "@" in result.target
    assert _pg_rows(pg_database) == saved
    # The sequences came back too: the next change id follows the restored ones.
    _pg_execute(
        pg_database,
        "INSERT INTO change_log (entity, entity_id, changed_at) VALUES ('employer', 2, now())",
    )
    assert _pg_rows(pg_database)["change_log"][-1][0] == 101


@pytest.mark.postgres
def test_postgres_restore_refusals(pg_database: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"PGDMP? no: just text\n" * 10)
    with pytest.raises(BackupError, match="is not a pg_dump archive"):
        restore(pg_database, junk)

    dump = tmp_path / "kai.dump"
    backup(pg_database, dump)
    _pg_execute(pg_database, f"UPDATE alembic_version SET version_num = '{lineage()[0]}'")
    with pytest.raises(BackupError, match=f"the database is at revision {lineage()[0]}"):
        restore(pg_database, dump)

    _pg_execute(pg_database, "DROP TABLE alembic_version")
    foreign = tmp_path / "foreign.dump"
    backup(pg_database, foreign)
    with pytest.raises(BackupError, match="not a kai-match database"):
        restore(pg_database, foreign)
