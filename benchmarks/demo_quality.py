"""What the first suggestions look like over the demo district: fit, wishes, ties.

    .venv/bin/python benchmarks/demo_quality.py                        # active profile
    .venv/bin/python benchmarks/demo_quality.py --profile PROFILE.json  # another weight profile
    .venv/bin/python benchmarks/demo_quality.py --history               # as `kai-match demo`
    KAI_SRC=/path/to/other/src .venv/bin/python benchmarks/demo_quality.py

Seeds the demo district (`demo.service.seed_demo`: 300 participants, 400 vacancies, seed 7, as
`kai-match demo` does) into a temporary SQLite file. Without `--history` the placement history
is left out (faster; more people stay active and more openings are left). Each active
participant is then ranked as the service ranks them (`matching/service.py`,
`matches_for_participant`): the service's in-process indexes built from the database, the
active weight profile (or `--profile`), the service's commute model, the taxonomy's related
skills and names, today as the day. Dates in the demo are offsets from today, so every run
sees the same district.

Figures, each with its counts:
(a) no matching skill: among people who hold any skill and get a first suggestion, the share
    whose first suggestion asks for at least one skill (or an unverified requirement) and none
    of whose required skills the person holds (at any level) or has a related skill for: every
    required skill has the status "missing" in the skills component's details
    (`scoring.reasons.skill_status`, which the reason text lists as held / below / similar /
    missing; "similar" is any held skill the taxonomy relates with similarity > 0). For a
    vacancy with requirements this is exactly a skills value of 0.
(a') the same among those people for whom some eligible vacancy does share a skill (where no
    eligible vacancy does, no order can help).
(b) wished type first: among people with wished placement types for whom at least one vacancy
    of a wished type is eligible (listed at all), the share whose first suggestion is of a
    wished type.
(c) ties: the share of people whose #1 and #2 have exactly the same score (their order is then
    the vacancy id), over people with at least two suggestions.
(d) no skills asked: the share of first suggestions whose vacancy lists no skill requirement at
    all (neither a skill nor an unverified requirement; the skills value is then neutral).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, os.environ.get("KAI_SRC", str(ROOT / "src")))

from sqlmodel import Session  # noqa: E402

from kai_match.config import Settings  # noqa: E402
from kai_match.data.taxonomy import related_skills, skill_label  # noqa: E402
from kai_match.data.taxonomy.fields import field_label  # noqa: E402
from kai_match.db import make_engine  # noqa: E402
from kai_match.demo.service import seed_demo  # noqa: E402
from kai_match.matching.indexes import MatchingIndexes  # noqa: E402
from kai_match.matching.profiles import resolve_profile  # noqa: E402
from kai_match.matching.service import (  # noqa: E402
    REACH_KMH,
    SPATIAL_PREFILTER_FROM,
    commute_model,
)
from kai_match.migrate import upgrade  # noqa: E402
from kai_match.scoring import (  # noqa: E402
    ParticipantProfile,
    RankingContext,
    VacancyProfile,
    WeightProfile,
    rank_vacancies,
)
from kai_match.scoring.reasons import skill_status  # noqa: E402


def no_matching_skill(p: ParticipantProfile, v: VacancyProfile, ctx: RankingContext) -> bool:
    """(a): the vacancy asks for something and no required skill is held or related."""
    if not v.skills and not v.unverified:
        return False
    return all(skill_status(p, s, ctx.related, ctx.profile)[0] == "missing" for s in v.skills)


def share(hits: int, of: int) -> str:
    return f"{hits}/{of} = {hits / of:.1%}" if of else f"{hits}/0"


def seeded_engine(args: argparse.Namespace, folder: str):
    """A temporary SQLite database with the demo district in it."""
    url = f"sqlite:///{Path(folder) / 'demo.db'}"
    engine = make_engine(Settings(database_url=url, environment="test", log_level="WARNING"))
    upgrade(engine)
    seed_demo(
        engine,
        participants=args.participants,
        vacancies=args.vacancies,
        seed=args.seed,
        history=args.history,
        cheap_hashes=True,
    )
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", type=Path, help="weight profile JSON (default: active)")
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--vacancies", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--history", action="store_true", help="seed the placement history too")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        engine = seeded_engine(args, folder)
        seeded = time.perf_counter() - started
        indexes = MatchingIndexes()
        with Session(engine) as session, session.begin():
            indexes.sync(session)
            record, active = resolve_profile(session=session)
            active_name = record.name
        engine.dispose()
    if args.profile:
        profile = WeightProfile.from_dict(json.loads(args.profile.read_text(encoding="utf-8")))
    else:
        profile = active
    # As matching/service.py `_context` builds it for a counsellor (scores do not depend on
    # who asks; texts are not looked at here).
    ctx = RankingContext(
        field_name=field_label,
        commute=commute_model(),
        as_of=date.today(),
        profile=profile,
        related=related_skills,
        skill_name=lambda skill_id: skill_label(skill_id) or skill_id,
    )
    large = len(indexes.vacancies) >= SPATIAL_PREFILTER_FROM
    reach = REACH_KMH if large else None

    people = with_first = 0
    skilled = skilled_miss = 0
    could = could_miss = 0  # people with an eligible vacancy that shares a skill
    wishing = wish_first = 0
    two = ties = 0
    no_skills_asked = 0
    for p in indexes.participants:
        people += 1
        items = rank_vacancies(p, indexes.vacancies, ctx, limit=2, reach_kmh=reach).items
        if not items:
            continue
        with_first += 1
        first = indexes.vacancies.get(items[0].vacancy_id)
        assert first is not None
        if p.skills:
            skilled += 1
            missed = no_matching_skill(p, first, ctx)
            skilled_miss += missed
            every = rank_vacancies(p, indexes.vacancies, ctx, limit=10_000, reach_kmh=reach).items
            if any(
                not no_matching_skill(p, indexes.vacancies.get(it.vacancy_id), ctx) for it in every
            ):
                could += 1
                could_miss += missed
        if p.placement_types:
            wished = rank_vacancies(
                p, indexes.vacancies, ctx, limit=1, types=p.placement_types, reach_kmh=reach
            ).items
            if wished:
                wishing += 1
                wish_first += first.type in p.placement_types
        if len(items) >= 2:
            two += 1
            ties += items[0].score == items[1].score
        no_skills_asked += not first.skills and not first.unverified

    source = f"{args.profile}" if args.profile else f"active in the demo: {active_name}"
    print(
        f"demo: {args.participants} participants, {args.vacancies} vacancies, seed {args.seed}"
        f"{', with history' if args.history else ', no history'}; "
        f"{people} active, {len(indexes.vacancies)} open vacancies in the index"
    )
    print(f"profile: {profile.name} v{profile.version} ({source})")
    print(f"people with a first suggestion: {with_first}/{people}")
    print(
        f"(a) first suggestion without any matching or related skill: {share(skilled_miss, skilled)}"
    )
    print("    (people with any skill and a first suggestion)")
    print(f"(a') the same where an eligible vacancy shares a skill: {share(could_miss, could)}")
    print(f"(b) first suggestion of a wished type:  {share(wish_first, wishing)}")
    print("    (people with wished types and an eligible vacancy of one)")
    print(f"(c) #1 and #2 tie exactly:              {share(ties, two)}")
    print(f"    (people with two or more suggestions; {ties}/{people} of all active)")
    print(f"(d) first suggestion asks no skills:    {share(no_skills_asked, with_first)}")
    print(f"seeding {seeded:.0f} s, all {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
