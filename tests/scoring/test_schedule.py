"""Weekly times: the phrases people write, shift kinds, overlaps and the schedule texts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kai_match.scoring import RankingContext, explain
from kai_match.scoring.schedule import (
    Commitment,
    WorkingTime,
    overlaps,
    shift_kind,
    working_times_for,
)
from kai_match.scoring.week import WeekError, WeeklyTime, fmt, parse, window

from .fakes import AS_OF, FakeCommute, make_participant, make_vacancy

MON_FRI = 0x1F


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Mo–Fr 8:30–12:45", WeeklyTime(MON_FRI, 510, 765)),
        ("Mo-Fr 08:30-12:45", WeeklyTime(MON_FRI, 510, 765)),
        ("Montag bis Freitag 8.30 bis 12.45 Uhr", WeeklyTime(MON_FRI, 510, 765)),
        ("Mo, Mi, Fr 14–18", WeeklyTime(0b10101, 840, 1080)),
        ("Sa, So 22:00–06:00", WeeklyTime(0x60, 1320, 1800)),
        ("Fr–Mo 6–14", WeeklyTime(0b1110001, 360, 840)),  # ranges wrap round the week
        ("Mon–Fri 08:00–24:00", WeeklyTime(MON_FRI, 480, 1440)),
    ],
)
def test_phrases_people_write(phrase: str, expected: WeeklyTime) -> None:
    assert parse(phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "rule"),
    [
        ("Mo–Fr 8:10–12:45", "steps of 15 minutes"),
        ("Mo–Xy 8–12", "is not a day such as Mo, Di"),
        ("8:30–12:45", "is not a weekly time"),
        ("Mo 25:00–26:00", "is not a time of day"),
        ("Mo 06:00–23:00", "at most 16 hours"),
    ],
)
def test_unreadable_phrases_say_which_rule(phrase: str, rule: str) -> None:
    with pytest.raises(WeekError, match=rule):
        parse(phrase)


quarter_hours = st.integers(0, 95).map(lambda q: q * 15)


@given(st.integers(1, 127), quarter_hours, quarter_hours)
def test_a_phrase_reads_back_as_it_was_written(days: int, start: int, end: int) -> None:
    try:
        w = window(days, start, end)
    except WeekError:
        return  # longer than a working day
    assert parse(fmt(w)) == w
    assert parse(fmt(w, "en")) == w


def test_shift_kinds_come_from_the_hours() -> None:
    def kind(*phrases: str) -> str:
        return shift_kind(parse(p) for p in phrases)

    assert kind("Mo–Fr 06:00–14:00") == "early"
    assert kind("Mo–Fr 14:00–18:00") == "day"  # an afternoon trial is daytime work
    assert kind("Mo–Fr 14:00–22:00") == "late"
    assert kind("Mo–Fr 22:00–06:00") == "night"
    assert kind("Sa, So 08:00–16:00") == "weekend"
    assert kind("Mo–Sa 08:00–16:00") == "day"  # Saturdays among weekdays: still a day shift
    assert kind("Mo 08:00–12:00", "Di 05:00–09:00") == "early"  # the least convenient window
    assert [t.kind for t in working_times_for({"late", "early"})] == ["early", "late"]


def _minutes(days: int, start: int, end: int, before: float, after: float) -> set[int]:
    """Every minute of the week a weekly time (widened) covers, the brute-force way."""
    covered = set()
    for d in range(7):
        if days >> d & 1:
            for m in range(int(d * 1440 + start - before), int(d * 1440 + end + after)):
                covered.add(m % (7 * 1440))
    return covered


@given(
    st.integers(1, 127),
    quarter_hours,
    quarter_hours,
    st.integers(1, 127),
    quarter_hours,
    quarter_hours,
    st.integers(0, 120),
    st.integers(-60, 120),
)
def test_overlaps_agree_with_minute_sets(wd, ws, we, cd, cs, ce, before, after) -> None:
    try:
        w, c = window(wd, ws, we), window(cd, cs, ce)
    except WeekError:
        return
    if w.end - w.start + before + after <= 0:
        return
    brute = bool(
        _minutes(w.days, w.start, w.end, before, after) & _minutes(c.days, c.start, c.end, 0, 0)
    )
    assert overlaps(w.days, w.start, w.end, before, after, c.days, c.start, c.end) == brute
    # The vectorised path (rankings) gives the same as the scalar one (reason texts).
    as_arrays = [np.array([x]) for x in (w.days, w.start, w.end, before, after)]
    vectorised = overlaps(*as_arrays, np.array([c.days]), c.start, c.end)
    assert vectorised.tolist() == [brute]


COURSE = Commitment("course", MON_FRI, 510, 765, valid_until=AS_OF + timedelta(days=30))
KITA = Commitment("childcare", MON_FRI, 450, 495)  # 7:30–8:15
CTX = RankingContext(commute=FakeCommute(), as_of=AS_OF)


def test_the_course_excludes_an_early_shift_until_it_ends() -> None:
    person = make_participant(shifts=frozenset({"early", "day"}), commitments=(COURSE,))
    early = make_vacancy(shifts=frozenset({"early"}))
    why = explain(person, early, CTX)
    assert [f.name for f in why.failed_constraints] == ["schedule"]
    assert why.failed_constraints[0].reason.endswith(
        f"– passt ab {(AS_OF + timedelta(days=31)).strftime('%d.%m.%Y')}, wenn der Kurs endet"
    )
    later = replace(early, start_date=AS_OF + timedelta(days=31))
    assert explain(person, later, CTX).eligible
    afternoon = make_vacancy(working_times=(WorkingTime((parse("Mo–Fr 14:00–18:00"),)),))
    assert explain(person, afternoon, CTX).eligible


def test_childcare_friendly_hours_and_what_employers_read() -> None:
    parent = make_participant(shifts=frozenset({"day"}), commitments=(KITA,))
    strict = make_vacancy(shifts=frozenset({"day"}))
    assert [f.name for f in explain(parent, strict, CTX).failed_constraints] == ["schedule"]
    assert explain(parent, replace(strict, childcare_friendly=True), CTX).eligible
    employer = replace(CTX, employer_view=True, restricted_texts=True)
    shared = replace(parent, share_with_employers=True)
    reason = explain(shared, strict, employer).failed_constraints[0].reason
    assert reason == "Arbeitszeiten passen nicht zu den festen Terminen oder Schichten der Person"
    assert "Kinder" not in reason and "07:30" not in reason
