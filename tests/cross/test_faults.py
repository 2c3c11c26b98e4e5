"""Faults: concurrent SQLite writers, an exception mid-request, the database gone mid-run.

(a) 20 writers at a barrier on SQLite over real HTTP (uvicorn in a thread): every one is a 201,
    none a 500 or "database is locked", and the rows stored are exactly the successes.
(b) an exception after the first inserts of a request: a 500 problem document and nothing
    left behind (the request's transaction is rolled back), on both backends.
(c) PostgreSQL reached through a TCP proxy the test can cut: while cut, ``/ready`` and writes
    answer 503 with ``Retry-After`` (never a 500) and nothing is half-written; once restored,
    the same app instance is ready and writes again, with no restart. The connection is also
    cut in the middle of a write transaction, between its inserts and its commit.
(d) PostgreSQL behind a proxy that stops forwarding without closing anything (a partition, as
    far as a client can tell): ``/health`` stays fast, ``/ready`` is a 503 within two seconds
    and every other request a 503 within the request deadline; nothing hangs.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url
from sqlmodel import Session

from kai_match.config import Settings
from kai_match.db import normalise_url
from kai_match.main import create_app
from kai_match.models import (
    Employer,
    Participant,
    ParticipantLanguage,
    ParticipantOccupation,
    ParticipantPersonal,
    ParticipantSkill,
)
from kai_match.participants import service as participant_service
from tests.builders import employer_body, participant_body
from tests.conftest import ADMIN_KEY, _truncate_all
from tests.live_server import serve as _serve

WRITERS = 20
AUTH = {"Authorization": f"Bearer {ADMIN_KEY}"}
PARTICIPANT_TABLES = (
    Participant,
    ParticipantPersonal,
    ParticipantSkill,
    ParticipantLanguage,
    ParticipantOccupation,
)


def _count(engine, model) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()[0]


# --- (a) 20 concurrent writers on SQLite ----------------------------------------------------


def test_twenty_concurrent_sqlite_writers_all_succeed(tmp_path, sqlite_template, settings):
    import shutil

    path = tmp_path / "writers.db"
    shutil.copy(sqlite_template, path)
    app = create_app(settings.model_copy(update={"database_url": f"sqlite:///{path}"}))
    server, thread, base_url = _serve(app)
    barrier = threading.Barrier(WRITERS)

    def write(index: int) -> tuple[str, int, str]:
        with httpx.Client(base_url=base_url, headers=AUTH, timeout=120) as http:
            http.get("/health")  # connect first, so the barrier releases requests
            barrier.wait()
            if index % 2:
                kind = "participant"
                response = http.post(
                    "/api/v1/participants", json=participant_body(first_name=f"W{index}")
                )
            else:
                kind = "employer"
                response = http.post(
                    "/api/v1/employers", json=employer_body(name=f"Writer {index} GmbH")
                )
            return kind, response.status_code, response.text

    try:
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            answers = list(pool.map(write, range(WRITERS)))
        engine = app.state.engine
        employers = _count(engine, Employer)
        participants = _count(engine, Participant)
    finally:
        server.should_exit = True
        thread.join(timeout=30)

    assert [status for _, status, _ in answers] == [201] * WRITERS, answers
    assert not any("locked" in body for _, _, body in answers)
    assert employers == sum(1 for kind, s, _ in answers if kind == "employer" and s == 201)
    assert participants == sum(1 for kind, s, _ in answers if kind == "participant" and s == 201)


# --- (b) an exception between two inserts of one request -------------------------------------


def test_exception_between_inserts_leaves_nothing_behind(client, engine, monkeypatch):
    original = participant_service._replace_children

    def insert_then_fail(session, *args, **kwargs):
        original(session, *args, **kwargs)  # the participant, personal data and skills are flushed
        raise RuntimeError("injected fault after the first inserts")

    monkeypatch.setattr(participant_service, "_replace_children", insert_then_fail)
    response = client.post("/api/v1/participants", json=participant_body())
    assert response.status_code == 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 500 and body["type"].endswith("internal-error")
    assert "injected" not in response.text
    for model in PARTICIPANT_TABLES:
        assert _count(engine, model) == 0, model.__name__

    monkeypatch.setattr(participant_service, "_replace_children", original)
    assert client.post("/api/v1/participants", json=participant_body()).status_code == 201
    assert _count(engine, Participant) == 1


# --- (c) PostgreSQL gone mid-run ------------------------------------------------------------


class CuttableProxy:
    """A TCP forwarder on 127.0.0.1 to an upstream port; ``cut()`` drops every connection."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self.stalled = threading.Event()
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.thread = threading.Thread(target=self._accept_loop, daemon=True)
        self.thread.start()

    def _accept_loop(self) -> None:
        while not self.stopped.is_set():
            try:
                downstream, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self.open.is_set():
                downstream.close()  # refused: the "server" is gone
                continue
            if self.stalled.is_set():
                with self.lock:
                    self.sockets.add(downstream)  # accepted, never answered
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                downstream.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets |= {downstream, upstream}
            for source, target in ((downstream, upstream), (upstream, downstream)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if not self.stalled.is_set():
                    target.sendall(data)  # while stalled, data is taken in and dropped
        except OSError:
            pass
        finally:
            for sock in (source, target):
                self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()

    def cut(self) -> None:
        self.open.clear()
        with self.lock:
            sockets = list(self.sockets)
        for sock in sockets:
            self._close(sock)

    def stall(self) -> None:
        """Stop forwarding but keep every connection open: the client's data is acknowledged
        by this proxy's kernel and goes nowhere, as in a partition behind a proxy."""
        self.stalled.set()

    def restore(self) -> None:
        if self.stalled.is_set():
            self.cut()  # connections that lived through the partition are dead by now
            self.stalled.clear()
        self.open.set()

    def stop(self) -> None:
        self.stopped.set()
        self.cut()
        self.thread.join(timeout=5)
        self.listener.close()


@contextlib.contextmanager
def _served_behind_proxy(postgres_server_url: str, **overrides):
    """The app on a real port, its PostgreSQL reached through a ``CuttableProxy``.

    Yields ``(http client, proxy, direct database url)``; the session's test database is
    emptied first, since this app does not go through the per-test fixtures.
    """
    _truncate_all(postgres_server_url)
    url = make_url(normalise_url(postgres_server_url))
    proxy = CuttableProxy(url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port)
    settings = Settings(
        database_url=proxied.render_as_string(hide_password=False),
        environment="test",
        auto_migrate=False,
        log_json=True,
        bootstrap_admin_key=ADMIN_KEY,
        rate_limit_per_minute=0,
        db_pool_size=2,
        **overrides,
    )
    app = create_app(settings)
    server, thread, base_url = _serve(app)
    try:
        with httpx.Client(base_url=base_url, headers=AUTH, timeout=60) as http:
            yield http, proxy, url
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        proxy.stop()


def _wait_ready(http: httpx.Client) -> None:
    deadline = time.monotonic() + 60
    while (ready := http.get("/ready")).status_code != 200:
        assert time.monotonic() < deadline, ready.text
        time.sleep(0.2)


def _counts(url, first_name: str) -> tuple[dict[str, int], int]:
    """Rows per participant table and employers, plus personal rows named ``first_name``."""
    check = create_engine(url)
    try:
        with Session(check) as session:
            counts = {
                m.__name__: session.exec(select(func.count()).select_from(m)).one()[0]
                for m in (*PARTICIPANT_TABLES, Employer)
            }
            named = session.exec(
                select(func.count()).where(ParticipantPersonal.first_name == first_name)
            ).one()[0]
    finally:
        check.dispose()
    return counts, named


@pytest.mark.postgres
def test_database_gone_mid_run_is_a_503_and_recovers(postgres_server_url):
    with _served_behind_proxy(postgres_server_url) as (http, proxy, url):
        assert http.get("/ready").status_code == 200
        assert http.post("/api/v1/employers", json=employer_body()).status_code == 201
        assert http.post("/api/v1/participants", json=participant_body()).status_code == 201

        proxy.cut()
        ready = http.get("/ready")
        assert ready.status_code == 503, ready.text
        assert int(ready.headers["Retry-After"]) > 0
        for path, body in (
            ("/api/v1/participants", participant_body(first_name="Cut")),
            ("/api/v1/employers", employer_body(name="Cut GmbH")),
        ):
            response = http.post(path, json=body)
            assert response.status_code == 503, response.text
            assert response.headers["content-type"].startswith("application/problem+json")
            assert int(response.headers["Retry-After"]) > 0
        assert http.get("/api/v1/participants").status_code == 503

        proxy.restore()
        _wait_ready(http)
        assert http.post("/api/v1/participants", json=participant_body()).status_code == 201
        assert http.post("/api/v1/employers", json=employer_body()).status_code == 201
        assert http.get("/api/v1/participants").status_code == 200
    counts, cut_rows = _counts(url, "Cut")
    assert cut_rows == 0
    assert (counts["Participant"], counts["ParticipantPersonal"], counts["Employer"]) == (2, 2, 2)


@pytest.mark.postgres
def test_connection_cut_inside_a_write_transaction_leaves_nothing(postgres_server_url, monkeypatch):
    """The connection dies after a request's first inserts, before its commit: the answer is
    a 503 problem, PostgreSQL discards the open transaction, and the app recovers unaided."""
    original = participant_service._replace_children

    with _served_behind_proxy(postgres_server_url) as (http, proxy, url):

        def insert_then_lose_database(session, *args, **kwargs):
            original(session, *args, **kwargs)  # participant, personal data, skills flushed
            proxy.cut()

        assert http.post("/api/v1/participants", json=participant_body()).status_code == 201
        monkeypatch.setattr(participant_service, "_replace_children", insert_then_lose_database)
        response = http.post("/api/v1/participants", json=participant_body(first_name="Midway"))
        assert response.status_code == 503, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert int(response.headers["Retry-After"]) > 0
        assert "Traceback" not in response.text

        monkeypatch.setattr(participant_service, "_replace_children", original)
        proxy.restore()
        _wait_ready(http)
        assert http.post("/api/v1/participants", json=participant_body()).status_code == 201
    counts, midway = _counts(url, "Midway")
    assert midway == 0
    assert counts["Participant"] == counts["ParticipantPersonal"] == 2, counts
    expected_skills = 2 * len(participant_body()["skills"])
    assert counts["ParticipantSkill"] == expected_skills, counts


# --- (d) a silent database: the proxy stops forwarding, connections stay open -----------------

DEADLINE = 3.0


def _timed(call) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.postgres
def test_a_silent_database_gives_bounded_503s_and_health_stays_fast(postgres_server_url):
    with _served_behind_proxy(
        postgres_server_url, request_timeout_seconds=DEADLINE, db_connect_timeout_seconds=2
    ) as (http, proxy, url):
        _wait_ready(http)
        assert http.post("/api/v1/employers", json=employer_body()).status_code == 201
        proxy.stall()

        barrier = threading.Barrier(6)

        def stuck_request(index: int) -> tuple[int, float, str]:
            with httpx.Client(base_url=http.base_url, headers=AUTH, timeout=60) as own:
                barrier.wait()
                if index % 2:
                    call = lambda: own.get("/api/v1/participants")  # noqa: E731
                else:
                    body = participant_body(first_name="Stalled")
                    call = lambda: own.post("/api/v1/participants", json=body)  # noqa: E731
                response, seconds = _timed(call)
                return response.status_code, seconds, response.headers.get("content-type", "")

        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = pool.map(stuck_request, range(6))
            time.sleep(0.5)  # the six are waiting on the database now
            health, health_seconds = _timed(lambda: http.get("/health"))
            ready, ready_seconds = _timed(lambda: http.get("/ready"))
            answers = list(answers)

        assert health.status_code == 200 and health_seconds < 1.0, health_seconds
        assert ready.status_code == 503 and ready_seconds < 2.5, (ready.text, ready_seconds)
        assert int(ready.headers["Retry-After"]) > 0
        for status, seconds, content_type in answers:
            assert status == 503, answers
            assert content_type.startswith("application/problem+json")
            assert seconds < DEADLINE + 1.5, answers
        late, late_seconds = _timed(lambda: http.post("/api/v1/employers", json=employer_body()))
        assert late.status_code == 503 and late_seconds < DEADLINE + 1.5, late_seconds
        assert late.json()["errors"][0]["field"] == "database"

        proxy.restore()
        _wait_ready(http)
        assert http.post("/api/v1/participants", json=participant_body()).status_code == 201
    _, stalled_rows = _counts(url, "Stalled")
    assert stalled_rows == 0
