"""What expensive operations cost: wall time beside the budget units of ``access.budget``.

    .venv/bin/python benchmarks/costs.py [--participants 300 --vacancies 400]

Seeds the demo district into a temporary SQLite file, records about 250 placement outcomes
(so evaluations and fits have something to learn from), then times each expensive operation
in one process (``TestClient``, cost budget off), best of two after a warm-up, and prints the
milliseconds, the units the budget charges and milliseconds per unit. A unit is meant to be
about 10 ms of one core; re-fit the formulas in ``access/budget.py`` if the ratio drifts far.
Also prints the audit rows one vacancy batch writes (one per participant listed).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

from kai_match.access.budget import cost_of
from kai_match.config import Settings
from kai_match.db import make_engine
from kai_match.demo.service import seed_demo
from kai_match.main import create_app
from kai_match.migrate import upgrade

KEY = "kai-costs-bootstrap-admin-key-0123456789"
SENT = ("proposed", "accepted_by_participant", "sent_to_employer")


def record_outcomes(c: TestClient, vacancies: int, rng: random.Random) -> int:
    made = 0
    for vacancy in range(1, vacancies + 1):
        ranking = c.get(f"/api/v1/vacancies/{vacancy}/matches", params={"limit": 6}).json()
        for item in ranking.get("items", []):
            body = {"participant_id": item["participant_id"], "vacancy_id": vacancy}
            placed = c.post("/api/v1/placements", json=body)
            if placed.status_code != 201:
                continue
            end = rng.choice(["hired", "not_hired", "not_hired"])
            for state in (*SENT, end):
                step = {"to": state} | ({"reason_code": "other"} if state == "not_hired" else {})
                c.post(f"/api/v1/placements/{placed.json()['id']}/transitions", json=step)
            made += 1
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--vacancies", type=int, default=400)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "costs.db"
    url = f"sqlite:///{path}"
    settings = Settings(
        database_url=url,
        environment="test",
        bootstrap_admin_key=KEY,
        rate_limit_per_minute=0,
        cost_budget_per_minute=0,
        log_level="WARNING",
    )
    engine = make_engine(settings)
    upgrade(engine)
    seed_demo(engine, participants=args.participants, vacancies=args.vacancies, seed=7)
    rng = random.Random(3)
    ids = list(range(1, 201))
    words = ["Gabelstapler", "fahren", "Kommissionieren", "Lager", "Pflege", "Montage", "Küche"]

    def texts() -> list[str]:
        """200 new texts of 45 characters each time: the look-up cache must not help."""
        return [
            " ".join(rng.choice(words) + rng.choice("abcdefgh") for _ in range(6))[:45]
            for _ in range(200)
        ]

    pairs = args.participants * args.vacancies  # upper bound: the demo's active × open
    with TestClient(create_app(settings), headers={"Authorization": f"Bearer {KEY}"}) as c:
        print(f"outcomes recorded: {record_outcomes(c, 60, rng)}")
        cases = [
            ("batch 200 participants × 50", cost_of("batch", participant_ids=200, limit=50),
             lambda: c.post("/api/v1/matches/batch", json={"participant_ids": ids, "limit": 50})),
            ("batch 200 vacancies × 50", cost_of("batch", vacancy_ids=200, limit=50),
             lambda: c.post("/api/v1/matches/batch", json={"vacancy_ids": ids, "limit": 50})),
            ("batch 10 vacancies × 10", cost_of("batch", vacancy_ids=10, limit=10),
             lambda: c.post("/api/v1/matches/batch", json={"vacancy_ids": ids[:10]})),
            ("fairness k=10", cost_of("fairness", k=10, pairs=pairs),
             lambda: c.get("/api/v1/reports/fairness", params={"k": 10})),
            ("fairness k=100", cost_of("fairness", k=100, pairs=pairs),
             lambda: c.get("/api/v1/reports/fairness", params={"k": 100})),
            ("evaluation, baseline, 5000 resamples",
             cost_of("evaluation", resamples=5000, baseline=True),
             lambda: c.post("/api/v1/evaluations", json={"baseline": "default", "resamples": 5000})),
            ("fit", cost_of("fit"), lambda: c.post("/api/v1/weight-profiles/fit", json={})),
            ("assignment 200 × 200", cost_of("assignment", participant_ids=200, vacancy_ids=200),
             lambda: c.post("/api/v1/assignments", json={"participant_ids": ids, "vacancy_ids": ids})),
            ("programme report", cost_of("programme"), lambda: c.get("/api/v1/reports/programme")),
            ("normalize 200 texts × 45", cost_of("normalize", texts=200, characters=200 * 45),
             lambda: c.post("/api/v1/taxonomy/normalize", json={"texts": texts()})),
        ]  # fmt: skip
        print(f"{'operation':40s} {'ms':>7s} {'units':>6s} {'ms/unit':>8s}")
        for label, units, call in cases:
            call()
            best = float("inf")
            for _ in range(2):
                started = time.perf_counter()
                response = call()
                best = min(best, time.perf_counter() - started)
            assert response.status_code == 200, (label, response.text[:200])
            print(f"{label:40s} {best * 1000:7.0f} {units:6d} {best * 1000 / units:8.1f}")
        with engine.connect() as connection:
            before = connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
        c.post("/api/v1/matches/batch", json={"vacancy_ids": ids, "limit": 50})
        with engine.connect() as connection:
            after = connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
        print(f"audit rows of one vacancy batch of 200 × 50: {after - before}")


if __name__ == "__main__":
    main()
