"""Precision and recall of the duplicate-vacancy detector on the labelled pairs.

    .venv/bin/python benchmarks/duplicates.py [-v]

The rules and the threshold were chosen on the odd pair ids; the even ones were held out
(docs/partners.md, "Duplicates"). ``-v`` lists every wrong answer with its score.
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

from kai_match.data.geo import lookup_postal_code
from kai_match.vacancies.duplicates import DUPLICATE_THRESHOLD, Posting, duplicate_score

PAIRS = Path(__file__).resolve().parents[1] / "tests" / "data" / "duplicates" / "pairs.csv"


def posting(row: dict[str, str], side: str) -> Posting:
    def day(value: str) -> date | None:
        return date.fromisoformat(value) if value else None

    place = lookup_postal_code(row[f"{side}_postal_code"])
    return Posting(
        employer=row[f"{side}_employer"],
        title=row[f"{side}_title"],
        postal_code=row[f"{side}_postal_code"],
        municipality=place.ags if place else None,
        start_date=day(row[f"{side}_start_date"]),
        end_date=day(row[f"{side}_end_date"]),
    )


def measure(rows: list[dict[str, str]]) -> tuple[float, float, list[tuple[str, float, dict]]]:
    tp = fp = fn = 0
    wrong = []
    for row in rows:
        score = duplicate_score(posting(row, "a"), posting(row, "b"))
        said, same = score >= DUPLICATE_THRESHOLD, row["same"] == "1"
        tp += said and same
        fp += said and not same
        fn += same and not said
        if said != same:
            wrong.append(("false positive" if said else "missed", score, row))
    return tp / max(1, tp + fp), tp / max(1, tp + fn), wrong


def main() -> None:
    rows = list(csv.DictReader(PAIRS.open(encoding="utf-8")))
    parts = {
        "chosen on (odd ids)": [r for r in rows if int(r["pair_id"]) % 2],
        "held out (even ids)": [r for r in rows if not int(r["pair_id"]) % 2],
        "all": rows,
    }
    print(f"threshold {DUPLICATE_THRESHOLD}; {len(rows)} pairs")
    for name, part in parts.items():
        precision, recall, _ = measure(part)
        same = sum(r["same"] == "1" for r in part)
        print(
            f"{name:22} {len(part):4} pairs ({same} same)  precision {precision:.3f}  "
            f"recall {recall:.3f}"
        )
    if "-v" in sys.argv:
        for what, score, row in measure(rows)[2]:
            print(
                f"  {what} ({score}) {row['kind']}: {row['a_employer']} / {row['a_title']} "
                f"| {row['b_employer']} / {row['b_title']}"
            )


if __name__ == "__main__":
    main()
