"""Two app instances on one database keep their in-memory ranking indexes in step with it.

Two TestClients (each its own app, hence its own ``MatchingIndexes``) stand in for two workers
or replicas. They interleave seeded random writes — participants created and patched (German
level, postal code, consent, skills), vacancies created and patched (openings, closed, minimum
German level) — alternating which instance writes. Then, for every participant, the ranking
from *both* instances must equal a reference computed pair by pair from rows loaded fresh from
the database with ``scoring.explain``: same vacancy ids in the same order, same scores.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from kai_match.data.taxonomy import related_skills
from kai_match.main import create_app
from kai_match.matching.inputs import participant_profiles, vacancy_profiles
from kai_match.matching.profiles import resolve_profile
from kai_match.matching.service import commute_model
from kai_match.models import Participant, Vacancy
from kai_match.scoring import RankingContext, explain
from tests.builders import PICKING, make_employer, make_participant, make_vacancy

WRITES = 60
FORKLIFT_SKILL = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"
SEED = 20261125
TODAY = date.today()
LEVELS = ["A1", "A2", "B1", "B2"]
POSTAL_CODES = ["04552", "04668", "04109", "04643", "04654", "04720"]


def _skills(rng: random.Random) -> list[dict]:
    skills = [{"skill_id": PICKING, "level": rng.randint(1, 3), "source": "assessed"}]
    if rng.random() < 0.5:
        skills.append(
            {"skill_id": FORKLIFT_SKILL, "level": rng.randint(1, 3), "source": "self_reported"}
        )
    return skills if rng.random() < 0.85 else skills[1:]


def _participant(rng: random.Random) -> dict:
    return {
        "site": rng.choice(["grimma", "borna"]),
        "german_level": rng.choice(LEVELS),
        "expected_b1_date": None,
        "home_postal_code": rng.choice(POSTAL_CODES),
        "skills": _skills(rng),
        "occupations": [],
        "mobility": {
            "has_car": rng.random() < 0.5,
            "driving_licences": ["B"],
            "has_bike": True,
            "max_commute_minutes": rng.choice([30, 45, 60, 90]),
        },
        "availability": {
            "earliest_start": TODAY.isoformat(),
            "hours_per_week": 40,
            "shifts": ["early", "day", "late"],
        },
        "preferences": {"placement_types": [], "fields_wanted": [], "fields_excluded": []},
        "work_permit": {
            "status": "permitted",
            "valid_until": (TODAY + timedelta(days=900)).isoformat(),
        },
        "consent": {"processing": True, "share_with_employers": rng.random() < 0.8},
    }


def _vacancy(rng: random.Random, employer_id: int) -> dict:
    skills = [{"skill_id": PICKING, "importance": rng.choice(["must", "nice"]), "level": 2}]
    if rng.random() < 0.5:
        skills.append({"skill_id": FORKLIFT_SKILL, "importance": "nice", "level": 1})
    return {
        "employer_id": employer_id,
        "type": rng.choice(["job", "work_trial"]),
        "occupation": None,
        "skills": skills,
        "min_german_level": rng.choice(LEVELS),
        "german_tolerance": rng.randint(0, 2),
        "postal_code": rng.choice(POSTAL_CODES),
        "shifts": ["day"],
        "hours_per_week": 40,
        "openings": rng.randint(1, 3),
        "start_date": (TODAY + timedelta(days=60)).isoformat(),
        "valid_through": (TODAY + timedelta(days=120)).isoformat(),
    }


def _participant_patch(rng: random.Random) -> dict:
    kind = rng.choice(["german_level", "home_postal_code", "consent", "skills"])
    if kind == "german_level":
        return {"german_level": rng.choice(LEVELS)}
    if kind == "home_postal_code":
        return {"home_postal_code": rng.choice(POSTAL_CODES)}
    if kind == "consent":
        processing = rng.random() < 0.7
        return {"consent": {"processing": processing, "share_with_employers": processing}}
    return {"skills": _skills(rng)}


def _vacancy_patch(rng: random.Random) -> dict:
    kind = rng.choice(["openings", "status", "min_german_level"])
    if kind == "openings":
        return {"openings": rng.randint(1, 4)}
    if kind == "status":
        return {"status": rng.choice(["closed", "open"])}
    return {"min_german_level": rng.choice(LEVELS)}


def _reference(engine, participant_id: int) -> list[tuple[int, float]]:
    """The ranking of one participant, pair by pair, from rows loaded fresh."""
    with Session(engine) as session:
        _, profile = resolve_profile(session=session, name=None, version=None)
        person = participant_profiles(session, [session.get(Participant, participant_id)])[0]
        open_rows = session.exec(select(Vacancy).where(Vacancy.status == "open")).all()
        jobs = vacancy_profiles(session, open_rows)
    context = RankingContext(
        commute=commute_model(), as_of=TODAY, profile=profile, related=related_skills
    )
    # The ranking's order: score, then wished type, skills value, shorter commute, then id.
    keyed = []
    for job in jobs:
        p = explain(person, job, context)
        if p.eligible:
            wished = job.type in person.placement_types
            skills = p.components["skills"].value
            order = (-p.score, -wished, -skills, p.commute_minutes, p.vacancy_id)
            keyed.append((order, (p.vacancy_id, p.score)))
    return [pair for _, pair in sorted(keyed)]


def _ranking(client: TestClient, participant_id: int) -> list[tuple[int, float]]:
    response = client.get(
        f"/api/v1/participants/{participant_id}/matches",
        params={"limit": 100, "as_of": TODAY.isoformat()},
    )
    assert response.status_code == 200, response.text
    return [(item["vacancy_id"], item["score"]) for item in response.json()["items"]]


def test_two_instances_rank_what_the_database_holds(client, settings, engine):
    rng = random.Random(SEED)
    with TestClient(create_app(settings), headers=dict(client.headers)) as other:
        instances = (client, other)
        employers = [make_employer(client, support=support)["id"] for support in ([], ["mentor"])]
        participants: list[int] = []
        vacancies: list[int] = []
        for step in range(WRITES):
            writer = instances[step % 2]
            action = rng.random()
            if action < 0.25 or not participants:
                participants.append(make_participant(writer, **_participant(rng))["id"])
            elif action < 0.5 or not vacancies:
                body = _vacancy(rng, rng.choice(employers))
                vacancies.append(make_vacancy(writer, **body)["id"])
            elif action < 0.75:
                pid = rng.choice(participants)
                response = writer.patch(f"/api/v1/participants/{pid}", json=_participant_patch(rng))
                assert response.status_code == 200, response.text
            else:
                vid = rng.choice(vacancies)
                response = writer.patch(f"/api/v1/vacancies/{vid}", json=_vacancy_patch(rng))
                assert response.status_code == 200, response.text
            if step % 7 == 3:  # read between writes too, so both indexes are built early
                _ranking(instances[(step + 1) % 2], rng.choice(participants))

        eligible_pairs = 0
        for pid in participants:
            expected = _reference(engine, pid)
            eligible_pairs += len(expected)
            for instance in instances:
                got = _ranking(instance, pid)
                assert [v for v, _ in got] == [v for v, _ in expected], (pid, got, expected)
                for (_, score), (_, want) in zip(got, expected, strict=True):
                    assert abs(score - want) <= 1e-9, (pid, got, expected)
        assert eligible_pairs > 0  # the random world must contain matches to compare
