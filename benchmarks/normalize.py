"""Benchmark skill normalisation: speed (1,000 phrases against a baseline) and quality.

    .venv/bin/python benchmarks/normalize.py [--n 1000] [--seed 7]
    .venv/bin/python benchmarks/normalize.py --quality [-v] [--curve]

``--quality`` measures precision and recall on the labelled set in tests/data/normalisation
(see its README) with the thresholds in force; ``-v`` lists every miss, ``--curve`` prints
precision/recall over thresholds (how ``REQUIREMENT_THRESHOLD`` was chosen).

Phrases (all distinct, so the query cache never helps): curated labels and synonyms, the same
with typos, longer sentences as counsellors type them, and gibberish. The baseline, measured in
the same run on the same phrases, is plain ``rapidfuzz.process.extractOne`` (WRatio) over the
German labels alone – what a naive implementation would do.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import time
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz, process, utils

import kai_match.data.taxonomy as tx
from kai_match.data.taxonomy import skills as skills_module
from kai_match.data.taxonomy import store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.data.normalisation import quality

TEMPLATES = (
    "Ich habe Erfahrung mit {}",
    "{} seit drei Jahren",
    "kann {} (Grundkenntnisse)",
    "Erfahrung: {} im Heimatland",
    "{} und Teamarbeit",
    "gute Kenntnisse in {}",
)


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word + rng.choice("enrst")
    i = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:  # swap
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:  # drop
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice("aeiouns") + word[i + 1 :]  # replace


def gibberish(rng: random.Random) -> str:
    words = [
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 8)))
        for _ in range(rng.randint(1, 3))
    ]
    return " ".join(words)


def phrases(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    terms = sorted(
        {t for r in store.skills().values() if r.curated_label for t in [r.curated_label]}
        | {s for r in store.skills().values() for s in r.curated_synonyms}
    )
    out: set[str] = set()
    quotas = {"plain": 0.35, "typo": 0.25, "long": 0.3, "gibberish": 0.1}
    for kind, share in quotas.items():
        want = len(out) + int(n * share)
        while len(out) < want:
            term = rng.choice(terms)
            if kind == "plain":
                out.add(term)
            elif kind == "typo":
                out.add(typo(term, rng))
            elif kind == "long":
                out.add(rng.choice(TEMPLATES).format(term))
            else:
                out.add(gibberish(rng))
    while len(out) < n:
        out.add(gibberish(rng))
    result = sorted(out)
    rng.shuffle(result)
    return result[:n]


def timed(fn, items: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - t0)
    return times


def report(name: str, times: list[float]) -> float:
    total = sum(times)
    q = statistics.quantiles(times, n=100)
    print(
        f"{name:<28} total {total * 1000:8.1f} ms   p50 {q[49] * 1e6:7.0f} µs   "
        f"p95 {q[94] * 1e6:7.0f} µs"
    )
    return total


def line(name: str, f: quality.Figures) -> str:
    return (
        f"{name:<34} n {f.phrases:5d}  accepted {f.accepted:5d}  correct {f.correct:5d}  "
        f"precision {f.precision:.3f}  recall {f.recall:.3f}"
    )


def quality_report(verbose: bool, curve: bool) -> None:
    """Precision/recall on the labelled set, per kind, per category, misses and curve."""
    results = quality.answers(quality.load())
    skills = [a for a in results if a.phrase.kind == "skill"]
    occupations = [a for a in results if a.phrase.kind == "occupation"]
    print(
        f"labelled set: {len(results)} phrases ({len(skills)} skills, {len(occupations)} "
        f"occupations, {sum(not a.phrase.expected for a in results)} 'none')"
    )
    print(
        f"thresholds: SKILL_THRESHOLD {tx.SKILL_THRESHOLD}, REQUIREMENT_THRESHOLD "
        f"{tx.REQUIREMENT_THRESHOLD}, OCCUPATION_THRESHOLD {tx.OCCUPATION_THRESHOLD}"
    )
    print(line("skills as profile entries", quality.at_shipped(skills)))
    print(line("skills as requirements", quality.at_shipped(skills, requirement=True)))
    print(line("occupations", quality.at_shipped(occupations)))
    print(line("together (profile thresholds)", quality.at_shipped(results)))
    fresh = [a for a in results if not quality.verbatim(a.phrase)]
    print(line("  phrases not verbatim in the index", quality.at_shipped(fresh)))
    by_category: dict[tuple[str, str], list[quality.Answer]] = defaultdict(list)
    for a in results:
        by_category[(a.phrase.kind, a.phrase.category)].append(a)
    print("per category (profile thresholds):")
    for (kind, category), group in sorted(by_category.items()):
        print("  " + line(f"{kind} {category}", quality.at_shipped(group)))
    if curve:
        print("threshold curve, skills (profile and requirement use the same scores):")
        for step in range(50, 100, 2):
            t = step / 100
            print("  " + line(f"{t:.2f}", quality.at(skills, t)))
    if verbose:
        print("misses (profile thresholds; requirements miss more below the stricter one):")
        for what, a in quality.misses(results):
            print(
                f"  {what:<14} {a.phrase.kind:<10} {a.phrase.text!r:<40} -> {a.label!r} "
                f"({a.confidence:.2f}), expected {quality.expected_label(a.phrase)!r}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description="skill normalisation benchmark")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quality", action="store_true", help="precision/recall on the set")
    parser.add_argument("-v", "--verbose", action="store_true", help="with --quality: misses")
    parser.add_argument("--curve", action="store_true", help="with --quality: thresholds")
    args = parser.parse_args()
    if args.quality:
        quality_report(args.verbose, args.curve)
        return

    t0 = time.perf_counter()
    index = skills_module.skill_index()
    build = time.perf_counter() - t0
    items = phrases(args.n, args.seed)
    labels = index.scan_texts  # curated labels + synonyms + German ESCO labels, processed

    def baseline(text: str) -> object:
        return process.extractOne(
            utils.default_process(text), labels, scorer=fuzz.WRatio, processor=None
        )

    def ours(text: str) -> object:
        return tx.normalize_skill(text)

    for warm in phrases(50, args.seed + 1):  # warm-up (different phrases)
        ours(warm)
        baseline(warm)
    skills_module._normalize.cache_clear()

    print(f"index build (first call): {build * 1000:.0f} ms, {len(index)} names")
    print(f"{len(items)} distinct phrases (35% labels, 25% typos, 30% sentences, 10% gibberish)")
    ours_total = report("normalize_skill", timed(ours, items))
    base_total = report("baseline extractOne(WRatio)", timed(baseline, items))
    print(f"ratio normalize_skill / baseline: {ours_total / base_total:.2f}")
    resolved = sum(tx.resolve_skill(p) is not None for p in items)
    print(f"resolved above threshold {tx.SKILL_THRESHOLD}: {resolved}/{len(items)}")


if __name__ == "__main__":
    main()
