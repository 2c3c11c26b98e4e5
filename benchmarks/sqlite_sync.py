"""What SQLite's ``synchronous`` setting costs per commit (docs/operations.md, SQLite durability).

Commits single-row transactions into a WAL database the way the service opens it (the pragmas
of ``db.make_engine``), once with ``FULL`` (the default: an answered commit survives a power cut)
and once with ``NORMAL`` (the last commits may be lost), in the same run, and prints commits per
second and the ratio. ``--commits N`` (default 2000) per mode.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from kai_match.config import Settings
from kai_match.db import make_engine


def commits_per_second(directory: Path, synchronous: str, commits: int) -> float:
    settings = Settings(
        database_url=f"sqlite:///{directory / f'{synchronous}.db'}",
        sqlite_synchronous=synchronous,
    )
    engine = make_engine(settings)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
    with engine.connect() as connection:
        started = time.perf_counter()
        for i in range(commits):
            connection.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": f"row {i}"})
            connection.commit()
        seconds = time.perf_counter() - started
    engine.dispose()
    return commits / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        full = commits_per_second(Path(folder), "FULL", args.commits)
        normal = commits_per_second(Path(folder), "NORMAL", args.commits)
    print(f"synchronous=FULL    {full:10,.0f} commits/s  (baseline, the default)")
    print(f"synchronous=NORMAL  {normal:10,.0f} commits/s  ({normal / full:.1f}× FULL)")


if __name__ == "__main__":
    main()
