"""The demo's year of placements: every state, dates in order, follow-ups, a report with figures."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from kai_match.config import Settings
from kai_match.db import make_engine
from kai_match.demo.service import ENTRY_SPAN_DAYS, seed_demo
from kai_match.insights import reports
from kai_match.kit.principal import SYSTEM
from kai_match.models import Participant, Placement, PlacementFollowUp, PlacementTransition
from kai_match.models.placement import FUTURE_ALLOWED, PlacementState
from kai_match.placements.follow_ups import follow_ups_due

pytestmark = pytest.mark.xdist_group("demo-history")


@pytest.fixture(scope="module")
def district(tmp_path_factory, sqlite_template):
    """The README's demo (300 people, 400 vacancies, seed 7) on SQLite, seeded once."""
    path = tmp_path_factory.mktemp("demo") / "kai.db"
    path.write_bytes(sqlite_template.read_bytes())
    engine = make_engine(Settings(database_url=f"sqlite:///{path}"))
    summary = seed_demo(engine)
    yield engine, summary
    engine.dispose()


def test_every_placement_state_occurs(district) -> None:
    engine, summary = district
    with Session(engine) as session:
        states = Counter(session.exec(select(Placement.state)))
    assert set(states) == {s.value for s in PlacementState}
    assert summary.history is not None
    assert summary.history.by_state == dict(sorted(states.items()))
    assert states["hired"] >= 15 and states["not_hired"] >= 10 and states["withdrawn"] >= 5


def test_history_dates_are_in_order_and_never_ahead(district) -> None:
    engine, _ = district
    today = date.today()
    with Session(engine) as session:
        placements = {p.id: p for p in session.exec(select(Placement))}
        entered = {p.id: p.created_at.date() for p in session.exec(select(Participant))}
        steps = defaultdict(list)
        for step in session.exec(select(PlacementTransition).order_by(PlacementTransition.id)):
            steps[step.placement_id].append(step)
    for pid, placement in placements.items():
        history = steps[pid]
        assert history[0].to_state == "suggested" and history[-1].to_state == placement.state
        assert history[0].event_date == placement.created_at.date()
        assert history[0].event_date >= entered[placement.participant_id]
        days = [s.event_date for s in history]
        assert days == sorted(days), pid
        for step in history:
            if step.to_state not in FUTURE_ALLOWED:
                assert step.event_date <= today, (pid, step.to_state)
        if placement.state in ("not_hired", "withdrawn"):
            assert placement.reason_code is not None
    assert min(entered.values()) >= today - timedelta(days=ENTRY_SPAN_DAYS)
    assert min(entered.values()) < today - timedelta(days=300)  # a year of entries, not one day


def test_hires_are_followed_up_and_some_are_due(district) -> None:
    engine, _ = district
    today = date.today()
    with Session(engine) as session:
        follow_ups = [
            (f.placement_id, f.month, f.still_employed, f.checked_on)
            for f in session.exec(select(PlacementFollowUp))
        ]
        hired = set(session.exec(select(Placement.id).where(Placement.state == "hired")))
        due = follow_ups_due(session=session, principal=SYSTEM, site=None, as_of=today)
        session.rollback()  # the due list audits its read; nothing of it is kept here
    assert {employed for _, _, employed, _ in follow_ups} == {True, False}
    assert {month for _, month, _, _ in follow_ups} >= {3, 6}
    for placement_id, _, _, checked_on in follow_ups:
        assert placement_id in hired and checked_on <= today
    assert due.items, "a counsellor's due list should have calls to make"


def test_the_programme_report_has_figures_on_every_site(district) -> None:
    engine, _ = district
    with Session(engine) as session:
        facts = reports.load_facts(session=session, site=None)
        report = reports.programme_report(session=session, principal=SYSTEM, facts=facts)
        session.rollback()
    totals = defaultdict(Counter)
    for row in report.rows:
        if row.german_level == "all":
            totals[row.site].update(trials=row.trials_started, hires=row.hires)
    assert set(totals) == {"borna", "grimma", "markkleeberg", "wurzen"}
    for site, figures in totals.items():
        assert figures["trials"] >= 3 and figures["hires"] >= 1, site
    days = reports.first_trial_days(facts, report.from_, report.to)
    assert days and all(d >= 0 for values in days.values() for d in values)


def test_ended_episodes_leave_no_open_vacancy_behind(district) -> None:
    engine, _ = district
    today = date.today()
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT v.status, v.valid_through FROM placement p JOIN vacancy v "
                "ON v.id = p.vacancy_id WHERE p.state IN ('hired', 'not_hired', 'withdrawn')"
            )
        ).all()
    for status, valid_through in rows:
        if date.fromisoformat(str(valid_through)) < today:
            assert status == "closed"


def test_history_seeds_on_both_backends(database_url) -> None:
    engine = make_engine(Settings(database_url=database_url))
    try:
        summary = seed_demo(engine, participants=40, vacancies=30, seed=4)
        again = seed_demo(engine, participants=40, vacancies=30, seed=4)
    finally:
        engine.dispose()
    assert summary.history is not None and summary.history.placements > 0
    assert again.already_present == 40 and again.history is None
    check = create_engine(database_url)
    with check.connect() as connection:
        placed = connection.execute(text("SELECT COUNT(*) FROM placement")).scalar_one()
    check.dispose()
    assert placed == summary.history.placements
