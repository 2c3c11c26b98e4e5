"""CLI: schema upgrades and a reproducible demo district."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from kai_match.cli import app
from kai_match.config import get_settings
from kai_match.migrate import lineage

runner = CliRunner()


@pytest.fixture
def sqlite_env(tmp_path, monkeypatch):
    def use(name: str) -> str:
        url = f"sqlite:///{tmp_path / name}"
        monkeypatch.setenv("KAI_DATABASE_URL", url)
        get_settings.cache_clear()
        return url

    yield use
    get_settings.cache_clear()


def _rows(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(text(sql))]
    engine.dispose()
    return rows


def test_db_upgrade_creates_the_schema(sqlite_env):
    url = sqlite_env("upgrade.db")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    tables = {r[0] for r in _rows(url, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "participant",
        "participant_personal",
        "vacancy",
        "employer",
        "alembic_version",
    } <= tables


def test_demo_is_a_believable_district_and_reproducible(sqlite_env):
    first = sqlite_env("demo1.db")
    result = runner.invoke(
        app, ["demo", "--participants", "60", "--vacancies", "48", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "60 participants, 48 vacancies" in result.output
    second = sqlite_env("demo2.db")
    assert (
        runner.invoke(
            app, ["demo", "--participants", "60", "--vacancies", "48", "--seed", "3"]
        ).exit_code
        == 0
    )

    query = (
        "SELECT p.site, p.german_level, p.home_postal_code, p.work_permit_status, s.skill_id "
        "FROM participant p LEFT JOIN participant_skill s ON s.participant_id = p.id "
        "ORDER BY p.id, s.id"
    )
    assert _rows(first, query) == _rows(second, query)
    vacancy_query = "SELECT title, type, postal_code, min_german_level FROM vacancy ORDER BY id"
    assert _rows(first, vacancy_query) == _rows(second, vacancy_query)

    participants = _rows(first, "SELECT site, german_level, work_permit_status FROM participant")
    assert {site for site, _, _ in participants} == {"borna", "grimma", "markkleeberg", "wurzen"}
    levels = Counter(level for _, level, _ in participants)
    assert levels["A1"] + levels["A2"] + levels["B1"] >= 0.8 * len(participants)
    assert len({permit for _, _, permit in participants}) >= 3
    codes = {r[0] for r in _rows(first, "SELECT home_postal_code FROM participant")}
    assert all(code.startswith("04") for code in codes)
    normalised = _rows(first, "SELECT COUNT(*) FROM participant_skill WHERE skill_id IS NOT NULL")
    total = _rows(first, "SELECT COUNT(*) FROM participant_skill")
    assert normalised[0][0] >= 0.9 * total[0][0]


def test_other_seed_gives_another_district(sqlite_env):
    first = sqlite_env("a.db")
    runner.invoke(app, ["demo", "--participants", "20", "--vacancies", "12", "--seed", "1"])
    second = sqlite_env("b.db")
    runner.invoke(app, ["demo", "--participants", "20", "--vacancies", "12", "--seed", "2"])
    query = "SELECT german_level, home_postal_code FROM participant ORDER BY id"
    assert _rows(first, query) != _rows(second, query)


def test_demo_on_a_seeded_database_adds_nothing(sqlite_env):
    url = sqlite_env("twice.db")
    args = ["demo", "--participants", "20", "--vacancies", "12", "--seed", "1"]
    assert runner.invoke(app, args).exit_code == 0
    vacancies = _rows(url, "SELECT COUNT(*) FROM vacancy")  # 12 open ones and the history's
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "already holds 20 participants; demo data not loaded again" in again.output
    assert _rows(url, "SELECT COUNT(*) FROM participant") == [(20,)]
    assert _rows(url, "SELECT COUNT(*) FROM vacancy") == vacancies


def test_two_seeders_at_once_seed_the_district_once(database_url):
    """Two processes started with --demo on one empty database: one seeds, the other waits."""
    import threading

    from kai_match.config import Settings
    from kai_match.db import make_engine
    from kai_match.demo.service import seed_demo

    engine = make_engine(Settings(database_url=database_url))
    barrier = threading.Barrier(2)
    results = []

    def seed() -> None:
        barrier.wait()
        results.append(seed_demo(engine, participants=15, vacancies=6, seed=5))

    threads = [threading.Thread(target=seed) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT COUNT(*) FROM participant")).scalar_one()
    engine.dispose()
    assert count == 15
    assert sorted(r.already_present for r in results) == [0, 15]


def test_db_commands_tell_the_truth(sqlite_env):
    url = sqlite_env("revisions.db")
    assert runner.invoke(app, ["db", "current"]).output.strip() == "base"
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    head = runner.invoke(app, ["db", "current"]).output.strip()
    assert head == lineage()[-1]
    older = runner.invoke(app, ["db", "upgrade", "0003"])
    assert older.exit_code == 2
    assert "newer than 0003" in older.output and "db downgrade 0003" in older.output
    assert runner.invoke(app, ["db", "current"]).output.strip() == head
    down = runner.invoke(app, ["db", "downgrade", "0004"])
    assert down.exit_code == 0, down.output
    assert "database at 0004" in down.output
    assert _rows(url, "SELECT version_num FROM alembic_version") == [("0004",)]
    unknown = runner.invoke(app, ["db", "upgrade", "9999"])
    assert unknown.exit_code == 2 and "unknown revision '9999'" in unknown.output
    assert runner.invoke(app, ["db", "upgrade"]).output.strip() == f"database at {head}"


def test_serve_honours_auto_migrate_false(sqlite_env, monkeypatch):
    import uvicorn

    url = sqlite_env("no-migrate.db")
    monkeypatch.setenv("KAI_AUTO_MIGRATE", "false")
    get_settings.cache_clear()
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert _rows(url, "SELECT name FROM sqlite_master WHERE name = 'alembic_version'") == []
