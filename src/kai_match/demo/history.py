"""A year of placements for the demo district, written through the placement services.

Rankings, boards, the follow-up list and the programme report need people who were proposed,
tried out, hired, turned down and followed up. Every step goes through the services a
counsellor's call uses (eligibility, the state machine, openings, follow-ups), so the history
obeys the same rules as real input. Only the clock is moved: each episode gets a vacancy of its
own, posted today so that the pair is judged eligible, and once the steps (with past dates) are
in, the first step and the vacancy's dates are set back to when the episode began. Episodes
that began recently are cut off at today, which leaves placements in every open state.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from kai_match.data import demo_catalog as catalog
from kai_match.errors import Conflict, InvalidInput
from kai_match.kit.principal import SYSTEM
from kai_match.models import Participant, Placement, PlacementTransition, Vacancy
from kai_match.models.common import ParticipantStatus, PlacementType, VacancyStatus
from kai_match.models.placement import (
    FINAL_STATES,
    FOLLOW_UP_MONTHS,
    FUTURE_ALLOWED,
    FollowUpIn,
    PlacementCreate,
    PlacementState,
    ReasonCode,
    TransitionIn,
)
from kai_match.models.schedule import WeeklyTimeIn, WorkingTimeIn
from kai_match.models.vacancy import VacancyCreate
from kai_match.placements.follow_ups import add_months, record_follow_up
from kai_match.placements.service import create_placement, transition
from kai_match.vacancies.service import create_vacancy

S = PlacementState
R = ReasonCode

# Share of people with a placement episode, and of those whose first did not end in a job, a second.
EPISODE_SHARE = 0.8
SECOND_EPISODE_SHARE = 0.35
# Share of episodes that began in the last weeks, so that some are still under way today.
RECENT_SHARE = 0.25
# Attempts to find an eligible vacancy for one episode before the person is left without one.
ATTEMPTS = 12
# How far ahead a planned trial start or a first working day may lie when the history stops.
FUTURE_DAYS = 21
# Chance that a due follow-up has been made, and that the person was still employed then.
FOLLOW_UP_MADE = 0.85
STILL_EMPLOYED = {3: 0.82, 6: 0.85, 12: 0.9}

# The working times of an afternoon placement, tried for every second vacancy of an episode.
AFTERNOON_WORK = {
    "shifts": ["day"],
    "working_times": [
        WorkingTimeIn(label="Nachmittag", windows=[WeeklyTimeIn(when="Mo–Fr 13:30–17:30")])
    ],
}

Step = tuple[PlacementState, tuple[int, int], tuple[ReasonCode, ...]]


@dataclass(frozen=True)
class Path:
    """One way an episode can go: the states in order, days after the step before, reasons."""

    name: str
    weight: int
    kind: PlacementType
    steps: tuple[Step, ...]


_APPLY = (
    (S.proposed, (1, 6), ()),
    (S.accepted_by_participant, (1, 7), ()),
    (S.sent_to_employer, (1, 6), ()),
)
_TRIAL = (
    *_APPLY,
    (S.trial_scheduled, (3, 12), ()),  # the date is the planned start
    (S.trial_running, (0, 0), ()),
)
_TRIED = (*_TRIAL, (S.completed, (10, 42), ()))
PATHS: tuple[Path, ...] = (
    Path("hired after a trial", 28, PlacementType.work_trial, (*_TRIED, (S.hired, (3, 21), ()))),
    Path(
        "not hired after a trial",
        14,
        PlacementType.work_trial,
        (*_TRIED, (S.not_hired, (2, 10), (R.employer_declined, R.language, R.skills))),
    ),
    Path(
        "trial broken off",
        6,
        PlacementType.work_trial,
        (*_TRIAL, (S.not_hired, (2, 12), (R.reliability, R.commute, R.health, R.childcare))),
    ),
    Path(
        "trial left",
        4,
        PlacementType.work_trial,
        (*_TRIAL, (S.withdrawn, (2, 12), (R.participant_declined, R.childcare, R.health))),
    ),
    Path("hired directly", 8, PlacementType.job, (*_APPLY, (S.hired, (7, 30), ()))),
    Path(
        "employer said no",
        12,
        PlacementType.job,
        (*_APPLY, (S.not_hired, (5, 25), (R.employer_declined, R.vacancy_filled, R.language))),
    ),
    Path(
        "person said no",
        10,
        PlacementType.work_trial,
        (
            (S.proposed, (1, 6), ()),
            (S.withdrawn, (2, 10), (R.participant_declined, R.commute, R.childcare)),
        ),
    ),
    Path("suggestion dropped", 6, PlacementType.internship, ((S.withdrawn, (3, 20), (R.other,)),)),
    Path("decision after the trial pending", 3, PlacementType.work_trial, _TRIED),
    Path("no answer from the firm", 4, PlacementType.internship, _APPLY),
    Path("to be sent to the firm", 3, PlacementType.work_trial, _APPLY[:2]),
    Path("waiting for the person", 3, PlacementType.work_trial, _APPLY[:1]),
    Path("not yet proposed", 3, PlacementType.job, ()),
)


@dataclass(frozen=True)
class Candidate:
    """A demo participant as the history needs it."""

    participant_id: int
    site: str
    home_postal_code: str
    entered: date
    background: tuple[catalog.Sector, ...]
    consent: bool  # without it no placement is possible (nor overridable)


@dataclass(frozen=True)
class HistorySummary:
    placements: int
    by_state: dict[str, int]
    follow_ups: int


MakeVacancy = Callable[[object, catalog.Sector, PlacementType], VacancyCreate]


def write_history(
    session: Session,
    candidates: Sequence[Candidate],
    employers: Sequence[tuple[object, catalog.Sector]],
    *,
    make_vacancy: MakeVacancy,
    seed: int,
    today: date,
) -> HistorySummary:
    """Episodes for most people who consented, the first two weeks to five months after entry
    (a quarter of them in the last weeks)."""
    rng = random.Random(seed + 2)
    states: Counter[str] = Counter()
    follow_ups = 0
    for person in candidates:
        if rng.random() >= EPISODE_SHARE or not person.consent:
            continue
        begins = person.entered + timedelta(days=rng.randint(14, 150))
        if rng.random() < RECENT_SHARE:
            begins = max(person.entered, today - timedelta(days=rng.randint(2, 45)))
        for _ in range(2):  # a second episode after a first that ended without a job
            if begins >= today:
                break
            path = rng.choices(PATHS, weights=[p.weight for p in PATHS], k=1)[0]
            placed = _place(session, rng, person, employers, path, make_vacancy)
            if placed is None:
                break
            placement, vacancy = placed
            _date_suggestion(session, placement, begins)
            last = _walk(session, rng, placement, path, begins, today)
            _date_vacancy(session, rng, placement, vacancy, begins, today)
            states[placement.state] += 1
            if placement.state == S.hired:
                follow_ups += _follow_up(session, rng, placement, today)
                break
            if placement.state not in FINAL_STATES or rng.random() >= SECOND_EPISODE_SHARE:
                break
            begins = last + timedelta(days=rng.randint(10, 60))
    return HistorySummary(sum(states.values()), dict(sorted(states.items())), follow_ups)


def _place(
    session: Session,
    rng: random.Random,
    person: Candidate,
    employers: Sequence[tuple[object, catalog.Sector]],
    path: Path,
    make_vacancy: MakeVacancy,
) -> tuple[Placement, Vacancy] | None:
    """A vacancy of the person's field near their site and a placement on it, if eligible.

    A pair the service refuses (not eligible) is rolled back to its savepoint and another tried.
    """
    site = set(catalog.SITE_POSTAL_CODES[person.site])
    for attempt in range(ATTEMPTS):
        sector = rng.choice(person.background)
        pool = [(e, s) for e, s in employers if s is sector] or list(employers)
        in_town = [(e, s) for e, s in pool if e.postal_code == person.home_postal_code]
        local = in_town or [(e, s) for e, s in pool if e.postal_code in site] or pool
        employer, employer_sector = rng.choice(local)
        data = make_vacancy(employer, employer_sector, path.kind)
        if attempt % 2:  # people in a morning course are placed in the afternoon
            data = data.model_copy(update=AFTERNOON_WORK)
        savepoint = session.begin_nested()
        try:
            vacancy = create_vacancy(
                session=session,
                find_duplicates=False,
                data=data.model_copy(update={"postal_code": employer.postal_code}),
            )
            public = create_placement(
                session=session,
                data=PlacementCreate(participant_id=person.participant_id, vacancy_id=vacancy.id),
                principal=SYSTEM,
            )
        except (Conflict, InvalidInput):
            savepoint.rollback()
            continue
        savepoint.commit()
        placement = session.get(Placement, public.id)
        row = session.get(Vacancy, vacancy.id)
        assert placement is not None and row is not None
        return placement, row
    return None


def _walk(
    session: Session,
    rng: random.Random,
    placement: Placement,
    path: Path,
    begins: date,
    today: date,
) -> date:
    """The path's steps from ``begins`` while they lie in the past; the last step's date."""
    day = begins
    for state, (low, high), reasons in path.steps:
        next_day = day + timedelta(days=rng.randint(low, high))
        ahead = FUTURE_DAYS if state in FUTURE_ALLOWED else 0
        if next_day > today + timedelta(days=ahead):
            break
        trial_end = None
        if state == S.trial_scheduled:
            trial_end = next_day + timedelta(weeks=rng.choice((2, 4, 4, 6)))
        transition(
            session=session,
            placement=placement,
            data=TransitionIn(
                to=state,
                date=next_day,
                trial_end=trial_end,
                reason_code=rng.choice(reasons) if reasons else None,
            ),
            principal=SYSTEM,
        )
        day = next_day
        if next_day > today:
            break  # a planned start or first day ahead: the rest has not happened yet
    return day


def _date_suggestion(session: Session, placement: Placement, begins: date) -> None:
    """The clock moved back: the suggestion was made on ``begins``, not today."""
    first = session.exec(
        select(PlacementTransition)
        .where(PlacementTransition.placement_id == placement.id)
        .order_by(col(PlacementTransition.id))
    ).first()
    assert first is not None
    first.event_date = begins
    session.add(first)
    placement.created_at = datetime.combine(begins, datetime.min.time(), UTC)
    session.add(placement)


def _date_vacancy(
    session: Session,
    rng: random.Random,
    placement: Placement,
    vacancy: Vacancy,
    begins: date,
    today: date,
) -> None:
    """The vacancy posted before the suggestion, starting with the trial (or a fortnight after
    the suggestion); one whose episode has ended and whose posting has run out is closed."""
    anchor = placement.trial_start or begins + timedelta(days=14)
    assert vacancy.start_date is not None
    shift = anchor - vacancy.start_date
    vacancy.start_date = anchor
    if vacancy.end_date is not None:
        vacancy.end_date += shift
    if vacancy.valid_through is not None:
        vacancy.valid_through = max(vacancy.valid_through + shift, anchor)
    vacancy.created_at = datetime.combine(
        begins - timedelta(days=rng.randint(3, 30)), datetime.min.time(), UTC
    )
    if placement.state in FINAL_STATES and (vacancy.valid_through or today) < today:
        vacancy.status = VacancyStatus.closed
    session.add(vacancy)


def _follow_up(session: Session, rng: random.Random, placement: Placement, today: date) -> int:
    """The checks at 3, 6 and 12 months that have come, most of them made; placed if employed."""
    assert placement.hired_on is not None
    made = 0
    employed = placement.hired_on <= today
    for month in FOLLOW_UP_MONTHS:
        checked_on = add_months(placement.hired_on, month) + timedelta(days=rng.randint(0, 20))
        if checked_on > today or rng.random() >= FOLLOW_UP_MADE:
            break  # not due yet, or due and still to be made: the due list shows it
        employed = rng.random() < STILL_EMPLOYED[month]
        record_follow_up(
            session=session,
            placement=placement,
            data=FollowUpIn(month=month, still_employed=employed, checked_on=checked_on),
            principal=SYSTEM,
        )
        made += 1
        if not employed:
            break
    if employed:
        person = session.get(Participant, placement.participant_id)
        assert person is not None
        person.status = ParticipantStatus.placed
        session.add(person)
    return made
