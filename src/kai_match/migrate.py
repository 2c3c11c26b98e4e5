"""Schema upgrades and downgrades through Alembic, from the CLI, at start-up and in tests."""

from __future__ import annotations

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


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` on the engine's own connection."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several workers may start at once; only one migrates at a time.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(4242001)")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _lineage(config: Config) -> list[str]:
    """Revision ids from the first to head (the history is linear)."""
    script = ScriptDirectory.from_config(config)
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: not migrated yet)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def resolve(engine: Engine, revision: str) -> str:
    """A revision id or ``head``/``base`` as the id it names; unknown ones raise ``ValueError``."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    lineage = _lineage(config)
    if revision == "head":
        return lineage[-1]
    if revision == "base":
        return "base"
    if revision not in lineage:
        raise ValueError(f"unknown revision {revision!r}; known: {', '.join(lineage)}")
    return revision


def is_older(engine: Engine, revision: str, than: str | None) -> bool:
    """Whether ``revision`` lies before ``than`` in the history."""
    if than is None:
        return False
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    lineage = ["base", *_lineage(config)]
    return lineage.index(resolve(engine, revision)) < lineage.index(than)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to ``revision`` (``base``: an empty schema), under the same lock."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(4242001)")
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
