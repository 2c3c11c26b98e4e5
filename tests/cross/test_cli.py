"""The command line as an operator meets it (issue 21, items 4 and 5).

``--version``; errors as one line on stderr with an exit code (2 bad input, 3 database);
site names case-insensitive or refused with the list; ``fit --out`` writes a profile that
``evaluate --profile`` reads.
"""

from __future__ import annotations

import json

import pytest

from kai_match import __version__
from kai_match.cli import app
from kai_match.cli.errors import run
from kai_match.config import get_settings


@pytest.fixture
def database(tmp_path, monkeypatch):
    def use(url: str) -> None:
        monkeypatch.setenv("KAI_DATABASE_URL", url)
        get_settings.cache_clear()

    use(f"sqlite:///{tmp_path / 'cli.db'}")
    yield use
    get_settings.cache_clear()


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_version(capsys):
    assert run(app, ["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"kai-match {__version__}"


def test_a_missing_file_is_one_line_and_exit_2(capsys, database):
    assert run(app, ["evaluate", "--data", "/missing"]) == 2
    err = _lines(capsys.readouterr().err)
    assert len(err) == 1
    assert err[0].startswith("error: no such file or directory: /missing")


def test_an_unreachable_database_is_one_line_and_exit_3(capsys, database):
    database("postgresql://nobody@127.0.0.1:1/none")
    assert run(app, ["db", "current"]) == 3
    err = _lines(capsys.readouterr().err)
    assert err == [
        "error: the database cannot be reached (check KAI_DATABASE_URL) "
        "(--debug shows the traceback)"
    ]


def test_debug_shows_the_traceback(database):
    with pytest.raises(FileNotFoundError):
        run(app, ["evaluate", "--data", "/missing", "--debug"])


def test_sites_are_case_insensitive_or_refused_with_the_list(capsys, database, tmp_path):
    assert run(app, ["db", "upgrade"]) == 0
    upper, lower = tmp_path / "upper.csv", tmp_path / "lower.csv"
    assert run(app, ["report", "--site", "Grimma", "--csv", str(upper)]) == 0
    assert run(app, ["report", "--site", "grimma", "--csv", str(lower)]) == 0
    assert upper.read_text() == lower.read_text()
    capsys.readouterr()
    assert run(app, ["report", "--site", "Leipzig"]) == 2
    err = capsys.readouterr().err
    assert "'borna', 'grimma', 'markkleeberg', 'wurzen'" in err


def test_fit_out_feeds_evaluate_profile(capsys, tmp_path):
    data, profile = tmp_path / "district", tmp_path / "learned.json"
    assert run(app, ["simulate", "--participants", "120", "--vacancies", "40", "--seed", "3",
                     "--out", str(data)]) == 0  # fmt: skip
    assert run(app, ["fit", "--data", str(data), "--out", str(profile)]) == 0
    written = json.loads(profile.read_text())
    assert written["name"] == "learned"
    learned = next(
        line for line in capsys.readouterr().out.splitlines() if "learned weights" in line
    )
    assert json.loads(learned.split("learned weights ", 1)[1].split(" (C=")[0]) == pytest.approx(
        written["weights"]
    )
    assert run(app, ["evaluate", "--data", str(data), "--profile", str(profile)]) == 0
    assert any(line.startswith("learned ") for line in capsys.readouterr().out.splitlines())


def test_a_refused_command_exits_2_not_0(capsys, database):
    """``typer.Exit(code=2)`` from a command is the exit code (click returns it, not raises)."""
    assert run(app, ["db", "downgrade", "0001"]) == 2
    assert "not newer than 0001" in capsys.readouterr().err
