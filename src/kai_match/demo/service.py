"""A believable demo district, generated through the same services as real input.

People entered the programme over the last fourteen months (``ENTRY_SPAN_DAYS``) and a year of
placements follows them (``demo.history``), so rankings, boards, follow-up lists and the
programme report show something on the first start.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from kai_match.data import demo_catalog as catalog
from kai_match.demo.accounts import DemoAccount, seed_demo_accounts
from kai_match.demo.history import Candidate, HistorySummary, write_history
from kai_match.employers.service import create_employer
from kai_match.models import Participant
from kai_match.models.common import PlacementType, WorkPermitStatus
from kai_match.models.employer import EmployerCreate
from kai_match.models.participant import ParticipantCreate
from kai_match.models.schedule import CommitmentIn, WeeklyTimeIn, WorkingTimeIn
from kai_match.models.vacancy import VacancyCreate
from kai_match.participants.service import create_participant
from kai_match.vacancies.service import create_vacancy

# People entered the programme up to this many days ago (the report's default window is a year).
ENTRY_SPAN_DAYS = 420
# Seeding takes this PostgreSQL advisory lock (the migration lock is ``MIGRATION_LOCK``), so two processes
# started at once on an empty database cannot both find it empty and both seed it.
SEED_LOCK = 4242002


@dataclass(frozen=True)
class DemoSummary:
    employers: int
    participants: int
    vacancies: int
    already_present: int = 0  # participants found, in which case nothing was added
    history: HistorySummary | None = None
    accounts: tuple[DemoAccount, ...] = ()  # console accounts, with their demo passwords


def seed_demo(
    engine: Engine,
    *,
    participants: int = 300,
    vacancies: int = 400,
    seed: int = 7,
    history: bool = True,
    cheap_hashes: bool = False,
) -> DemoSummary:
    """Create employers, vacancies and participants; same seed, same district.

    Dates are offsets from the day of generation, so open vacancies never lie in the past and
    the history ends today. Seeding is idempotent: a database that already holds participants
    gets nothing more (checked under a lock, inside the transaction that would seed it).
    ``history=False`` leaves out the placements, for tests that make their own;
    ``cheap_hashes`` hashes the demo accounts' passwords with the test profile.
    """
    rng = random.Random(seed)
    clock = random.Random(seed + 1)  # entry dates: the same district whatever the history draws
    today = date.today()
    employer_count = max(1, vacancies // 6) if vacancies else 0
    with Session(engine, expire_on_commit=False) as session, session.begin():
        present = _participants_present(session)
        if present:
            return DemoSummary(0, 0, 0, already_present=present)
        employers = [
            (create_employer(session=session, data=_employer(rng, i)), sector)
            for i, sector in enumerate(_pick_sectors(rng, employer_count))
        ]
        for i in range(vacancies):
            employer, sector = employers[i % len(employers)]
            create_vacancy(
                session=session, find_duplicates=False, data=_vacancy(rng, employer, sector, today)
            )
        candidates = []
        for _ in range(participants):
            entered = today - timedelta(days=clock.randint(0, ENTRY_SPAN_DAYS))
            data, background = _participant(rng, today, entered)
            person = create_participant(session=session, data=data)
            _set_entry(session, person.id, entered)
            candidates.append(
                Candidate(
                    person.id,
                    data.site,
                    data.home_postal_code,
                    entered,
                    tuple(background),
                    data.consent.processing,
                )
            )
        accounts = seed_demo_accounts(session, cheap=cheap_hashes)
        if not history:
            return DemoSummary(employer_count, participants, vacancies, accounts=accounts)
        past = write_history(
            session,
            candidates,
            employers,
            make_vacancy=lambda employer, sector, kind: _vacancy(
                rng, employer, sector, today, kind=kind
            ),
            seed=seed,
            today=today,
        )
    return DemoSummary(employer_count, participants, vacancies, history=past, accounts=accounts)


def _set_entry(session: Session, participant_id: int, entered: date) -> None:
    """The day a person joined the programme: the record is made today, the entry lies back."""
    row = session.get(Participant, participant_id)
    assert row is not None
    row.created_at = datetime.combine(entered, datetime.min.time(), UTC)
    session.add(row)


def _participants_present(session: Session) -> int:
    """Participants in the database, counted once this transaction holds the seeding lock.

    SQLite's write lock is taken when the transaction begins (``BEGIN IMMEDIATE``).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEED_LOCK})
    return session.exec(select(func.count()).select_from(Participant)).one()


def _pick_sectors(rng: random.Random, count: int) -> list[catalog.Sector]:
    weights = [6, 3, 4, 4, 4, 3, 4, 2, 3, 2, 1]
    return rng.choices(catalog.SECTORS, weights=weights, k=count)


def _weighted(rng: random.Random, options: tuple) -> object:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def _employer(rng: random.Random, index: int) -> EmployerCreate:
    sector = None
    postal_code = rng.choice(list(catalog.TOWNS))
    town = catalog.TOWNS[postal_code]
    sector = rng.choice(catalog.SECTORS)
    pattern = rng.choice(sector.company_patterns)
    name = pattern.format(town=town, name=rng.choice(catalog.COMPANY_NAMES), n=index + 1)
    return EmployerCreate(
        name=name,
        sector=sector.wz,
        postal_code=postal_code,
        contact_email=f"jobs{index + 1}@betrieb.example",
        support=rng.sample(sector.support, k=rng.randint(0, len(sector.support))),
    )


def _vacancy(
    rng: random.Random,
    employer,
    sector: catalog.Sector,
    today: date,
    kind: PlacementType | None = None,
) -> VacancyCreate:
    """A vacancy of the sector; of placement type ``kind`` where one of its jobs offers it."""
    jobs = [j for j in sector.jobs if kind in j.types] or list(sector.jobs)
    job = rng.choice(jobs)
    kind = kind if kind in job.types else rng.choice(job.types)
    start = today + timedelta(days=rng.randint(7, 120))
    if kind == PlacementType.apprenticeship:
        start = date(today.year + (today.month >= 8), 8, 1)
    end = None
    if kind in (PlacementType.work_trial, PlacementType.internship):
        end = start + timedelta(weeks=rng.choice((2, 4, 6, 6, 8)))
    skills = (
        [{"name": s, "importance": "must", "level": 2} for s in job.must]
        + [{"name": s, "importance": "should", "level": rng.randint(1, 2)} for s in job.should]
        + [{"name": s, "importance": "nice", "level": 1} for s in job.nice]
    )
    postal_code = employer.postal_code if rng.random() < 0.8 else rng.choice(list(catalog.TOWNS))
    vacancy = VacancyCreate(
        employer_id=employer.id,
        title=job.title,
        type=kind,
        occupation={"name": job.occupation},
        skills=skills,
        min_german_level=job.min_german,
        german_tolerance=job.tolerance
        + (1 if kind == PlacementType.work_trial and job.tolerance < 2 else 0),
        languages_wanted=[{"code": c, "level": lv} for c, lv in job.languages],
        postal_code=postal_code,
        shifts=list(rng.choice(job.shifts)),
        hours_per_week=rng.choice(job.hours),
        openings=rng.choice((1, 1, 1, 2, 2, 3, 5)),
        start_date=start,
        end_date=end,
        driving_licence_required=job.licence,
        valid_through=start + timedelta(days=rng.randint(14, 90)),
    )
    # Half the work trials are afternoon trials, for people in the morning course (a generator
    # of its own, so that every other demo value stays as it was).
    if kind == PlacementType.work_trial and random.Random(f"{job.title}{start}").random() < 0.5:
        afternoon = WorkingTimeIn(label="Nachmittag", windows=[WeeklyTimeIn(when=AFTERNOON)])
        vacancy = vacancy.model_copy(update={"shifts": ["day"], "working_times": [afternoon]})
    return vacancy


AFTERNOON = "Mo–Fr 13:30–17:30"


def _commitments(course_state: str | None, today: date, key: str) -> list[dict]:
    """The week of a demo person: the course while they attend it, childcare for some.

    Drawn from a generator of its own (seeded by the person's other data), so adding weekly
    times left every other demo value as it was.
    """
    rng = random.Random(key)
    week = []
    if course_state == "attending":
        week.append(
            {
                "kind": "course",
                "label": "Integrationskurs",
                "when": rng.choice(catalog.COURSE_HOURS),
                "valid_until": (today + timedelta(days=rng.randint(20, 200))).isoformat(),
            }
        )
    if rng.random() < 0.25:
        week.append({"kind": "childcare", "when": rng.choice(catalog.CHILDCARE_HOURS)})
    return week


def _participant(
    rng: random.Random, today: date, entered: date
) -> tuple[ParticipantCreate, list[catalog.Sector]]:
    """A profile as a counsellor records it at entry, and the sectors the person comes from."""
    site = _weighted(rng, (("borna", 3), ("grimma", 3), ("markkleeberg", 2), ("wurzen", 3)))
    postal_code = (
        rng.choice(catalog.LEIPZIG_POSTAL_CODES)
        if rng.random() < 0.08
        else rng.choice(catalog.SITE_POSTAL_CODES[site])
    )
    level = _weighted(rng, catalog.GERMAN_LEVELS)
    expected_b1 = None
    if level in ("A1", "A2") and rng.random() < 0.5:
        expected_b1 = today + timedelta(days=rng.randint(20, 240))
    background = rng.sample(catalog.SECTORS, k=rng.choice((1, 1, 2)))
    skills = []
    for sector in background:
        for name in rng.sample(sector.participant_skills, k=rng.randint(1, 2)):
            skills.append(
                {
                    "name": name,
                    "level": rng.randint(1, 4),
                    "source": rng.choice(
                        ("self_reported", "self_reported", "assessed", "certified")
                    ),
                }
            )
    occupations = [
        {
            "name": rng.choice(sector.participant_occupations),
            "years": rng.choice((0, 1, 2, 3, 5, 8)),
            "recognition": rng.choice(("none", "none", "pending", "partial")),
        }
        for sector in background[:1]
        if rng.random() < 0.7
    ]
    has_licence = rng.random() < 0.35
    shifts = rng.choice(
        (
            ["day"],
            ["day"],
            ["early", "day"],
            ["day", "late"],
            ["early", "day", "late"],
            ["early", "day", "late", "weekend"],
            ["early", "day", "late", "night", "weekend"],
        )
    )
    permit = _weighted(rng, catalog.PERMITS)
    consent = rng.random() < 0.93
    profile = ParticipantCreate(
        site=site,
        counsellor=f"Beratung {site.capitalize()} {rng.randint(1, 3)}",
        first_name=rng.choice(catalog.FIRST_NAMES),
        last_name=rng.choice(catalog.LAST_NAMES),
        birth_date=today - timedelta(days=rng.randint(18 * 365, 58 * 365)),
        german_level=level,
        expected_b1_date=expected_b1,
        latin_literacy=rng.random() < 0.88,
        course_state=rng.choice(("attending", "attending", "completed", "waiting")),
        other_languages=[
            {"code": c, "level": lv} for c, lv in _weighted(rng, catalog.LANGUAGE_PROFILES)
        ],
        skills=skills,
        occupations=occupations,
        home_postal_code=postal_code,
        mobility={
            "driving_licences": ["B"] if has_licence else [],
            "has_car": has_licence and rng.random() < 0.45,
            "has_bike": rng.random() < 0.6,
            "max_commute_minutes": rng.choice((30, 45, 45, 60, 60, 75, 90)),
        },
        availability={
            "earliest_start": entered + timedelta(days=rng.randint(0, 90)),
            "hours_per_week": rng.choice((15, 20, 25, 30, 30, 35, 40)),
            "shifts": shifts,
        },
        preferences={
            "placement_types": rng.sample(
                ["work_trial", "job", "internship", "apprenticeship", "entry_qualification"],
                k=rng.choice((0, 1, 2, 2, 3)),
            ),
            "fields_wanted": [s.slug for s in background[:1]] if rng.random() < 0.5 else [],
            "fields_excluded": [],
        },
        work_permit={
            "status": permit,
            "valid_until": today + timedelta(days=rng.randint(60, 900))
            if permit != WorkPermitStatus.unrestricted
            else None,
        },
        consent={
            "processing": consent,
            "share_with_employers": consent and rng.random() < 0.85,
            "given_on": entered - timedelta(days=rng.randint(0, 20)) if consent else None,
        },
    )
    key = f"{profile.last_name}{profile.birth_date}{postal_code}"
    profile.availability.commitments = [
        CommitmentIn.model_validate(c) for c in _commitments(profile.course_state, today, key)
    ]
    return profile, background
