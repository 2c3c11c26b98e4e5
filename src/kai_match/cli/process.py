"""``serve --workers N`` (N > 1): gunicorn supervises N uvicorn worker processes.

Why not uvicorn's own supervisor: it killed workers that had not answered its ping within 5 s
while they were still starting on a busy machine (restart storms), and its workers shared one
listening socket, which the kernel handed mostly to one of them (98 % / 2 % between two). Here
the start and silence timeout is configurable, each worker listens on a socket of its own
(``SO_REUSEPORT``) so the kernel spreads connections evenly, and the Prometheus counters of all
workers are kept in one directory, so a scrape of any worker sees the sum
(``api/observability.metrics_payload``).

The master process migrates and seeds once before it forks; workers load the app after the
fork (no preloading), so no engine, connection or thread crosses a fork.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from uvicorn_worker import UvicornWorker

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


@dataclass(frozen=True)
class ProcessOptions:
    host: str
    port: int
    workers: int
    worker_timeout: int
    graceful_timeout: int
    keep_alive: int = 5
    reuse_port: bool = True


class KaiGunicornLogger(glogging.Logger):
    """gunicorn's own lines (master and workers) through the service's one log format.

    gunicorn gives its loggers plain-text handlers; after it has set them up, they are cleared
    and the records go to the root handler of ``logging_setup`` (JSON, redacted) instead.
    """

    def setup(self, cfg: Any) -> None:
        from kai_match.config import get_settings
        from kai_match.logging_setup import configure_logging

        super().setup(cfg)
        settings = get_settings()
        configure_logging(settings.log_level, settings.log_json)
        for name in ("gunicorn.error", "gunicorn.access"):
            own = logging.getLogger(name)
            own.handlers.clear()
            own.propagate = True


class KaiUvicornWorker(UvicornWorker):
    """Uvicorn in a gunicorn worker; a failing start-up fails the worker instead of running on.

    ``lifespan="on"``: an exception in the app's start-up stops the worker (gunicorn then
    stops the service) rather than serving without engine and indexes. Access lines come from
    ``ObservabilityMiddleware``, not from uvicorn.
    """

    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        "loop": "auto",
        "http": "auto",
        "lifespan": "on",
        "access_log": False,
    }


def reuse_port_supported() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def child_exit(_server: Any, worker: Any) -> None:
    """In the master, after a worker exited: drop its live gauges from the shared metrics.

    Its counter and histogram files stay, so totals never go backwards when a worker restarts.
    """
    from prometheus_client import multiprocess

    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(worker.pid)


def gunicorn_settings(options: ProcessOptions) -> dict[str, Any]:
    """The gunicorn configuration of ``options`` (no config file, no ``GUNICORN_CMD_ARGS``)."""
    return {
        "bind": [f"{options.host}:{options.port}"],
        "workers": options.workers,
        "worker_class": KaiUvicornWorker,
        # gunicorn has one timeout for both: a worker that has not finished starting, or whose
        # event loop has not reported, for this long is killed and replaced.
        "timeout": options.worker_timeout,
        "graceful_timeout": options.graceful_timeout,
        "keepalive": options.keep_alive,
        "reuse_port": options.reuse_port and reuse_port_supported(),
        "preload_app": False,
        "child_exit": child_exit,
        "proc_name": "kai-match",
        "accesslog": None,
        "errorlog": "-",
        "logger_class": KaiGunicornLogger,
        "loglevel": "info",
        # gunicorn ≥ 25 opens a control socket at one fixed path per user; two services (or
        # two test runs) on one machine would fight over it, and nothing here uses it.
        "control_socket_disable": True,
    }


class KaiApplication(BaseApplication):
    """gunicorn configured in code; each worker builds the app itself after the fork."""

    def __init__(self, options: ProcessOptions) -> None:
        self.options = options
        super().__init__(prog="kai-match serve")

    def load_config(self) -> None:
        for name, value in gunicorn_settings(self.options).items():
            if name in self.cfg.settings:  # settings an older gunicorn lacks are left out
                self.cfg.set(name, value)

    def load(self) -> Any:
        from kai_match.config import get_settings

        # The master read its settings before forking; the worker reads its environment
        # again (the master set KAI_AUTO_MIGRATE=false for it).
        get_settings.cache_clear()
        from kai_match.main import create_app

        return create_app()


@contextmanager
def multiprocess_metrics_dir() -> Iterator[Path]:
    """A directory for the workers' metric files, empty at start, in the environment.

    ``PROMETHEUS_MULTIPROC_DIR`` set by the operator is used and emptied (files left by an
    earlier run would be added to this run's totals); otherwise a fresh temporary directory
    is made and removed when the service stops. It must be in the environment before any
    worker imports ``prometheus_client``, which picks its storage at import.
    """
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
        yield path
        return
    path = Path(tempfile.mkdtemp(prefix="kai-match-metrics-"))
    os.environ[MULTIPROC_ENV] = str(path)
    try:
        yield path
    finally:
        os.environ.pop(MULTIPROC_ENV, None)
        shutil.rmtree(path, ignore_errors=True)


def run_workers(options: ProcessOptions, *, prepare: Callable[[], None]) -> None:
    """Run ``prepare`` (migrations, demo data) once, then gunicorn until it is stopped."""
    with multiprocess_metrics_dir():
        prepare()
        # Workers must not race on migrations: this process did it once for all of them.
        os.environ["KAI_AUTO_MIGRATE"] = "false"
        KaiApplication(options).run()
