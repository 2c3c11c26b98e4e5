"""Migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from kai_match.db import normalise_url
from kai_match.models import metadata


def test_no_autogenerate_diff(database_url):
    engine = create_engine(normalise_url(database_url))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == []


def test_list_columns_written_as_null_become_empty_lists(database_url):
    """0005 makes list columns NOT NULL; rows an older version stored with NULL keep working."""
    from alembic import command
    from sqlalchemy import text

    from kai_match.config import Settings
    from kai_match.db import make_engine
    from kai_match.migrate import alembic_config, upgrade

    engine = make_engine(Settings(database_url=database_url))
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO employer (name, postal_code, sector, support, version, created_at,"
                " updated_at) VALUES ('Alt GmbH', '04668', 'C10.1', NULL, 1, :now, :now)"
            ),
            {"now": "2026-01-01 00:00:00"},
        )
    upgrade(engine)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT support FROM employer")).scalar_one()
    engine.dispose()
    assert stored in ([], "[]")
