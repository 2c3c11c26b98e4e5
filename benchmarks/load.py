"""Load test: ``kai-match serve --workers 2`` against PostgreSQL, N concurrent HTTP clients.

Creates a database on the local PostgreSQL server (dropped at the end), seeds the demo district
(``kai-match demo``), starts the server on a free 127.0.0.1 port, creates a counsellor, an
employer and a partner key, then runs ``--clients`` threads (each its own keep-alive
``httpx.Client``) for ``--duration`` seconds with a mix of reads, rankings and a few writes.
First one client alone (``--baseline`` seconds) measures each call's service time; then
the load phase. Prints requests/s, p50/p95/p99 per call kind, the ratio of the loaded p95 to
the baseline p50, and the errors.

    .venv/bin/python benchmarks/load.py --duration 60
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ADMIN_KEY = "kai-load-bootstrap-admin-key-" + uuid.uuid4().hex
# (kind, weight): reads, rankings and a few writes
MIX = (
    ("list_participants", 20),
    ("get_participant", 15),
    ("list_vacancies", 15),
    ("rank_for_participant", 20),
    ("rank_for_vacancy", 15),
    ("explain", 10),
    ("create_participant", 3),
    ("patch_vacancy", 2),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def kai_match_binary() -> str:
    local = Path(sys.executable).with_name("kai-match")
    return str(local) if local.exists() else (shutil.which("kai-match") or "kai-match")


def one_call(http: httpx.Client, kind: str, rng: random.Random, keys: dict, world: dict):
    p = rng.randint(1, world["participants"])
    v = rng.randint(1, world["vacancies"])
    counsellor = {"Authorization": f"Bearer {keys['counsellor']}"}
    partner = {"Authorization": f"Bearer {keys['partner']}"}
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    if kind == "list_participants":
        return http.get("/api/v1/participants", params={"limit": 20}, headers=counsellor)
    if kind == "get_participant":
        mine = rng.choice(world["site_participants"])
        return http.get(f"/api/v1/participants/{mine}", headers=counsellor)
    if kind == "list_vacancies":
        return http.get(
            "/api/v1/vacancies",
            params={"limit": 20},
            headers={"Authorization": f"Bearer {keys['employer']}"},
        )
    if kind == "rank_for_participant":
        return http.get(f"/api/v1/participants/{p}/matches", headers=partner)
    if kind == "rank_for_vacancy":
        return http.get(f"/api/v1/vacancies/{v}/matches", headers=admin)
    if kind == "explain":
        mine = rng.choice(world["site_participants"])
        return http.get(
            "/api/v1/matches/explain",
            params={"participant_id": mine, "vacancy_id": v},
            headers=counsellor,
        )
    if kind == "create_participant":
        return http.post("/api/v1/participants", json=world["body"], headers=counsellor)
    if kind == "patch_vacancy":
        current = http.get(f"/api/v1/vacancies/{v}", headers=admin)
        if current.status_code != 200:
            return current
        return http.patch(
            f"/api/v1/vacancies/{v}",
            json={"openings": rng.randint(1, 5)},
            headers=admin | {"If-Match": current.headers.get("ETag", "*")},
        )
    raise ValueError(kind)


@dataclass
class Phase:
    """Latencies (ms) per call kind, errors and the load generator's own CPU seconds."""

    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    client_cpu: float = 0.0

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def run_phase(
    base: str,
    keys: dict,
    world: dict,
    clients: int,
    warmup: float,
    duration: float,
    think_ms: float,
) -> Phase:
    """``clients`` threads, each its own keep-alive connection, calling back to back (or with
    a pause of ``think_ms`` on average); calls that start during ``warmup`` are not counted."""
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    phase = Phase(seconds=duration)
    lock = threading.Lock()
    start_at = time.monotonic() + 1.0
    measure_at = start_at + warmup  # argon2 key checks and index builds per worker
    stop_at = measure_at + duration

    def client(index: int) -> None:
        rng = random.Random(index)
        own_lat: dict[str, list[float]] = defaultdict(list)
        own_err: Counter = Counter()
        with httpx.Client(base_url=base, timeout=60) as http:
            http.get("/health")
            time.sleep(max(0.0, start_at - time.monotonic()))
            while time.monotonic() < stop_at:
                kind = rng.choices(kinds, weights)[0]
                began = time.monotonic()
                t0 = time.perf_counter()
                try:
                    status = one_call(http, kind, rng, keys, world).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                if began >= measure_at:
                    own_lat[kind].append((time.perf_counter() - t0) * 1000)
                    if not (isinstance(status, int) and status < 400):
                        own_err[(kind, status)] += 1
                if think_ms:
                    time.sleep(think_ms / 1000 * rng.uniform(0.5, 1.5))
        with lock:
            for kind, values in own_lat.items():
                phase.latencies[kind].extend(values)
            phase.errors.update(own_err)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, measure_at - time.monotonic()))
    cpu_at_measure = time.process_time()
    for thread in threads:
        thread.join()
    phase.client_cpu = time.process_time() - cpu_at_measure
    return phase


def report(args: argparse.Namespace, loaded: Phase, baseline: Phase | None) -> None:
    cores = os.cpu_count() or 1
    print(
        f"\n{args.clients} clients, {args.duration:.0f} s after {args.warmup:.0f} s warm-up, "
        f"{args.workers} workers, think time {args.think_ms:.0f} ms, "
        f"{args.participants} participants, {args.vacancies} vacancies"
    )
    print(f"requests: {loaded.total}  ({loaded.total / loaded.seconds:.1f} req/s)")
    if baseline is not None:
        print(
            f"baseline, 1 client back to back: {baseline.total / baseline.seconds:.1f} req/s; "
            "ratio = p95 under load / p50 of the baseline"
        )
    print(
        f"load generator CPU: {loaded.client_cpu:.0f} s of the machine's "
        f"{cores * loaded.seconds:.0f} core-seconds ({cores} cores)"
    )
    print(
        "| call | n | p50 ms | p95 ms | p99 ms | baseline p50 ms | ratio |\n"
        "|---|---:|---:|---:|---:|---:|---:|"
    )
    for kind, _ in MIX:
        values = loaded.latencies.get(kind, [])
        if not values:
            continue
        alone = baseline.latencies.get(kind, []) if baseline else []
        alone_p50 = percentile(alone, 50) if alone else None
        ratio = f"{percentile(values, 95) / alone_p50:.1f}" if alone_p50 else "-"
        print(
            f"| {kind} | {len(values)} | {percentile(values, 50):.1f} | "
            f"{percentile(values, 95):.1f} | {percentile(values, 99):.1f} | "
            f"{f'{alone_p50:.1f}' if alone_p50 else '-'} | {ratio} |"
        )
    errors = loaded.errors + (baseline.errors if baseline else Counter())
    print(f"errors (any status >= 400, transport; both phases): {sum(errors.values())}")
    for (kind, status), count in sorted(errors.items(), key=str):
        print(f"  {kind} {status}: {count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument(
        "--warmup", type=float, default=10.0, help="Seconds of unmeasured load first"
    )
    parser.add_argument("--participants", type=int, default=3000)
    parser.add_argument("--vacancies", type=int, default=4000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--reuse-database",
        metavar="NAME",
        help="Run against this already seeded database instead of a fresh one (kept afterwards)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--baseline",
        type=float,
        default=15.0,
        help="Seconds of one client alone first, the per-call service time (0: skip)",
    )
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="Mean pause of each client between calls (uniform 0.5-1.5 x); 0: back to back",
    )
    args = parser.parse_args()

    admin_url = make_url(args.postgres.replace("postgresql://", "postgresql+psycopg://", 1))
    assert admin_url.host in ("127.0.0.1", "localhost"), "local PostgreSQL only"
    name = args.reuse_database or f"kai_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    if not args.reuse_database:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    db_url = admin_url.set(database=name).render_as_string(hide_password=False)
    port = free_port()
    env = os.environ | {
        "KAI_DATABASE_URL": db_url,
        "KAI_BOOTSTRAP_ADMIN_KEY": ADMIN_KEY,
        "KAI_RATE_LIMIT_PER_MINUTE": "1000000",
        "KAI_LOG_LEVEL": "WARNING",
        "KAI_DB_POOL_SIZE": "30",
    }
    binary = kai_match_binary()
    server = None
    try:
        started = time.monotonic()
        if not args.reuse_database:
            seed = ["demo", "--participants", str(args.participants)]
            subprocess.run([binary, *seed, "--vacancies", str(args.vacancies)], env=env, check=True)
            print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
        server = subprocess.Popen(
            [
                binary,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=env,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)

        auth = {"Authorization": f"Bearer {ADMIN_KEY}"}
        with httpx.Client(base_url=base, headers=auth, timeout=30) as http:
            employer_id = http.get("/api/v1/employers", params={"limit": 1}).json()["items"][0][
                "id"
            ]
            keys = {}
            for role, extra in (
                ("counsellor", {"site": "grimma"}),
                ("employer", {"employer_id": employer_id}),
                ("partner", {"label": "load"}),
            ):
                response = http.post("/api/v1/api-keys", json={"role": role} | extra)
                response.raise_for_status()
                keys[role] = response.json()["key"]
            site_participants = []
            cursor = None
            while True:
                params = {"site": "grimma", "limit": 100} | ({"cursor": cursor} if cursor else {})
                page = http.get("/api/v1/participants", params=params).json()
                site_participants += [item["id"] for item in page["items"]]
                cursor = page.get("next_cursor")
                if not cursor:
                    break
            # warm both workers' indexes
            for i in range(1, 9):
                http.get(f"/api/v1/participants/{i}/matches")
                http.get(f"/api/v1/vacancies/{i}/matches")
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from tests.builders import participant_body

        world = {
            "participants": args.participants,
            "vacancies": args.vacancies,
            "body": participant_body(),
            "site_participants": site_participants,
        }

        if args.baseline > 0:
            print(f"baseline: 1 client for {args.baseline:.0f} s ...", flush=True)
            baseline = run_phase(base, keys, world, 1, 3.0, args.baseline, 0.0)
        else:
            baseline = None
        print(f"load: {args.clients} clients for {args.duration:.0f} s ...", flush=True)
        loaded = run_phase(
            base, keys, world, args.clients, args.warmup, args.duration, args.think_ms
        )
        if server.poll() is not None:
            print(f"the server exited during the run (code {server.returncode})")
        report(args, loaded, baseline)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if not args.reuse_database:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
