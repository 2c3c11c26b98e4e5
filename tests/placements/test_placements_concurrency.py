"""The last opening cannot be booked twice: 20 clients race for one opening over real HTTP.

The app runs in uvicorn on a free 127.0.0.1 port (its own thread and event loop, sync routes in
its thread pool, one database connection per request); 20 threads, each with its own HTTP
client, wait at a barrier and then all start the trial of a different placement of the same
vacancy. PostgreSQL serialises them with the row lock on the vacancy, SQLite with its write
lock. Exactly one may succeed.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx
from sqlalchemy import func, select
from sqlmodel import Session

from kai_match.main import create_app
from kai_match.models import Placement, Vacancy
from tests.builders import make_employer, matching_job, matching_person
from tests.conftest import ADMIN_KEY
from tests.live_server import serve

RACERS = 20


def test_twenty_concurrent_trials_book_one_opening_once(client, engine, settings):
    employer = make_employer(client)
    job = matching_job(client, employer["id"], openings=1)
    people = [matching_person(client) for _ in range(RACERS)]
    with Session(engine) as session:
        rows = [
            Placement(
                participant_id=p["id"],
                vacancy_id=job["id"],
                state="trial_scheduled",
                score=50.0,
                components={},
                weight_profile_name="default",
                weight_profile_version=1,
                sent_on=date.today(),
                trial_start=date.today(),
                created_by="test",
            )
            for p in people
        ]
        session.add_all(rows)
        session.commit()
        placement_ids = [r.id for r in rows]

    server, thread, base_url = serve(create_app(settings.model_copy(update={"db_pool_size": 25})))
    barrier = threading.Barrier(RACERS)

    def start_trial(placement_id: int) -> int:
        with httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=60
        ) as http:
            http.get("/health")  # connect first, so the barrier releases requests, not handshakes
            barrier.wait()
            response = http.post(
                f"/api/v1/placements/{placement_id}/transitions", json={"to": "trial_running"}
            )
            return response.status_code

    try:
        with ThreadPoolExecutor(max_workers=RACERS) as pool:
            statuses = list(pool.map(start_trial, placement_ids))
    finally:
        server.should_exit = True
        thread.join(timeout=30)

    assert sorted(statuses) == [200] + [409] * (RACERS - 1), statuses
    with Session(engine) as session:
        running = session.exec(
            select(func.count()).where(Placement.state == "trial_running")
        ).one()[0]
        assert running == 1
        assert session.get(Vacancy, job["id"]).status == "filled"
