"""Schema upgrades and downgrades through Alembic, from the CLI, at start-up and in tests."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


# Every schema change on PostgreSQL takes this advisory lock in its transaction, so several
# processes starting at once migrate one after the other.
MIGRATION_LOCK = 4242001


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` on the engine's own connection."""
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to ``revision`` (``base``: an empty schema)."""
    _run(engine, command.downgrade, revision)


def _run(engine: Engine, action: Callable[[Config, str], None], revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        action(config, revision)


@cache
def lineage() -> tuple[str, ...]:
    """Revision ids from the first to head (the history is linear)."""
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return tuple(r.revision for r in reversed(list(script.walk_revisions())))


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: not migrated yet)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def resolve(revision: str) -> str:
    """A revision id or ``head``/``base`` as the id it names; unknown ones raise ``ValueError``."""
    if revision == "head":
        return lineage()[-1]
    if revision != "base" and revision not in lineage():
        raise ValueError(f"unknown revision {revision!r}; known: {', '.join(lineage())}")
    return revision


def is_older(revision: str, than: str | None) -> bool:
    """Whether ``revision`` lies before ``than`` (None: an unmigrated database) in the history."""
    target = resolve(revision)
    if than is None:
        return False
    order = ("base", *lineage())
    return order.index(target) < order.index(than)
