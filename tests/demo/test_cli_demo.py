"""CLI: schema upgrades and a reproducible demo district."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from kai_match.cli import app
from kai_match.config import get_settings

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
