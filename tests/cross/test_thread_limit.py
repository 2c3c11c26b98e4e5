"""How many threads a worker process gives synchronous endpoints, per database."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from kai_match.config import Settings
from kai_match.main import thread_limit


@pytest.mark.parametrize(
    ("url", "configured", "expected"),
    [
        ("sqlite://", None, 40),  # more threads than concurrent writers: see thread_limit()
        ("postgresql+psycopg://kai@127.0.0.1:1/none", None, 8),
        ("postgresql+psycopg://kai@127.0.0.1:1/none", 3, 3),
        ("sqlite://", 12, 12),
    ],
)
def test_thread_limit(url, configured, expected):
    engine = create_engine(url)  # never connects
    try:
        assert thread_limit(Settings(worker_threads=configured), engine) == expected
    finally:
        engine.dispose()
