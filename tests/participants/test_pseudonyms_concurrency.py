"""Pseudonyms are created once even when an audience's first requests race (over real HTTP).

12 clients of the same employer rank the same vacancy at once, before the employer was shown
anyone: each request finds the pseudonyms missing and inserts them. The inserts skip rows a
racing request created (PostgreSQL waits for that request's commit, SQLite serialises writers),
so every answer names every person by the same id and one row per person is stored.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import text

from kai_match.main import create_app
from tests.builders import make_employer, make_key, matching_job, matching_person
from tests.live_server import serve

RACERS = 12


def test_racing_first_rankings_agree_on_one_pseudonym_per_person(client, engine, settings):
    employer = make_employer(client)
    job = matching_job(client, employer["id"])
    people = [matching_person(client) for _ in range(6)]
    key = make_key(client, "employer", employer_id=employer["id"])["key"]
    server, thread, base_url = serve(create_app(settings.model_copy(update={"db_pool_size": 15})))
    barrier = threading.Barrier(RACERS)

    def rank(_: int) -> tuple[int, frozenset[str]]:
        with httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=60
        ) as http:
            http.get("/health")  # connect first, so the barrier releases requests, not handshakes
            barrier.wait()
            response = http.get(f"/api/v1/vacancies/{job['id']}/matches")
            items = response.json().get("items", []) if response.is_success else []
            return response.status_code, frozenset(i["participant_public_id"] for i in items)

    try:
        with ThreadPoolExecutor(max_workers=RACERS) as pool:
            answers = list(pool.map(rank, range(RACERS)))
    finally:
        server.should_exit = True
        thread.join(timeout=30)

    assert [status for status, _ in answers] == [200] * RACERS
    assert len({ids for _, ids in answers}) == 1
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT participant_id, pseudonym FROM participant_pseudonym WHERE audience = :a"),
            {"a": f"employer:{employer['id']}"},
        ).all()
    assert sorted(r[0] for r in rows) == sorted(p["id"] for p in people)
    assert {r[1] for r in rows} == answers[0][1]
