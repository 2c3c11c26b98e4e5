"""The README's walk-through, run as written against a live server on the demo (issue 21.1).

The ``sh`` block under "## Calls" is read from README.md itself and run with bash (curl, python3)
against uvicorn on a free port, on a database seeded like ``serve --demo``; only the address in
its first line is replaced. Every call uses ``curl -f``, so any answer ≥ 400 stops the script.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kai_match.config import Settings
from kai_match.demo.service import seed_demo
from kai_match.main import create_app
from tests.live_server import serve

ROOT = Path(__file__).resolve().parents[2]
README_KEY = "change-me-local-admin-key"


def walk_through() -> str:
    text = (ROOT / "README.md").read_text()
    calls = text.split("\n## Calls\n", 1)[1]
    return re.search(r"```sh\n(.*?)```", calls, re.S).group(1)


@pytest.fixture
def demo_server(tmp_path, sqlite_template):
    path = tmp_path / "readme.db"
    shutil.copy(sqlite_template, path)
    settings = Settings(
        database_url=f"sqlite:///{path}",
        environment="test",
        auto_migrate=False,
        bootstrap_admin_key=README_KEY,
        rate_limit_per_minute=0,
    )
    app = create_app(settings)
    server, thread, base_url = serve(app)
    try:
        seed_demo(app.state.engine, participants=300, vacancies=400, seed=7)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's calls use curl")
def test_the_readme_walk_through_works_as_written(demo_server):
    script = walk_through()
    assert script.startswith("API=http://127.0.0.1:8000/api/v1\n")
    assert f"KEY={README_KEY}" in script
    script = script.replace("http://127.0.0.1:8000", demo_server, 1)
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (done.stdout, done.stderr)
    out = done.stdout.splitlines()
    assert "2027-02-01" in out  # the PATCH guarded by the ETag went through
    assert "proposed" in out  # the placement moved along
    assert any("Kommissionieren" in line or "Kenntnis" in line for line in out)
    assert out[-1] in ("True", "False")  # the second feed pull answered
    assert "[{'name': 'commute'" in "\n".join(out)  # vacancy 7 is out of reach, by name
