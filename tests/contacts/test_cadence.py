"""The next-contact rule: 42 days after the last contact, sooner around course end and trials."""

from __future__ import annotations

from datetime import date

from kai_match.contacts.cadence import next_contact
from kai_match.models.contact import NextContactReason as R

CREATED = date(2026, 1, 5)


def due(last=None, course_end=None, trials=()):
    return next_contact(last_contact=last, created_on=CREATED, course_end=course_end, trials=trials)


def test_forty_two_days_after_the_last_contact_or_the_intake():
    assert due() == (date(2026, 2, 16), R.intake)
    assert due(last=date(2026, 3, 2)) == (date(2026, 4, 13), R.cadence)


def test_a_week_before_the_course_ends():
    assert due(last=date(2026, 3, 2), course_end=date(2026, 4, 1)) == (
        date(2026, 3, 25),
        R.course_end,
    )
    # A contact on or after that day has covered it: back to the cadence.
    assert due(last=date(2026, 3, 25), course_end=date(2026, 4, 1)) == (
        date(2026, 5, 6),
        R.cadence,
    )
    # Later than the cadence: the cadence wins.
    assert due(last=date(2026, 3, 2), course_end=date(2026, 6, 1)) == (date(2026, 4, 13), R.cadence)


def test_three_days_before_a_trial_starts_and_three_after_it_ends():
    trial = (date(2026, 3, 20), date(2026, 4, 3))
    assert due(last=date(2026, 3, 2), trials=[trial]) == (date(2026, 3, 17), R.trial_start)
    assert due(last=date(2026, 3, 17), trials=[trial]) == (date(2026, 4, 6), R.trial_end)
    assert due(last=date(2026, 4, 6), trials=[trial]) == (date(2026, 5, 18), R.cadence)
    # A planned trial without an end date only moves the start.
    assert due(last=date(2026, 3, 17), trials=[(date(2026, 3, 20), None)]) == (
        date(2026, 4, 28),
        R.cadence,
    )


def test_an_event_missed_stays_due_and_the_earliest_wins():
    # No contact since the course ended: the day a week before it is due (overdue by now).
    assert due(last=date(2026, 1, 10), course_end=date(2026, 1, 30)) == (
        date(2026, 1, 23),
        R.course_end,
    )
    both = due(
        last=date(2026, 3, 2),
        course_end=date(2026, 3, 30),
        trials=[(date(2026, 3, 25), None)],
    )
    assert both == (date(2026, 3, 22), R.trial_start)
    # Events before the profile existed do not count.
    assert due(course_end=date(2025, 12, 1)) == (date(2026, 2, 16), R.intake)
