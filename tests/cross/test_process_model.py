"""``serve --workers N``: gunicorn with uvicorn workers, shared metrics, a clean stop.

The service runs as a real subprocess on a free 127.0.0.1 port against a temporary SQLite
database. Which worker answered is read from the Prometheus multi-process files: each worker
writes ``counter_<pid>.db`` in ``PROMETHEUS_MULTIPROC_DIR``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families
from typer.testing import CliRunner

from kai_match.cli import app
from kai_match.cli import process as process_model
from kai_match.config import get_settings
from tests.conftest import ADMIN_KEY

GRACEFUL_TIMEOUT = 5
REQUESTS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> set[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return {int(child) for child in text.split()}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def _health_per_pid(directory: Path) -> dict[int, float]:
    """Answered ``GET /health`` per worker pid, from each worker's own counter file."""
    counts: dict[int, float] = {}
    for path in directory.glob("counter_*.db"):
        pid = int(path.stem.removeprefix("counter_"))
        for metric in MultiProcessCollector.merge([str(path)]):
            for sample in metric.samples:
                if sample.name == "kai_http_requests_total" and sample.labels["route"] == "/health":
                    counts[pid] = counts.get(pid, 0) + sample.value
    return counts


def _scraped_health_total(base: str) -> float:
    text = httpx.get(f"{base}/metrics", timeout=30).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "kai_http_requests_total" and sample.labels.get("route") == "/health"
    )


def _leave_stale_metrics(directory: Path, env: dict[str, str]) -> None:
    """A counter file of an earlier run (7 answered /health) that must not count in this one."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from kai_match.api.observability import REQUESTS; "
            "REQUESTS.labels('GET', '/health', '200').inc(7)",
        ],
        env=env | {"PROMETHEUS_MULTIPROC_DIR": str(directory)},
        check=True,
    )
    assert list(directory.glob("counter_*.db"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads worker pids from /proc")
def test_two_workers_share_the_load_and_the_metrics_and_stop_on_sigterm(
    tmp_path: Path, sqlite_template: Path
) -> None:
    database = tmp_path / "kai.db"
    shutil.copy(sqlite_template, database)
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("KAI_") and key != "PROMETHEUS_MULTIPROC_DIR"
    } | {
        "KAI_DATABASE_URL": f"sqlite:///{database}",
        "KAI_ENVIRONMENT": "test",
        "KAI_BOOTSTRAP_ADMIN_KEY": ADMIN_KEY,
        "KAI_RATE_LIMIT_PER_MINUTE": "0",
        "KAI_WARM_UP": "false",
        "KAI_LOG_LEVEL": "WARNING",
    }
    _leave_stale_metrics(metrics_dir, env)
    command = [
        sys.executable,
        "-c",
        "from kai_match.cli import app; app()",
        "serve",
        "--port",
        str(port),
        "--workers",
        "2",
        "--graceful-timeout",
        str(GRACEFUL_TIMEOUT),
    ]
    master = subprocess.Popen(
        command,
        env=env | {"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "KAI_WORKER_TIMEOUT": "120"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert master.poll() is None, master.stderr.read() if master.stderr else ""
            assert time.monotonic() < deadline, "the service did not answer /health"
            try:
                # A long timeout: a request that reached a worker still starting is answered
                # (and counted) once it has started, so it must not be given up and resent.
                if httpx.get(f"{base}/health", timeout=120).status_code == 200:
                    break
            except httpx.ConnectError:  # no socket bound yet: the request reached nobody
                time.sleep(0.2)
        workers = _children(master.pid)
        assert len(workers) == 2

        # A new connection per request: the kernel picks one of the two listening sockets.
        for _ in range(REQUESTS):
            assert httpx.get(f"{base}/health", timeout=120).json() == {"status": "ok"}
        answered = 1 + REQUESTS  # the first /health above

        per_pid = _health_per_pid(metrics_dir)
        assert set(per_pid) == workers, (per_pid, workers)  # the stale file is gone
        assert sum(per_pid.values()) == answered
        # Both answered, each a fair share (each worker has its own socket: SO_REUSEPORT).
        assert min(per_pid.values()) >= REQUESTS / 6, per_pid
        for _ in range(6):  # whichever worker answers the scrape sees every worker's count
            assert _scraped_health_total(base) == answered
        assert _children(master.pid) == workers  # no worker was restarted meanwhile

        master.send_signal(signal.SIGTERM)
        master.wait(timeout=GRACEFUL_TIMEOUT + 15)
        log = master.stderr.read() if master.stderr else ""
        assert master.returncode == 0, log
        assert not [pid for pid in workers if _alive(pid)]
        # One log format: gunicorn's, uvicorn's and the service's lines are all JSON.
        lines = [line for line in log.splitlines() if line.strip()]
        loggers = {json.loads(line)["logger"] for line in lines}
        assert {"gunicorn.error", "uvicorn.error"} <= loggers, loggers  # KAI_LOG_LEVEL=WARNING
        assert metrics_dir.is_dir()  # the operator's directory is kept
    finally:
        if master.poll() is None:
            master.kill()
            master.wait()


def test_metrics_dir_is_made_and_removed_when_not_given(monkeypatch) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    with process_model.multiprocess_metrics_dir() as path:
        assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(path)
        assert path.is_dir()
        assert list(path.iterdir()) == []
        (path / "counter_1.db").write_bytes(b"x")
    assert not path.exists()
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ


def test_given_metrics_dir_is_emptied_of_metric_files_and_kept(tmp_path, monkeypatch) -> None:
    given = tmp_path / "metrics"
    given.mkdir()
    (given / "counter_4242.db").write_bytes(b"old")
    (given / "histogram_4242.db").write_bytes(b"old")
    (given / "README").write_text("not ours")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(given))
    with process_model.multiprocess_metrics_dir() as path:
        assert path == given
        assert sorted(p.name for p in given.iterdir()) == ["README"]
    assert given.is_dir()
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(given)


def test_serve_options_and_environment_reach_gunicorn(monkeypatch, tmp_path) -> None:
    seen: dict[str, object] = {}

    def fake_run_workers(options, *, prepare) -> None:
        seen["options"] = options
        seen["settings"] = process_model.gunicorn_settings(options)

    monkeypatch.setattr(process_model, "run_workers", fake_run_workers)
    monkeypatch.setenv("KAI_DATABASE_URL", f"sqlite:///{tmp_path / 'kai.db'}")
    monkeypatch.setenv("KAI_WORKER_TIMEOUT", "90")
    monkeypatch.setenv("KAI_GRACEFUL_TIMEOUT", "12")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--workers", "3", "--no-reuse-port"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    settings = seen["settings"]
    assert isinstance(settings, dict)
    assert settings["workers"] == 3
    assert settings["timeout"] == 90
    assert settings["graceful_timeout"] == 12
    assert settings["reuse_port"] is False
    assert settings["worker_class"] is process_model.KaiUvicornWorker
    assert settings["child_exit"] is process_model.child_exit
    assert settings["preload_app"] is False
    assert not (tmp_path / "kai.db").exists()  # the fake skipped prepare: nothing migrated
