"""Programme rates over a window: definitions on crafted facts, and the small-cell rule."""

from __future__ import annotations

from datetime import date

from kai_match.insights.programme_rates import programme_rates
from kai_match.insights.reports import Person, ProgrammeFacts

START, END = date(2026, 1, 1), date(2026, 12, 31)


def _people(site: str, first_id: int, count: int, **kw) -> dict[int, Person]:
    return {
        i: Person(i, site, "A2", kw.get("entered", date(2025, 6, 1)), kw.get("left"), True)
        for i in range(first_id, first_id + count)
    }


def _facts() -> ProgrammeFacts:
    people = {
        **_people("borna", 1, 20),
        **_people("borna", 21, 2, left=date(2025, 12, 1)),  # left before the window
        **_people("grimma", 100, 10),
        **_people("grimma", 110, 3, entered=date(2027, 2, 1)),  # entered after it
    }
    trials = {
        # Borna: 12 trials in the window (placements 1–12), one before it (13)
        **{p: (p, date(2026, 3, 1)) for p in range(1, 13)},
        13: (13, date(2025, 11, 1)),
        # Grimma: 6 trials (placements 100–105)
        **{p: (p, date(2026, 5, 1)) for p in range(100, 106)},
    }
    hires = {
        **{p: (p, date(2026, 4, 1)) for p in range(1, 7)},  # six Borna trials led to a job
        50: (14, date(2026, 6, 1)),  # a direct hire without a trial
        **{p: (p, date(2026, 6, 1)) for p in (100, 101)},
    }
    ended = frozenset({7, 8, 9, 10, 11, 102, 103, 104})  # 12 and 105 still undecided
    follow_ups = {
        **{p: {3: True, 6: True} for p in range(1, 6)},
        6: {3: False},
        50: {3: True},
        100: {3: True},
    }
    return ProgrammeFacts(people, trials, {}, hires, follow_ups, ended)


def test_counts_follow_the_documented_definitions() -> None:
    borna, grimma, district = programme_rates(_facts(), START, END, ["borna", "grimma"])
    assert borna.counts == {
        "participants": 20,
        "trials": 12,
        "trials_decided": 11,
        "trial_hires": 6,
        "hires": 7,
        "follow_ups_3m": 7,
        "employed_3m": 6,
        "follow_ups_6m": 5,
        "employed_6m": 5,
    }
    assert grimma.counts["participants"] == 10 and grimma.counts["trials_decided"] == 5
    assert district.site == "all" and district.counts["trials"] == 18
    hires = borna.rates["hires_per_trial"]
    assert hires is not None and (hires.numerator, hires.denominator) == (6, 11)
    per_person = borna.rates["trials_per_participant"]
    assert per_person is not None and per_person.value == 12 / 20


def test_small_cells_and_their_complements_are_withheld() -> None:
    borna, grimma, district = programme_rates(_facts(), START, END, ["borna", "grimma"], min_cell=5)
    # 6 of 7 still employed at 3 months: the one who is not would show, so count and rate go.
    assert borna.counts["employed_3m"] is None and borna.rates["retained_3m"] is None
    # Grimma's single 3-month check hides Borna's 7 as well; the district's 8 stands.
    assert borna.counts["follow_ups_3m"] is None and district.counts["follow_ups_3m"] == 8
    # Grimma's 2 hires are below five; Borna's 7 would give them away through the district's 9.
    assert grimma.counts["hires"] is None and borna.counts["hires"] is None
    assert district.counts["hires"] == 9
    # Grimma's 2 of 5 trials hired are withheld, so Borna's 6 of 11 is too (district 8 of 16).
    assert grimma.rates["hires_per_trial"] is None and borna.rates["hires_per_trial"] is None
    both = district.rates["hires_per_trial"]
    assert both is not None and (both.numerator, both.denominator) == (8, 16)


def test_a_rate_is_shown_when_both_outcomes_reach_the_minimum() -> None:
    borna, grimma, _ = programme_rates(_facts(), START, END, ["borna", "grimma"], min_cell=2)
    assert borna.rates["hires_per_trial"] is not None  # 6 hired, 5 not
    assert grimma.rates["hires_per_trial"] is not None  # 2 hired, 3 not
    assert borna.rates["retained_3m"] is None  # 6 employed, 1 not
    assert borna.rates["retained_6m"] is None  # 5 of 5: nobody left, but a 0 is below 2
