"""The BA job search imported: employers and vacancies by the BA's ids, vanished ones closed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session
from typer.testing import CliRunner

from kai_match.cli import app as cli
from kai_match.config import get_settings
from kai_match.imports import ba_import
from kai_match.kit.principal import SYSTEM
from kai_match.migrate import upgrade
from kai_match.models import Employer, Vacancy
from tests.imports.test_ba_client import fixtures, serve  # noqa: F401 - the fake BA server


@pytest.fixture(autouse=True)
def fresh_settings():
    """The commands read the process's settings once; each test sets its own environment."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


DATA = Path(__file__).resolve().parents[1] / "data" / "ba"
FIRST = ba_import.read_saved(DATA)
SECOND = ba_import.SavedSearch(
    json.loads((DATA / "search_second_run.json").read_text(encoding="utf-8"))["stellenangebote"],
    FIRST.details,
)


def status_by_ref(client) -> dict[str, str]:
    found = {}
    for item in client.get("/api/v1/vacancies", params={"limit": 100}).json()["items"]:
        for ref in item["external_refs"]:
            found[ref["id"]] = item["status"]
    return found


def test_a_search_imports_and_a_later_run_closes_what_vanished(client, engine):
    with Session(engine) as session:
        first = ba_import.run(session, FIRST.items, FIRST.details, SYSTEM)
        session.commit()
    assert (first.new, first.updated, first.unchanged, first.closed) == (8, 0, 0, 0)
    assert first.failed == [] and first.skipped == []
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Vacancy)).scalar_one() == 8
        employers = session.execute(select(func.count()).select_from(Employer)).scalar_one()
    assert 1 <= employers <= 8
    flagged = client.get("/api/v1/vacancies/by-ref/ba/10000-1299000101-S").json()
    assert flagged["suitable_for_refugees"] is True
    assert flagged["external_refs"] == [{"system": "ba", "id": "10000-1299000101-S"}]

    with Session(engine) as session:
        again = ba_import.run(session, FIRST.items, FIRST.details, SYSTEM)
        session.commit()
    assert (again.new, again.updated, again.unchanged, again.closed) == (0, 0, 8, 0)

    with Session(engine) as session:
        second = ba_import.run(session, SECOND.items, SECOND.details, SYSTEM)
        session.commit()
    assert (second.new, second.updated, second.unchanged, second.closed) == (1, 1, 6, 1)
    statuses = status_by_ref(client)
    assert statuses["10000-1299000105-S"] == "closed"
    assert statuses["10000-1299000109-S"] == "open"
    assert sum(s == "closed" for s in statuses.values()) == 1


def test_an_incomplete_search_closes_nothing(client, engine):
    with Session(engine) as session:
        ba_import.run(session, FIRST.items, FIRST.details, SYSTEM)
        cut = ba_import.run(session, FIRST.items[:2], FIRST.details, SYSTEM, complete=False)
        session.commit()
    assert cut.closing_skipped is True and cut.closed == 0
    assert "closed" not in status_by_ref(client).values()


def test_the_command_searches_a_local_fake_of_the_api(serve, tmp_path, monkeypatch):  # noqa: F811
    server = serve(fixtures)
    database = f"sqlite:///{tmp_path / 'kai.db'}"
    monkeypatch.setenv("KAI_DATABASE_URL", database)
    monkeypatch.setenv("KAI_BA_API_URL", server.base_url)
    from kai_match.config import Settings
    from kai_match.db import make_engine

    engine = make_engine(Settings(database_url=database))
    upgrade(engine)
    result = CliRunner().invoke(
        cli, ["import", "ba", "--from-api", "--wo", "Borna", "--page-size", "5"]
    )
    assert result.exit_code == 0, result.output
    assert "BA: 8 new, 0 updated, 0 unchanged, 0 closed, 0 failed, 0 skipped" in result.output
    assert any(seen.query.get("wo") == "Borna" for seen in server.seen)
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Vacancy)).scalar_one() == 8
    engine.dispose()


def test_the_command_says_when_the_api_is_not_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("KAI_DATABASE_URL", f"sqlite:///{tmp_path / 'kai.db'}")
    monkeypatch.delenv("KAI_BA_API_URL", raising=False)
    result = CliRunner().invoke(cli, ["import", "ba", "--from-api"])
    assert result.exit_code == 2, result.output
    assert "KAI_BA_API_URL" in result.output
