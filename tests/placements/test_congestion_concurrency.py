"""The caps on open proposals hold under a race: clients released together by a barrier send
proposals over real HTTP (uvicorn on 127.0.0.1), as in ``test_placements_concurrency``.

Per vacancy the row lock on the vacancy serialises the senders; per firm the vacancies differ,
so only the lock on the employer row does (without it PostgreSQL lets every sender count the
same few open proposals and pass).
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx
from sqlalchemy import func, select
from sqlmodel import Session

from kai_match.main import create_app
from kai_match.models import Placement
from tests.builders import make_employer, matching_job, matching_person
from tests.conftest import ADMIN_KEY
from tests.live_server import serve


def _accepted(engine, pairs: list[tuple[int, int]]) -> list[int]:
    """Placements of (participant, vacancy) one step before the firm gets them."""
    with Session(engine) as session:
        rows = [
            Placement(
                participant_id=participant_id,
                vacancy_id=vacancy_id,
                state="accepted_by_participant",
                score=50.0,
                components={},
                weight_profile_name="default",
                weight_profile_version=1,
                proposed_on=date.today(),
                created_by="test",
            )
            for participant_id, vacancy_id in pairs
        ]
        session.add_all(rows)
        session.commit()
        return [r.id for r in rows]


def _race(base_url: str, placement_ids: list[int]) -> list[tuple[int, str | None]]:
    barrier = threading.Barrier(len(placement_ids))

    def send(placement_id: int) -> tuple[int, str | None]:
        with httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=60
        ) as http:
            http.get("/health")  # connect first, so the barrier releases requests
            barrier.wait()
            response = http.post(
                f"/api/v1/placements/{placement_id}/transitions", json={"to": "sent_to_employer"}
            )
            field = response.json()["errors"][0]["field"] if response.status_code == 409 else None
            return response.status_code, field

    with ThreadPoolExecutor(max_workers=len(placement_ids)) as pool:
        return list(pool.map(send, placement_ids))


def _open(engine) -> int:
    with Session(engine) as session:
        query = select(func.count()).where(Placement.state == "sent_to_employer")
        return session.exec(query).one()[0]


def test_racing_senders_keep_both_caps(client, engine, settings):
    firm = make_employer(client)
    one_opening = matching_job(client, firm["id"], openings=1)
    people = [matching_person(client) for _ in range(12)]
    same_vacancy = _accepted(engine, [(p["id"], one_opening["id"]) for p in people])
    other_firm = make_employer(client)
    jobs = [matching_job(client, other_firm["id"], openings=3) for _ in range(12)]
    across_vacancies = _accepted(
        engine, [(p["id"], j["id"]) for p, j in zip(people, jobs, strict=True)]
    )

    app = create_app(settings.model_copy(update={"db_pool_size": 25, "proposals_per_employer": 5}))
    server, thread, base_url = serve(app)
    try:
        per_vacancy = _race(base_url, same_vacancy)
        assert _open(engine) == 3
        per_firm = _race(base_url, across_vacancies)
    finally:
        server.should_exit = True
        thread.join(timeout=30)

    assert Counter(per_vacancy) == {(200, None): 3, (409, "vacancy_id"): 9}, per_vacancy
    assert Counter(per_firm) == {(200, None): 5, (409, "employer_id"): 7}, per_firm
    assert _open(engine) == 3 + 5
