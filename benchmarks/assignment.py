"""Cohort assignment at district scale: optimal vs greedy vs the LP bound, and the solve time.

    .venv/bin/python benchmarks/assignment.py --participants 2000 --vacancies 2000 --seed 0

Scores come from the engine (default profile) on a simulated district; the matrix is built
first (timed separately), then each solver is timed on it. Prints the ratios measured in the
same run. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from tqdm import tqdm

from kai_match.analytics import greedy_assignment, lp_bound, optimal_assignment
from kai_match.analytics.district import make_participants, make_vacancies
from kai_match.analytics.simulate import AS_OF
from kai_match.data.geo import CommuteEstimator
from kai_match.data.taxonomy import related_skills
from kai_match.scoring import ParticipantIndex, RankingContext, rank_participants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--vacancies", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    people, _ = make_participants(rng, args.participants, AS_OF)
    jobs = make_vacancies(rng, args.vacancies, AS_OF)
    index = ParticipantIndex(people)
    context = RankingContext(commute=CommuteEstimator(), as_of=AS_OF, related=related_skills)
    t = time.perf_counter()
    scores = np.full((len(people), len(jobs)), -np.inf)
    for j, job in enumerate(tqdm(jobs, desc="scores", unit="vacancy")):
        result = rank_participants(job, index, context, limit=len(people))
        for item in result.items:
            scores[item.participant_id - 1, j] = item.score
    build = time.perf_counter() - t
    openings = np.array([v.openings_left for v in jobs])
    timings = {}
    for name, solver in (("optimal", optimal_assignment), ("greedy", greedy_assignment)):
        t = time.perf_counter()
        result = solver(scores, openings)
        timings[name] = (time.perf_counter() - t, result)
    t = time.perf_counter()
    bound = lp_bound(scores, openings)
    lp_time = time.perf_counter() - t
    best, greedy = timings["optimal"][1], timings["greedy"][1]
    print(
        f"matrix {len(people)} × {len(jobs)}: {int(np.isfinite(scores).sum())} eligible pairs, "
        f"{int(openings.sum())} openings, built in {build:.1f} s (engine)"
    )
    print(
        f"optimal  total {best.total:12.2f}  pairs {len(best.rows):5d}  {timings['optimal'][0]:.2f} s"
    )
    print(
        f"greedy   total {greedy.total:12.2f}  pairs {len(greedy.rows):5d}  {timings['greedy'][0]:.2f} s"
    )
    print(f"LP bound       {bound:12.2f}  (HiGHS, {lp_time:.2f} s)")
    print(f"optimal / LP bound: {best.total / bound:.6f}")
    print(
        f"optimal / greedy:   {best.total / greedy.total:.6f} (+{best.total - greedy.total:.2f} points)"
    )


if __name__ == "__main__":
    main()
