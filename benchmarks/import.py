"""Bulk import speed: rows per second for a CSV of vacancies, against one request per row.

    .venv/bin/python benchmarks/import.py [--rows 5000] [--baseline-rows 300] [--seed 7]

A fresh SQLite database in a temporary folder; 200 employers are imported first (their own
bulk CSV), then ``--rows`` vacancy rows as German Excel saves them (``;``, BOM, German dates):
25 vacancies per employer, titles and skill phrases drawn from lists of realistic ones, so
skill normalisation and the duplicate check do their real work (repeated phrases hit the
normaliser's cache, as in a real export). Measured: the dry run, the import, and the same
file again (every row ``unchanged``). The baseline, measured in the same run, is the same kind
of rows sent one by one to ``POST /api/v1/vacancies``. Set ``KAI_DATABASE_URL`` to measure
PostgreSQL instead (the database must be empty).
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from kai_match.config import Settings
from kai_match.main import create_app

KEY = "benchmark-admin-key-0123456789-abcdef"
POSTAL_CODES = ("04552", "04668", "04808", "04416", "04442", "04564", "04680", "04683",
                "04821", "04651", "04643", "04539", "04523", "04420")  # fmt: skip
TITLES = ("Lagerhelfer (m/w/d)", "Kommissionierer (m/w/d)", "Staplerfahrer (m/w/d)",
          "Produktionshelfer (m/w/d)", "Maschinenbediener (m/w/d)", "Reinigungskraft (m/w/d)",
          "Küchenhilfe (m/w/d)", "Servicekraft (m/w/d)", "Pflegehelfer (m/w/d)",
          "Verkäufer (m/w/d)", "Bäcker (m/w/d)", "Fleischereifachverkäufer (m/w/d)",
          "Erntehelfer (m/w/d)", "Berufskraftfahrer (m/w/d) CE", "Hausmeister (m/w/d)",
          "Maler und Lackierer (m/w/d)", "Elektroniker (m/w/d)", "Metallbauer (m/w/d)",
          "Gärtner (m/w/d) Garten- und Landschaftsbau", "Koch (m/w/d)")  # fmt: skip
SKILLS = ("Kommissionieren", "Gabelstapler fahren", "Staplerschein", "Lager verwalten",
          "Ware annehmen", "Maschinen bedienen", "Qualität prüfen", "Reinigung von Räumen",
          "Speisen zubereiten", "Gäste bedienen", "Kasse bedienen", "Grundpflege",
          "Brot backen", "Fleisch verkaufen", "Obst ernten", "LKW fahren", "Reparaturen",
          "Wände streichen", "Kabel verlegen", "Schweißen", "Rasen mähen", "Kochen",
          "Teamarbeit", "Deutsch sprechen", "Pünktlichkeit")  # fmt: skip
FIRMS = ("Logistik", "Bau", "Pflege", "Gastro", "Handel", "Metall", "Reinigung", "Agrar",
         "Elektro", "Garten")  # fmt: skip
SURNAMES = ("Müller", "Schulze", "Krause", "Richter", "Wagner", "Hoffmann", "Lehmann",
            "Seidel", "Franke", "Böttcher", "Voigt", "Günther", "Hempel", "Weiß", "Brückner",
            "Jäger", "Köhler", "Schmidt", "Albrecht", "Zimmermann")  # fmt: skip


def employers_csv() -> bytes:
    lines = ["ref_system;ref_id;name;postal_code"]
    for i in range(200):
        name = f"{FIRMS[i % 10]} {SURNAMES[i // 10]} GmbH"
        lines.append(f"bench;E{i};{name};{POSTAL_CODES[i % len(POSTAL_CODES)]}")
    return ("\ufeff" + "\r\n".join(lines)).encode()


def vacancies_csv(rows: int, employer_ids: list[int], rng: random.Random) -> bytes:
    header = ("ref_system;ref_id;employer_id;title;type;skills;min_german_level;postal_code;"
              "openings;shifts;start_date")  # fmt: skip
    lines = [header]
    for i in range(rows):
        employer = employer_ids[i % len(employer_ids)]
        skills = "|".join(
            f"{s}:{rng.choice(('must', 'should', 'nice'))}:{rng.randint(1, 3)}"
            for s in rng.sample(SKILLS, 3)
        )
        day = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2027"
        lines.append(
            f"bench;V{i};{employer};{rng.choice(TITLES)};{rng.choice(('job', 'work_trial'))};"
            f"{skills};{rng.choice(('A1', 'A2', 'B1'))};{POSTAL_CODES[employer % 14]};"
            f"{rng.randint(1, 4)};{rng.choice(('day', 'early, late', 'day, weekend'))};{day}"
        )
    return ("\ufeff" + "\r\n".join(lines)).encode()


def timed(call):
    start = time.perf_counter()
    answer = call()
    return answer, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--baseline-rows", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp())
    settings = Settings(
        environment="test",
        database_url=os.environ.get("KAI_DATABASE_URL", f"sqlite:///{folder / 'bench.db'}"),
        bootstrap_admin_key=KEY,
        rate_limit_per_minute=0,
        cost_budget_per_minute=0,
        request_timeout_seconds=600,
        log_level="WARNING",
    )
    csv = {"Content-Type": "text/csv"}
    with TestClient(create_app(settings), headers={"Authorization": f"Bearer {KEY}"}) as http:
        employers = http.post("/api/v1/employers/bulk", content=employers_csv(), headers=csv)
        employer_ids = [r["id"] for r in employers.json()["results"]]
        body = vacancies_csv(args.rows, employer_ids, rng)
        dry, dry_s = timed(lambda: http.post("/api/v1/vacancies/bulk", content=body, headers=csv,
                                             params={"dry_run": "true"}))  # fmt: skip
        real, real_s = timed(lambda: http.post("/api/v1/vacancies/bulk", content=body, headers=csv))
        again, again_s = timed(
            lambda: http.post("/api/v1/vacancies/bulk", content=body, headers=csv)
        )
        for answer in (dry, real, again):
            assert answer.status_code == 200, answer.text[:300]
        report = real.json()
        flagged = sum(bool(r["possible_duplicates"]) for r in report["results"])
        bodies = [
            {
                "employer_id": employer_ids[i % len(employer_ids)],
                "title": rng.choice(TITLES),
                "type": "job",
                "skills": [{"name": s, "importance": "should"} for s in rng.sample(SKILLS, 3)],
                "min_german_level": "A2",
                "postal_code": POSTAL_CODES[i % 14],
                "openings": 1,
            }
            for i in range(args.baseline_rows)
        ]
        start = time.perf_counter()
        for one in bodies:
            assert http.post("/api/v1/vacancies", json=one).status_code == 201
        baseline_s = time.perf_counter() - start
    baseline_rate = args.baseline_rows / baseline_s
    print(f"database: {settings.database_url.split(':')[0]}; {args.rows} vacancy rows, "
          f"{len(body) / 1e6:.2f} MB CSV")  # fmt: skip
    for name, seconds, answer in (
        ("dry run", dry_s, dry),
        ("import", real_s, real),
        ("same file again", again_s, again),
    ):
        counts = answer.json()
        rate = args.rows / seconds
        print(
            f"{name:16} {seconds:6.2f} s  {rate:7.0f} rows/s  ratio to baseline "
            f"{rate / baseline_rate:5.1f}  (created {counts['created']}, unchanged "
            f"{counts['unchanged']}, failed {counts['failed']})"
        )
    print(f"baseline: one POST per row, {args.baseline_rows} rows: {baseline_rate:.0f} rows/s")
    print(f"rows reported with possible duplicates: {flagged}")


if __name__ == "__main__":
    main()
