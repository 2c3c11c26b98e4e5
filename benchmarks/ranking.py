"""Ranking latency: fast columnar path vs the per-pair reference, on district-like data.

    .venv/bin/python benchmarks/ranking.py            # 1k, 10k, 100k district + 1M Germany
    .venv/bin/python benchmarks/ranking.py --quick    # smoke run, a few seconds
    .venv/bin/python benchmarks/ranking.py --no-germany   # without the 1M run (~1 minute)
    .venv/bin/python benchmarks/ranking.py --real-commute   # the geo package's model instead

Synthetic vacancies sit at real postal-code coordinates (Landkreis Leipzig and the city of
Leipzig; all of Germany for the 1M run) with a few hundred metres of jitter, 3–8 skills each
over a vocabulary of 300 (Zipf-like popularity), mixed types, levels, shifts and dates.
Each timed ranking uses another of 64 varied participants; `limit=20`, explanations included.
The reference is the per-pair oracle of tests/scoring/reference.py; where a full reference
ranking would take too long it is timed on a sample of pairs and extrapolated (marked `~`).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from kai_match.scoring import (  # noqa: E402
    DEFAULT_PROFILE,
    ParticipantIndex,
    ParticipantProfile,
    RankingContext,
    VacancyIndex,
    VacancyProfile,
    rank_participants,
    rank_vacancies,
)
from tests.scoring.fakes import FakeCommute, FakeRelated  # noqa: E402
from tests.scoring.reference import ref_explain  # noqa: E402

AS_OF = date(2026, 11, 1)
# Folder with the GeoNames postal-code files (zipcodes_leipzig_region.csv, zipcodes.de.csv);
# without it the places are a synthetic district around 51.2N 12.6E (docs/performance.md).
DATA = Path(os.environ.get("KAI_BENCH_GEONAMES_DIR", "/nonexistent"))
TYPES = ["work_trial", "internship", "job", "apprenticeship", "entry_qualification"]
TYPE_W = [30, 15, 35, 12, 8]
LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"]
SHIFT_SETS = [{"day"}, {"early", "late"}, {"early", "day"}, {"day", "late"}, {"night"}, set()]
N_SKILLS = 300
FIELDS = ["logistics", "care", "retail", "kitchen", "cleaning", "production", "agriculture"]


def places(region: str, rng: random.Random) -> list[tuple[float, float, float]]:
    """(lat, lon, transit) of postal places; transit by kind of place."""
    name = "zipcodes_leipzig_region.csv" if region == "district" else "zipcodes.de.csv"
    path = DATA / name
    out = []
    if path.exists():
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                city = row["community_code"] == "14713" or row["community"].startswith("Kreisfreie")
                transit = 0.9 if city else rng.choice([0.15, 0.3, 0.5, 0.7])
                out.append((float(row["latitude"]), float(row["longitude"]), transit))
    if not out:  # no reference data: a synthetic district around 51.2N 12.6E
        span = 0.3 if region == "district" else 3.5
        out = [
            (51.2 + rng.uniform(-span, span), 12.6 + rng.uniform(-span, span), rng.random())
            for _ in range(200)
        ]
    return out


def skill_sampler(rng: random.Random):
    weights = [1.0 / (i + 1) ** 0.8 for i in range(N_SKILLS)]
    names = [f"skill-{i:03d}" for i in range(N_SKILLS)]

    def sample(k: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < k:
            s = rng.choices(names, weights)[0]
            if s not in chosen:
                chosen.append(s)
        return chosen

    return names, sample


def related_table(names: list[str], rng: random.Random) -> FakeRelated:
    table = {}
    for s in names:
        others = rng.sample(names, 4)
        table[s] = {o: rng.choice([0.35, 0.4, 0.6, 0.7, 0.75]) for o in others if o != s}
    return FakeRelated(table)


def make_vacancies(n: int, region: str, seed: int) -> list[VacancyProfile]:
    rng = random.Random(seed)
    spots = places(region, rng)
    _, sample = skill_sampler(rng)
    out = []
    for i in range(1, n + 1):
        lat, lon, transit = rng.choice(spots)
        t = rng.choices(TYPES, TYPE_W)[0]
        k = rng.randint(3, 8)
        skills = [
            (s, rng.choices(["must", "should", "nice"], [20, 45, 35])[0], rng.randint(1, 4))
            for s in sample(k)
        ]
        start = AS_OF + timedelta(days=rng.randint(-10, 200)) if rng.random() < 0.7 else None
        out.append(
            VacancyProfile(
                id=i,
                employer_id=rng.randint(1, max(1, n // 5)),
                type=t,
                min_german_level=rng.choices(LEVELS[:4], [15, 45, 30, 10])[0],
                german_tolerance=rng.choice([0, 1, 1, 2]),
                lat=lat + rng.uniform(-0.01, 0.01),
                lon=lon + rng.uniform(-0.015, 0.015),
                transit=transit,
                occupation_code=f"occ-{rng.randint(0, 199)}" if rng.random() < 0.8 else None,
                isco_group=str(rng.choice([9333, 9334, 9321, 5120, 5322, 9112, 8160, 7115])),
                field=rng.choice(FIELDS),
                skills=skills,
                languages_wanted=[("ar", "B1")] if rng.random() < 0.1 else [],
                shifts=rng.choice(SHIFT_SETS),
                hours_per_week=rng.choice([None, 20.0, 30.0, 39.0, 40.0]),
                openings_left=rng.choices([0, 1, 2, 3], [5, 60, 25, 10])[0],
                start_date=start,
                end_date=start + timedelta(days=42) if start and t == "work_trial" else None,
                valid_through=AS_OF + timedelta(days=rng.randint(-5, 120)),
                driving_licence_required="B" if rng.random() < 0.1 else None,
                status="open" if rng.random() < 0.97 else "filled",
                employer_offers_language_support=rng.random() < 0.4,
            )
        )
    return out


def make_participants(n: int, region: str, seed: int) -> list[ParticipantProfile]:
    rng = random.Random(seed)
    spots = places(region, rng)
    _, sample = skill_sampler(rng)
    out = []
    for i in range(1, n + 1):
        lat, lon, transit = rng.choice(spots)
        car = rng.random() < 0.2
        out.append(
            ParticipantProfile(
                id=i,
                german_level=rng.choices(LEVELS[:4], [20, 45, 30, 5])[0],
                home_lat=lat + rng.uniform(-0.01, 0.01),
                home_lon=lon + rng.uniform(-0.015, 0.015),
                home_transit=transit,
                expected_b1_date=AS_OF + timedelta(days=rng.randint(10, 200))
                if rng.random() < 0.4
                else None,
                latin_literacy=rng.random() < 0.85,
                other_languages={"ar": "C2"} if rng.random() < 0.3 else {"uk": "C2"},
                skills={
                    s: (rng.randint(1, 4), rng.choice(["self_reported", "assessed", "certified"]))
                    for s in sample(rng.randint(2, 8))
                },
                occupations=[(f"occ-{rng.randint(0, 199)}", "9333", rng.choice([0.5, 2.0, 6.0]))],
                driving_licences={"B"} if car or rng.random() < 0.2 else set(),
                has_car=car,
                has_bike=rng.random() < 0.6,
                max_commute_minutes=rng.choice([30.0, 45.0, 60.0, 75.0]),
                earliest_start=AS_OF + timedelta(days=rng.randint(0, 60)),
                hours_per_week=rng.choice([None, 20.0, 30.0, 40.0]),
                shifts=rng.choice(
                    [{"day"}, {"early", "day"}, {"day", "late"}, {"early", "day", "late"}]
                ),
                placement_types=rng.choice([set(), {"work_trial"}, {"job", "work_trial"}]),
                fields_wanted=rng.choice([set(), {"logistics"}, {"care", "retail"}]),
                work_permit=rng.choices(
                    ["unrestricted", "permitted", "approval_required", "prohibited"],
                    [20, 50, 25, 5],
                )[0],
                consent_processing=True,
                share_with_employers=rng.random() < 0.8,
                **_week(rng),
            )
        )
    return out


def _week(rng: random.Random) -> dict:
    """Most people are in a course, some with childcare (engines that know weekly times)."""
    course = rng.random() < 0.6
    until = AS_OF + timedelta(days=rng.randint(10, 200))  # drawn either way: same people
    childcare = rng.random() < 0.25
    if "commitments" not in ParticipantProfile.__dataclass_fields__:
        return {}
    from kai_match.scoring.schedule import Commitment

    week = [Commitment("course", 0x1F, 510, 765, None, until)] if course else []
    if childcare:
        week.append(Commitment("childcare", 0x1F, 420, 465))
    return {"commitments": tuple(week)}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_fast(people, index, commute, related, reps: int, limit: int = 20, **kw) -> list[float]:
    context = RankingContext(commute=commute, as_of=AS_OF, related=related)
    for p in people[:5]:  # warm-up (first query also fills the related-skill cache)
        rank_vacancies(p, index, context, **kw)
    out = []
    for r in range(reps):
        p = people[r % len(people)]
        t0 = time.perf_counter_ns()
        rank_vacancies(p, index, context, limit=limit, **kw)
        out.append((time.perf_counter_ns() - t0) / 1e6)
    return out


def time_reference(people, vacancies, commute, related, reps: int, max_pairs: int):
    """Per-ranking reference times (ms); extrapolated from a sample when n > max_pairs."""
    n = len(vacancies)
    rng = random.Random(11)
    out = []
    for r in range(reps):
        p = people[r % len(people)]
        sample = vacancies if n <= max_pairs else rng.sample(vacancies, max_pairs)
        t0 = time.perf_counter_ns()
        results = [
            ref_explain(p, v, DEFAULT_PROFILE, commute=commute, related=related, as_of=AS_OF)
            for v in sample
        ]
        eligible = [x for x in results if x.eligible]
        eligible.sort(key=lambda x: (-x.score, x.vacancy_id))
        ms = (time.perf_counter_ns() - t0) / 1e6
        out.append(ms * n / len(sample))
    return out, n > max_pairs


def check_agreement(people, vacancies, index, commute, related) -> int:
    """Top-20 of the fast path equals the reference's, for a few people (sanity, not timing)."""
    checked = 0
    context = RankingContext(commute=commute, as_of=AS_OF, related=related)
    for p in people[:3]:
        fast = rank_vacancies(p, index, context, limit=20)
        refs = [
            ref_explain(p, v, DEFAULT_PROFILE, commute=commute, related=related, as_of=AS_OF)
            for v in vacancies
        ]
        refs = sorted((x for x in refs if x.eligible), key=lambda x: (-x.score, x.vacancy_id))
        assert fast.total == len(refs), (fast.total, len(refs))
        for item, ref in zip(fast.items, refs[:20], strict=True):
            assert item.vacancy_id == ref.vacancy_id and abs(item.score - ref.score) < 1e-9
        checked += 1
    return checked


def fmt(ms: float) -> str:
    return f"{ms:9.3f}" if ms < 100 else f"{ms:9.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few repetitions")
    parser.add_argument("--real-commute", action="store_true", help="kai_match.data.geo model")
    parser.add_argument("--no-germany", action="store_true", help="skip the 1M-vacancy run")
    args = parser.parse_args()
    quick = args.quick
    sizes = [1_000, 10_000] if quick else [1_000, 10_000, 100_000]
    reps = 20 if quick else 200
    ref_reps = 3 if quick else 10
    max_pairs = 300 if quick else 2_000
    commute = FakeCommute()
    reach = FakeCommute.REACH_KMH
    if args.real_commute:
        from kai_match.data.geo.commute import CommuteEstimator

        commute = CommuteEstimator()
        reach = 55.0  # car: 70 km/h on road km × detour 1.3 → ≤ 54 km/h straight line

    rng = random.Random(3)
    names, _ = skill_sampler(rng)
    related = related_table(names, rng)
    people = make_participants(64, "district", seed=5)

    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"commute model: {type(commute).__name__}; profile: default; limit 20; as_of {AS_OF}")
    print()
    header = (
        f"{'vacancies':>10} {'build s':>8} {'eligible':>9} {'fast p50':>9} {'fast p95':>9} "
        f"{'kernel p50':>10} {'ref p50':>10} {'ref p95':>10} {'ratio p50':>10}"
    )
    print(header + "   (times in ms per ranking)")
    print("-" * len(header))
    for n in sizes:
        vacancies = make_vacancies(n, "district", seed=n)
        t0 = time.perf_counter()
        index = VacancyIndex(vacancies)
        build = time.perf_counter() - t0
        if n == sizes[0]:
            check_agreement(people, vacancies, index, commute, related)
        fast = time_fast(people, index, commute, related, reps)
        kernel = time_fast(people, index, commute, related, reps, limit=0)
        ref, extrapolated = time_reference(people, vacancies, commute, related, ref_reps, max_pairs)
        context = RankingContext(commute=commute, as_of=AS_OF, related=related)
        total = rank_vacancies(people[0], index, context, limit=0).total
        mark = "~" if extrapolated else " "
        p50, p95, r50, r95 = pct(fast, 0.5), pct(fast, 0.95), pct(ref, 0.5), pct(ref, 0.95)
        print(
            f"{n:>10,} {build:>8.2f} {total:>9,} {fmt(p50)} {fmt(p95)} {fmt(pct(kernel, 0.5))} "
            f"{mark}{fmt(r50)} {mark}{fmt(r95)} {r50 / p50:>9.0f}×"
        )
    print()
    print(f"fast: {reps} rankings over 64 participants after 5 warm-up rankings, top 20 explained;")
    print("kernel: the same rankings with limit=0 (eligibility and scores, no result items);")
    print(f"ref: {ref_reps} rankings; '~' = timed on {max_pairs:,} sampled pairs and scaled to n.")
    print("The first size was also checked: fast top-20 and totals equal the reference's.")

    # Vacancy-side: candidates for a vacancy.
    print()
    print(f"{'participants':>12} {'fast p50':>9} {'fast p95':>9}   rank_participants, ms")
    jobs = make_vacancies(64, "district", seed=99)
    for n in [10_000] if quick else [10_000, 100_000]:
        pindex = ParticipantIndex(make_participants(n, "district", seed=n + 1))
        context = RankingContext(commute=commute, as_of=AS_OF, related=related)
        for v in jobs[:5]:
            rank_participants(v, pindex, context, limit=20)
        times = []
        for r in range(reps):
            t0 = time.perf_counter_ns()
            rank_participants(jobs[r % len(jobs)], pindex, context, limit=20)
            times.append((time.perf_counter_ns() - t0) / 1e6)
        print(f"{n:>12,} {fmt(pct(times, 0.5))} {fmt(pct(times, 0.95))}")

    if quick or args.no_germany:
        return
    # One million vacancies across Germany, with and without the spatial prefilter.
    print()
    n = 1_000_000
    t0 = time.perf_counter()
    vacancies = make_vacancies(n, "germany", seed=7)
    made = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = VacancyIndex(vacancies)
    build = time.perf_counter() - t0
    del vacancies
    germans = make_participants(64, "germany", seed=8)
    grid = time_fast(germans, index, commute, related, 100, reach_kmh=reach)
    plain = time_fast(germans, index, commute, related, 10)
    import resource

    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"1,000,000 vacancies over Germany (generated in {made:.0f} s, indexed in {build:.0f} s; "
        f"peak RSS of this process {peak_gb:.1f} GB)"
    )
    print(
        f"  spatial prefilter (reach {reach:.0f} km/h × limit): "
        f"p50 {pct(grid, 0.5):.2f} ms, p95 {pct(grid, 0.95):.2f} ms (100 rankings)"
    )
    print(
        f"  no prefilter:                              "
        f"p50 {pct(plain, 0.5):.1f} ms, p95 {pct(plain, 0.95):.1f} ms (10 rankings)"
    )


if __name__ == "__main__":
    main()
