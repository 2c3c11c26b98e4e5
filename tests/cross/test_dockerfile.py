"""The production image, checked from its Dockerfile (no Docker engine runs here; issue 21.3).

Non-root, production settings, migrations as a one-off step (not at every start), dependencies
in a layer before the source, a data volume, a health check whose start period covers a
worker's start, and the gunicorn process model.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def instructions() -> list[tuple[str, str]]:
    """(instruction, arguments) in order, continuation lines joined, comments dropped."""
    lines = [line for line in (ROOT / "Dockerfile").read_text().splitlines()]
    joined: list[str] = []
    buffer = ""
    for line in lines:
        if not buffer and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        joined.append(buffer + line)
        buffer = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1]) for text in joined]


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (name, _) in enumerate(steps) if name == "FROM")
    return steps[last_from:]


def env_of(stage: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for name, args in stage:
        if name == "ENV":
            env |= dict(part.split("=", 1) for part in shlex.split(args))
    return env


def test_the_image_runs_as_production_without_migrating_at_start():
    env = env_of(final_stage())
    assert env["KAI_ENVIRONMENT"] == "production"
    assert env["KAI_AUTO_MIGRATE"] == "false"
    assert "KAI_DATABASE_URL" not in env  # production needs PostgreSQL, given at run time
    readme = (ROOT / "README.md").read_text()
    assert "kai-match db upgrade" in readme.split("## Docker", 1)[1]


def test_it_runs_as_a_non_root_user_with_a_data_volume():
    stage = final_stage()
    users = [args for name, args in stage if name == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert any(name == "VOLUME" and "/data" in args for name, args in stage)


def test_dependencies_are_installed_before_the_source_is_copied():
    build = instructions()[: max(i for i, (n, _) in enumerate(instructions()) if n == "FROM")]
    copies = [i for i, (name, args) in enumerate(build) if name == "COPY"]
    source = next(i for i in copies if "src" in build[i][1].split())
    installs = [
        i for i, (name, args) in enumerate(build) if name == "RUN" and "pip install" in args
    ]
    assert installs and installs[0] < source
    assert "--no-deps" in build[installs[-1]][1] and installs[-1] > source


def test_the_health_check_waits_for_a_worker_to_start():
    stage = final_stage()
    (check,) = [args for name, args in stage if name == "HEALTHCHECK"]
    start_period = int(re.search(r"--start-period=(\d+)s", check).group(1))
    assert start_period >= int(env_of(stage)["KAI_WORKER_TIMEOUT"])
    assert "/health" in check


def test_it_serves_with_several_gunicorn_supervised_workers():
    stage = final_stage()
    (command,) = [args for name, args in stage if name == "CMD"]
    assert command.startswith('["kai-match", "serve"')
    assert int(env_of(stage)["KAI_WORKERS"]) > 1
