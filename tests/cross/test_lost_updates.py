"""No lost update: thirty clients at a barrier PATCH one record, over real HTTP.

With the same current ETag in If-Match exactly one may win (200); the others learn that the
record changed (412). Without If-Match every update is applied in turn: thirty versions, thirty
different ETags, none handed out twice.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from kai_match.main import create_app
from tests.builders import make_employer, make_placement, matching_job, matching_person
from tests.conftest import ADMIN_KEY
from tests.live_server import serve

RACERS = 30


def _records(client) -> dict[str, tuple[str, Any]]:
    """Each ETag-carrying resource: its URL and a body whose value differs per racer."""
    employer = make_employer(client)
    vacancy = matching_job(client, employer["id"])
    participant = matching_person(client)
    placement = make_placement(client, participant["id"], vacancy["id"])
    return {
        "participant": (
            f"/api/v1/participants/{participant['id']}",
            lambda i: {"counsellor": f"Beraterin {i}"},
        ),
        "employer": (f"/api/v1/employers/{employer['id']}", lambda i: {"name": f"Firma {i}"}),
        "vacancy": (f"/api/v1/vacancies/{vacancy['id']}", lambda i: {"title": f"Stelle {i}"}),
        "placement": (f"/api/v1/placements/{placement['id']}", lambda i: {"note": f"Notiz {i}"}),
    }


def _race(base_url: str, url: str, body, headers: dict[str, str]) -> list[httpx.Response]:
    barrier = threading.Barrier(RACERS)

    def patch(i: int) -> httpx.Response:
        with httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=60
        ) as http:
            http.get("/health")  # connect first, so the barrier releases requests
            barrier.wait()
            return http.patch(url, json=body(i), headers=headers)

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        return list(pool.map(patch, range(RACERS)))


@pytest.mark.parametrize("kind", ["participant", "employer", "vacancy", "placement"])
def test_same_etag_one_wins_the_rest_get_412(client, settings, kind: str):
    url, body = _records(client)[kind]
    etag = client.get(url).headers["ETag"]
    server, thread, base_url = serve(create_app(settings.model_copy(update={"db_pool_size": 35})))
    try:
        answers = _race(base_url, url, body, {"If-Match": etag})
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] + [412] * (RACERS - 1), statuses
    winner = next(a for a in answers if a.status_code == 200)
    stored = client.get(url)
    assert stored.headers["ETag"] == winner.headers["ETag"] != etag
    changed = next(iter(body(0)))
    assert stored.json()[changed] == winner.json()[changed]
    refused = next(a for a in answers if a.status_code == 412)
    assert refused.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in refused.json()["errors"]] == ["If-Match"]


@pytest.mark.parametrize("kind", ["participant", "vacancy"])
def test_without_if_match_every_update_gets_its_own_version(client, settings, kind: str):
    url, body = _records(client)[kind]
    first = client.get(url).headers["ETag"]
    server, thread, base_url = serve(create_app(settings.model_copy(update={"db_pool_size": 35})))
    try:
        answers = _race(base_url, url, body, {})
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    assert [a.status_code for a in answers] == [200] * RACERS
    etags = {a.headers["ETag"] for a in answers}
    assert len(etags) == RACERS  # no version handed out twice
    last = client.get(url).headers["ETag"]
    assert last in etags and last != first
    version = int(last.strip('"').rsplit("-v", 1)[1])
    assert version == int(first.strip('"').rsplit("-v", 1)[1]) + RACERS
