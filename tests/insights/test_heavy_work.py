"""Heavy reports run a few at a time; the rest are refused fast and liveness stays fast.

The app runs in uvicorn (tests/live_server.py). The fairness report is slowed on purpose: it
waits until the test lets it go, so the test sees which requests got in while they still run.
It waits at its first step, counting the pairs it will rank (its cost), before its first query:
on SQLite every transaction takes the write lock (``db.py``), so a report held later would make
the other admitted one wait for the database instead of running beside it.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from kai_match.api import heavy
from kai_match.errors import InvalidInput
from kai_match.insights import fairness
from kai_match.main import create_app
from tests.builders import bearer, make_employer, make_key
from tests.conftest import ADMIN_KEY
from tests.live_server import serve

FAIRNESS = "/api/v1/reports/fairness"


def test_only_the_slots_run_and_the_others_get_503_while_health_answers(
    client, settings, monkeypatch
) -> None:
    slots = heavy.HEAVY_AT_ONCE
    employer_key = bearer(make_key(client, "employer", employer_id=make_employer(client)["id"]))
    release = threading.Event()
    entered: list[int] = []
    original = fairness.ranked_pairs

    def slow_report(**kwargs):
        entered.append(1)
        assert release.wait(30), "the test never released the reports"
        return original(**kwargs)

    monkeypatch.setattr(fairness, "ranked_pairs", slow_report)
    server, thread, base_url = serve(create_app(settings))
    racers = slots + 2
    barrier = threading.Barrier(racers)

    def report() -> tuple[int, dict, float]:
        with httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=60
        ) as http:
            http.get("/health")  # connected before the barrier
            barrier.wait()
            started = time.monotonic()
            response = http.get(FAIRNESS, params={"k": 5})
            return response.status_code, dict(response.headers), time.monotonic() - started

    pool = ThreadPoolExecutor(max_workers=racers)
    try:
        futures = [pool.submit(report) for _ in range(racers)]
        # The refused ones come back while the admitted reports still run (not released yet).
        deadline = time.monotonic() + heavy.HEAVY_WAIT_SECONDS + 20
        while sum(f.done() for f in futures) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        done = [f for f in futures if f.done()]
        running = [f for f in futures if not f.done()]
        refused = [f.result() for f in done]
        assert len(running) == slots and len(refused) == 2, (len(running), refused)
        assert len(entered) == slots
        for status, headers, seconds in refused:
            assert status == 503
            assert headers["retry-after"] == str(heavy.HEAVY_RETRY_AFTER_SECONDS)
            assert headers["content-type"] == "application/problem+json"
            assert seconds >= heavy.HEAVY_WAIT_SECONDS / 2  # they waited for a slot first
        with httpx.Client(base_url=base_url, timeout=10) as http:
            started = time.monotonic()
            health = http.get("/health")
            health_seconds = time.monotonic() - started
            assert health.status_code == 200 and health_seconds < 1.0, health_seconds
            # A caller whose role may not run the report hears so at once: a 403 never waits.
            started = time.monotonic()
            forbidden = http.get(FAIRNESS, headers=employer_key)
            assert forbidden.status_code == 403
            assert time.monotonic() - started < heavy.HEAVY_WAIT_SECONDS
            busy = http.get(FAIRNESS, headers={"Authorization": f"Bearer {ADMIN_KEY}"})
            assert busy.status_code == 503
            assert busy.json()["detail"] == (
                f"The service is busy with {slots} other reports or analyses; "
                f"retry in {heavy.HEAVY_RETRY_AFTER_SECONDS} s."
            )
        release.set()
        admitted = [f.result(timeout=30) for f in running]
        assert [status for status, _, _ in admitted] == [200] * slots
        assert len(entered) == slots
    finally:
        release.set()
        pool.shutdown(wait=True)
        server.should_exit = True
        thread.join(timeout=30)


def test_a_failing_report_gives_its_slot_back(client, monkeypatch) -> None:
    def failing_report(**kwargs):
        raise InvalidInput(detail="no such profile")

    monkeypatch.setattr(fairness, "fairness_over_database", failing_report)
    answers = [client.get(FAIRNESS).status_code for _ in range(heavy.HEAVY_AT_ONCE + 2)]
    assert answers == [422] * (heavy.HEAVY_AT_ONCE + 2)  # no 503: every slot came back
    monkeypatch.undo()
    assert client.get(FAIRNESS).status_code == 200
