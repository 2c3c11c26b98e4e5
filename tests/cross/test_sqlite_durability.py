"""SQLite's `PRAGMA synchronous` is chosen by a setting, FULL unless NORMAL is asked for."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from kai_match.config import Settings
from kai_match.db import make_engine

# PRAGMA synchronous answers a number: 1 NORMAL, 2 FULL.
LEVELS = {"NORMAL": 1, "FULL": 2}


@pytest.mark.parametrize(("configured", "expected"), [(None, "FULL"), ("NORMAL", "NORMAL")])
def test_every_sqlite_connection_gets_the_configured_synchronous_level(
    tmp_path, monkeypatch, configured, expected
):
    if configured:
        monkeypatch.setenv("KAI_SQLITE_SYNCHRONOUS", configured)
    else:
        monkeypatch.delenv("KAI_SQLITE_SYNCHRONOUS", raising=False)
    engine = make_engine(Settings(database_url=f"sqlite:///{tmp_path / 'kai.db'}"))
    try:
        for _ in range(2):  # NullPool: each connection is new and gets the pragmas again
            with engine.connect() as connection:
                level = connection.execute(text("PRAGMA synchronous")).scalar_one()
                mode = connection.execute(text("PRAGMA journal_mode")).scalar_one()
            assert (level, mode) == (LEVELS[expected], "wal")
    finally:
        engine.dispose()


def test_synchronous_off_is_refused(monkeypatch):
    monkeypatch.setenv("KAI_SQLITE_SYNCHRONOUS", "OFF")
    with pytest.raises(ValidationError, match="sqlite_synchronous"):
        Settings()
