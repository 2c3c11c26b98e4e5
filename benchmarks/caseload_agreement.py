"""Agreement of the engine with a counsellor's judgement on a crafted caseload.

    .venv/bin/python benchmarks/caseload_agreement.py                  # time_and_place.json
    .venv/bin/python benchmarks/caseload_agreement.py FILE.json -v     # another file, per person
    .venv/bin/python benchmarks/caseload_agreement.py FILE.json --profile PROFILE.json
                                      # another weight profile (WeightProfile.from_dict)
    KAI_SRC=/path/to/old/src .venv/bin/python benchmarks/caseload_agreement.py FILE.json --legacy
                                      # an older engine, which knows no weekly times

Weekly times in a caseload: a person's "commitments" ([{"kind", "when", "valid_until"}]) and a
vacancy's "working_times" (a list of working times, each a list of phrases such as
"Mo–Fr 14:00–18:00"). `--legacy` leaves both out, for engines from before them; the vacancy's
"shifts" then stand for its working times.

Skills and occupations: a person's "skills" are {skill_id: [level, source]}, a vacancy's
[{"skill_id", "importance", "level"}] (a "label" beside them is for the reader); a person's
"occupations" are [{"code", "isco_group", "years"}] and a vacancy names "occupation_code". As
in the service (matching/inputs.py), a missing ISCO group (and a vacancy's missing field) comes
from the taxonomy's entry for the code; "occupation" and "note" on a vacancy are for the reader.
The context gets the taxonomy's related skills and names, as the service's does.

A caseload file (tests/data/caseloads/) holds vacancies and people as engine inputs (places as
postal codes, placed by the geo package's commute model) and, per person, the vacancies a
counsellor would propose, best first, and those they would not. The judgement is written
before the engine is run on it, so that a change of the scoring is measured, not tuned to taste.

Figures, over all people:
- pairwise agreement: of the counsellor's preferences "a before b" (every earlier proposal
  before a later one, every proposal before every vacancy not proposed), the share the engine
  shares: it lists a, and lists b lower or not at all. A pair both left out counts as not
  shared (the engine does not propose a).
- first-choice agreement: the share of people whose top engine suggestion is the counsellor's
  first proposal.
- top-3 overlap: the mean over people with proposals of |engine top 3 ∩ counsellor top 3| /
  min(3, number of proposals).
- ties: people whose engine #1 and #2 have exactly the same score (the order between them is
  then the vacancy id, i.e. chance).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from datetime import date
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, os.environ.get("KAI_SRC", str(ROOT / "src")))
LEGACY = "--legacy" in sys.argv

from kai_match.data.geo import CommuteEstimator, lookup_postal_code  # noqa: E402
from kai_match.scoring import (  # noqa: E402
    DEFAULT_PROFILE,
    Experience,
    ParticipantProfile,
    RankingContext,
    RequiredSkill,
    VacancyIndex,
    VacancyProfile,
    WeightProfile,
    explain,
    rank_vacancies,
)

DEFAULT_FILE = ROOT / "tests" / "data" / "caseloads" / "time_and_place.json"
DATE_FIELDS = (
    "start_date",
    "end_date",
    "valid_through",
    "earliest_start",
    "permit_valid_until",
    "expected_b1_date",
)
SET_FIELDS = ("shifts", "driving_licences", "placement_types", "fields_wanted", "fields_excluded")
READER_FIELDS = ("occupation", "note")  # on a vacancy, for whoever reads the file
TOP = 3


def _occupation_info(code: str | None):
    """The taxonomy's entry for an occupation code (None when unknown or not given)."""
    if not code:
        return None
    from kai_match.data.taxonomy import occupation_info

    return occupation_info(code)


def _inputs(raw: dict) -> dict:
    """Profile keyword arguments from a caseload entry: place, dates, sets, skills, jobs."""
    out = dict(raw)
    place = lookup_postal_code(out.pop("postal_code"))
    if place is None:
        raise SystemExit(f"unknown postal code in {raw}")
    for name in DATE_FIELDS:
        if out.get(name) is not None:
            out[name] = date.fromisoformat(out[name])
    for name in SET_FIELDS:
        if name in out:
            out[name] = frozenset(out[name])
    if "occupations" in out:
        out["occupations"] = tuple(_experience(o) for o in out["occupations"])
    skills = out.get("skills")
    if isinstance(skills, dict):  # a person's: {skill_id: [level, source]}
        out["skills"] = {skill_id: tuple(held) for skill_id, held in skills.items()}
    elif skills is not None:  # a vacancy's: [{"skill_id", "importance", "level"}]
        out["skills"] = tuple(
            RequiredSkill(s["skill_id"], s.get("importance", "should"), s.get("level", 1))
            for s in skills
        )
    if "occupation_code" in out:
        info = _occupation_info(out["occupation_code"])
        if info is not None:
            out.setdefault("isco_group", info.isco_group)
            out.setdefault("field", info.field)
    for name in READER_FIELDS:
        out.pop(name, None)
    if LEGACY:
        out.pop("commitments", None)
        out.pop("working_times", None)
    else:
        _weekly(out)
    out["_place"] = (place.lat, place.lon, place.transit)
    return out


def _experience(raw: dict) -> Experience:
    """A previous occupation; its ISCO group from the taxonomy when not written."""
    kw = dict(raw)
    if kw.get("isco_group") is None:
        info = _occupation_info(kw.get("code"))
        kw["isco_group"] = info.isco_group if info else None
    return Experience(**kw)


def _weekly(out: dict) -> None:
    """Commitments and working times from their phrases (engines that know them)."""
    from kai_match.scoring.schedule import Commitment, WorkingTime
    from kai_match.scoring.week import parse

    if "commitments" in out:
        out["commitments"] = tuple(
            Commitment(
                c["kind"],
                *parse(c["when"]),
                *(
                    date.fromisoformat(c[k]) if c.get(k) else None
                    for k in ("valid_from", "valid_until")
                ),
            )
            for c in out["commitments"]
        )
    if "working_times" in out:
        out["working_times"] = tuple(
            WorkingTime(tuple(parse(w) for w in windows)) for windows in out["working_times"]
        )
        out.pop("shifts", None)


def load(path: Path) -> tuple[date, dict[str, VacancyProfile], dict[str, tuple], dict]:
    """As-of day, vacancy profiles by key, (person profile, judgement) by key."""
    data = json.loads(path.read_text(encoding="utf-8"))
    vacancies: dict[str, VacancyProfile] = {}
    for i, (key, raw) in enumerate(data["vacancies"].items(), start=1):
        kw = _inputs(raw)
        lat, lon, transit = kw.pop("_place")
        vacancies[key] = VacancyProfile(
            id=i, employer_id=i, lat=lat, lon=lon, transit=transit, **kw
        )
    people: dict[str, tuple[ParticipantProfile, dict]] = {}
    for i, (key, case) in enumerate(data["people"].items(), start=1):
        kw = _inputs(case["profile"])
        lat, lon, transit = kw.pop("_place")
        kw.setdefault("work_permit", "unrestricted")
        kw.setdefault("consent_processing", True)
        person = ParticipantProfile(id=i, home_lat=lat, home_lon=lon, home_transit=transit, **kw)
        judged = set(case["propose"]) | set(case["not"])
        unknown = judged - set(vacancies)
        if unknown or set(case["propose"]) & set(case["not"]):
            raise SystemExit(f"{key}: unknown or doubly judged vacancies {sorted(unknown)}")
        people[key] = (person, case)
    return date.fromisoformat(data["as_of"]), vacancies, people, data


def preferences(case: dict) -> list[tuple[str, str]]:
    """The counsellor's "a before b" pairs."""
    propose, rejected = case["propose"], case["not"]
    return list(combinations(propose, 2)) + [(a, b) for a in propose for b in rejected]


def context(as_of: date, profile: WeightProfile) -> RankingContext:
    """The context the service builds (matching/service.py): related skills and names from the
    taxonomy; only what this engine's RankingContext knows (older engines know less)."""
    kw: dict = {"commute": CommuteEstimator(), "as_of": as_of, "profile": profile}
    try:
        from kai_match.data.taxonomy import related_skills, skill_label
        from kai_match.data.taxonomy.fields import field_label
    except ImportError:
        pass
    else:
        kw |= {
            "related": related_skills,
            "skill_name": lambda skill_id: skill_label(skill_id) or skill_id,
            "field_name": field_label,
        }
    known = {f.name for f in dataclasses.fields(RankingContext)}
    return RankingContext(**{k: v for k, v in kw.items() if k in known})


def read_profile(path: Path | None) -> WeightProfile:
    """A weight profile from a JSON file (missing parts take the defaults), else the default."""
    if path is None:
        return DEFAULT_PROFILE
    return WeightProfile.from_dict(json.loads(path.read_text(encoding="utf-8")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("-v", "--verbose", action="store_true", help="per person: lists, reasons")
    parser.add_argument("--legacy", action="store_true", help="leave weekly times out")
    parser.add_argument("--profile", type=Path, help="weight profile JSON (default: built-in)")
    args = parser.parse_args()
    as_of, vacancies, people, _ = load(args.file)
    by_id = {v.id: key for key, v in vacancies.items()}
    index = VacancyIndex(vacancies.values())
    profile = read_profile(args.profile)
    ctx = context(as_of, profile)
    agreed = total = first = 0
    agreed_eligible = total_eligible = first_eligible = first_when_eligible = 0
    shown_proposals = n_proposals = 0
    overlap = 0.0
    with_proposals = ties = two_listed = 0
    for key, (person, case) in people.items():
        result = rank_vacancies(person, index, ctx, limit=len(vacancies))
        listed = [by_id[item.vacancy_id] for item in result.items]
        position = {name: i for i, name in enumerate(listed)}
        pairs = preferences(case)
        ok = sum(
            1
            for a, b in pairs
            if a in position and (b not in position or position[b] > position[a])
        )
        agreed += ok
        total += len(pairs)
        # Of what the order can decide: preferences whose better vacancy is eligible at all,
        # and people whose first proposal is eligible (a hard constraint is not a weight).
        judged = [(a, b) for a, b in pairs if a in position]
        agreed_eligible += sum(
            1 for a, b in judged if b not in position or position[b] > position[a]
        )
        total_eligible += len(judged)
        if case["propose"][:1] and case["propose"][0] in position:
            first_eligible += 1
            first_when_eligible += listed[:1] == case["propose"][:1]
        # Proposing nothing agrees when the engine lists nothing either.
        first += listed[:1] == case["propose"][:1]
        n_proposals += len(case["propose"])
        shown_proposals += sum(1 for name in case["propose"] if name in position)
        if case["propose"]:
            with_proposals += 1
            shared = set(listed[:TOP]) & set(case["propose"][:TOP])
            overlap += len(shared) / min(TOP, len(case["propose"]))
        tie = len(result.items) >= 2 and result.items[0].score == result.items[1].score
        two_listed += len(result.items) >= 2
        ties += tie
        if args.verbose:
            print(f"\n{key}: pairwise {ok}/{len(pairs)}" + ("  (#1 and #2 tie)" if tie else ""))
            print(f"  counsellor: {', '.join(case['propose'])}")
            scored = [f"{by_id[i.vacancy_id]} {i.score:.1f}" for i in result.items]
            print(f"  engine:     {', '.join(scored) or '-'}")
            for name in case["propose"]:
                if name not in position:
                    why = explain(person, vacancies[name], ctx)
                    reasons = "; ".join(f"{f.name}: {f.reason}" for f in why.failed_constraints)
                    print(f"  left out {name}: {reasons}")
    print(f"caseload: {args.file.name}, {len(people)} people × {len(vacancies)} vacancies")
    print(
        f"profile: {profile.name} v{profile.version}"
        + (f" ({args.profile})" if args.profile else "")
    )
    print(f"pairwise agreement:     {agreed}/{total} = {agreed / total:.1%}")
    print(f"first-choice agreement: {first}/{len(people)} = {first / len(people):.1%}")
    if total_eligible:
        print(
            f"  where the preferred vacancy is eligible: pairwise {agreed_eligible}/"
            f"{total_eligible} = {agreed_eligible / total_eligible:.1%}, first choice "
            f"{first_when_eligible}/{first_eligible}"
        )
    if with_proposals:
        print(
            f"top-{TOP} overlap:          {overlap:.2f}/{with_proposals} = "
            f"{overlap / with_proposals:.1%}"
        )
    print(f"proposals listed:       {shown_proposals}/{n_proposals}")
    print(f"#1 and #2 tie exactly:  {ties}/{two_listed} people with two or more listed")


if __name__ == "__main__":
    main()
