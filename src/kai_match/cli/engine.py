"""The database engine every command opens, from the same settings as the service."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from kai_match.config import get_settings


def configured_engine() -> Engine:
    """An engine for ``KAI_DATABASE_URL``; imported lazily by commands, so ``--help`` stays fast."""
    from kai_match.db import make_engine

    return make_engine(get_settings())
