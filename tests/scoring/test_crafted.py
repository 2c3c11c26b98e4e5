"""Hand-made cases with an exact expected outcome, one rule each."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from kai_match.scoring import (
    DEFAULT_PROFILE,
    ParticipantIndex,
    RankingContext,
    VacancyIndex,
    WeightProfile,
    explain,
    rank_participants,
    rank_vacancies,
)

from .fakes import AS_OF, GRIMMA, FakeCommute, FakeRelated, make_participant, make_vacancy

COMMUTE = FakeCommute()
CTX = RankingContext(commute=COMMUTE, as_of=AS_OF)


def names(explanation) -> list[str]:
    return [f.name for f in explanation.failed_constraints]


def flag_codes(item) -> list[str]:
    return [f.code for f in item.flags]


def test_b1_job_with_tolerance_one_ranks_b1_over_a2_and_excludes_a1() -> None:
    job = make_vacancy(min_german_level="B1", german_tolerance=1)
    people = [
        make_participant(id=1, german_level="A2"),
        make_participant(id=2, german_level="B1"),
        make_participant(id=3, german_level="A1"),
    ]
    result = rank_participants(job, ParticipantIndex(people), CTX)
    assert [it.participant_id for it in result.items] == [2, 1]
    a2 = result.items[1].components["language"]
    assert a2.reason == "Deutsch A2, gefordert B1 – mit Sprachbegleitung akzeptiert"
    excluded = explain(people[2], job, CTX)
    assert not excluded.eligible
    assert names(excluded) == ["language"]
    assert excluded.failed_constraints[0].reason == "Deutsch A1, gefordert B1, Toleranz 1 Stufe"


def test_a2_with_b1_expected_before_start_passes_and_after_start_fails() -> None:
    start = AS_OF + timedelta(days=60)
    job = make_vacancy(min_german_level="B1", german_tolerance=0, start_date=start)
    on_time = make_participant(german_level="A2", expected_b1_date=start - timedelta(days=14))
    too_late = make_participant(german_level="A2", expected_b1_date=start + timedelta(days=1))
    ok = explain(on_time, job, CTX)
    assert ok.eligible
    assert "b1_expected" in flag_codes(ok)
    assert "B1 erwartet bis" in ok.components["language"].reason
    late = explain(too_late, job, CTX)
    assert names(late) == ["language"]
    # Expected B1 counts partly in the score: better than the plain A2 gap, below a real B1.
    plain = explain(make_participant(german_level="A2"), job, CTX)
    real = explain(make_participant(german_level="B1"), job, CTX)
    lang = [e.components["language"].value for e in (plain, ok, real)]
    assert lang[0] < lang[1] < lang[2]


def test_missing_must_skill_excludes_and_nice_skill_raises_score() -> None:
    job = make_vacancy(skills=[("picking", "must", 2), ("forklift", "nice", 1)])
    without = make_participant(skills={"forklift": (2, "certified")})
    assert names(explain(without, job, CTX)) == ["must_skill"]
    reason = explain(without, job, CTX).failed_constraints[0].reason
    assert reason == "Pflichtkenntnis fehlt: picking"
    basic = make_participant(skills={"picking": (2, "assessed")})
    plus = make_participant(skills={"picking": (2, "assessed"), "forklift": (1, "assessed")})
    s_basic = explain(basic, job, CTX)
    s_plus = explain(plus, job, CTX)
    assert s_basic.eligible and s_plus.eligible
    assert s_plus.score > s_basic.score


def test_related_skill_covers_a_must_skill_above_the_threshold_only() -> None:
    job = make_vacancy(skills=[("picking", "must", 2)])
    person = make_participant(skills={"packing": (2, "certified")})
    close = FakeRelated({"picking": {"packing": 0.85}})
    far = FakeRelated({"picking": {"packing": 0.5}})
    near_ok = explain(person, job, replace(CTX, related=close))
    assert near_ok.eligible
    # Partial credit is capped: 0.85 similarity → min(0.5, 0.85) of the weight.
    assert near_ok.components["skills"].value == pytest.approx(0.5)
    assert names(explain(person, job, replace(CTX, related=far))) == ["must_skill"]


def test_prohibited_permit_excludes_a_job_but_flags_a_work_trial() -> None:
    person = make_participant(work_permit="prohibited")
    job = make_vacancy(type="job")
    trial = make_vacancy(id=2, type="work_trial")
    assert names(explain(person, job, CTX)) == ["work_permit"]
    result = rank_vacancies(person, VacancyIndex([job, trial]), CTX)
    assert [it.vacancy_id for it in result.items] == [2]
    assert flag_codes(result.items[0]) == ["measure_only"]


def test_approval_required_passes_with_flagged_reason() -> None:
    person = make_participant(work_permit="approval_required")
    e = explain(person, make_vacancy(), CTX)
    assert e.eligible
    assert [(f.code, f.reason) for f in e.flags] == [
        ("approval_required", "Zustimmung der Ausländerbehörde erforderlich")
    ]


def test_permit_ending_before_start_fails_unless_renewal_pending() -> None:
    start = AS_OF + timedelta(days=30)
    job = make_vacancy(start_date=start)
    ending = make_participant(permit_valid_until=start - timedelta(days=1))
    assert names(explain(ending, job, CTX)) == ["work_permit"]
    pending = make_participant(
        permit_valid_until=start - timedelta(days=1), permit_renewal_pending=True
    )
    e = explain(pending, job, CTX)
    assert e.eligible and flag_codes(e) == ["permit_renewal_pending"]


def test_the_language_weight_changes_the_order() -> None:
    person = make_participant(
        german_level="A2", skills={"care": (4, "certified"), "driving": (2, "self_reported")}
    )
    fluent = make_vacancy(id=1, min_german_level="A2", skills=[("driving", "should", 2)])
    skilled = make_vacancy(
        id=2, min_german_level="B2", german_tolerance=2, skills=[("care", "should", 3)]
    )
    index = VacancyIndex([fluent, skilled])
    # Fit first (the defaults): the certified carer's care job before the driving job that only
    # asks the German she already has.
    default = rank_vacancies(person, index, CTX)
    assert [it.vacancy_id for it in default.items] == [2, 1]
    language_first = WeightProfile.from_dict(
        {"name": "language-first", "weights": {**DEFAULT_PROFILE.weights, "language": 0.6}}
    )
    tuned = rank_vacancies(person, index, replace(CTX, profile=language_first))
    assert [it.vacancy_id for it in tuned.items] == [1, 2]
    no_language = WeightProfile.from_dict(
        {"name": "no-language", "weights": {**DEFAULT_PROFILE.weights, "language": 0.0}}
    )
    zero = rank_vacancies(person, index, replace(CTX, profile=no_language))
    assert [it.vacancy_id for it in zero.items] == [2, 1]
    assert zero.profile_name == "no-language"
    assert zero.items[0].components["language"].contribution == 0.0


def test_contributions_sum_to_the_score_and_weights_are_shares() -> None:
    person = make_participant(german_level="A2", skills={"care": (2, "self_reported")})
    job = make_vacancy(min_german_level="B1", german_tolerance=1, skills=[("care", "must", 3)])
    e = explain(person, job, CTX)
    assert sum(c.contribution for c in e.components.values()) == pytest.approx(e.score, abs=1e-9)
    assert sum(c.weight for c in e.components.values()) == pytest.approx(1.0)
    for c in e.components.values():
        assert c.contribution == pytest.approx(c.value * c.weight * 100)


def test_same_request_twice_and_any_insertion_order_give_the_same_ranking() -> None:
    person = make_participant()
    vacancies = [make_vacancy(id=i, lat=GRIMMA[0] + 0.002 * (i % 3)) for i in range(1, 30)]
    a = VacancyIndex(vacancies)
    b = VacancyIndex(reversed(vacancies))
    first = rank_vacancies(person, a, CTX, limit=50)
    again = rank_vacancies(person, a, CTX, limit=50)
    other = rank_vacancies(person, b, CTX, limit=50)
    order = [(it.vacancy_id, it.score) for it in first.items]
    assert order == [(it.vacancy_id, it.score) for it in again.items]
    assert order == [(it.vacancy_id, it.score) for it in other.items]
    # Equal scores are ordered by id.
    for x, y in zip(first.items, first.items[1:], strict=False):
        assert (-x.score, x.vacancy_id) < (-y.score, y.vacancy_id)


def test_commute_over_the_limit_excludes_and_reason_names_mode_and_limit() -> None:
    person = make_participant(max_commute_minutes=45.0, has_bike=True, home_transit=0.0)
    near = make_vacancy(id=1, lat=GRIMMA[0] + 0.04, transit=0.0)
    far = make_vacancy(id=2, lat=GRIMMA[0] + 0.5)
    e = explain(person, near, CTX)
    assert e.commute_mode == "bike"
    assert e.components["commute"].reason == (
        f"Pendelzeit ca. {round(e.commute_minutes)} Min. mit dem Fahrrad (Grenze 45 Min.)"
    )
    english = explain(person, near, replace(CTX, lang="en"))
    assert english.components["commute"].reason.startswith("Commute about")
    assert names(explain(person, far, CTX)) == ["commute"]


def test_early_shift_without_car_counts_against_public_transport() -> None:
    person = make_participant(has_bike=False, home_transit=0.7, max_commute_minutes=90)
    day = make_vacancy(id=1, lat=GRIMMA[0] + 0.1, transit=0.7, shifts={"day"})
    early = make_vacancy(id=2, lat=GRIMMA[0] + 0.1, transit=0.7, shifts={"early"})
    e_day = explain(person, day, CTX)
    e_early = explain(person, early, CTX)
    assert (e_day.commute_mode, e_early.commute_mode) == ("public_transport", "public_transport")
    assert e_early.commute_minutes == e_day.commute_minutes + 20  # the fake's off-peak wait
    assert e_day.components["commute"].reason == (
        f"Pendelzeit ca. {round(e_day.commute_minutes)} Min. mit Bus und Bahn (Grenze 90 Min.)"
    )
    assert e_early.components["commute"].reason == (
        f"Pendelzeit ca. {round(e_early.commute_minutes)} Min. mit Bus und Bahn zur Frühschicht "
        "(Grenze 90 Min.); zu dieser Zeit kaum Busse"
    )


# Grimma-like bus service: 46 − 40·0.7 = 18 min waiting and access, +20 off-peak (FakeCommute).
MIXED = make_vacancy(id=7, lat=GRIMMA[0] + 0.05, transit=0.7, shifts={"early", "day"})


def test_mixed_shifts_are_judged_at_the_shift_the_person_works_both_ways() -> None:
    """One early shift among day shifts does not make the job off-peak for a day worker."""
    common = {"home_transit": 0.7, "max_commute_minutes": 45, "has_bike": False}
    day_worker = make_participant(id=1, shifts=frozenset({"day"}), **common)
    early_bird = make_participant(id=2, shifts=frozenset({"early"}), **common)
    unknown = make_participant(id=3, shifts=frozenset(), **common)
    day_only = replace(MIXED, shifts=frozenset({"day"}))
    peak = explain(day_worker, day_only, CTX).commute_minutes
    assert peak <= 45 < peak + 20
    e = explain(day_worker, MIXED, CTX)
    assert e.eligible and e.commute_minutes == peak
    assert e.components["commute"].reason == (
        f"Pendelzeit ca. {round(peak)} Min. mit Bus und Bahn zur Tagschicht (Grenze 45 Min.)"
    )
    english = explain(day_worker, MIXED, replace(CTX, lang="en"))
    assert english.components["commute"].reason == (
        f"Commute about {round(peak)} min by public transport to the day shift (limit 45 min)"
    )
    late = explain(early_bird, MIXED, CTX)
    assert [(f.name, f.reason) for f in late.failed_constraints] == [
        (
            "commute",
            f"Pendelzeit ca. {round(peak + 20)} Min. mit Bus und Bahn zur Frühschicht, "
            "Grenze 45 Min.; zu dieser Zeit kaum Busse",
        )
    ]
    assert explain(unknown, MIXED, CTX).eligible  # nothing recorded: the vacancy's best case
    # The same answer from the vacancy's side (participants ranked for it).
    people = ParticipantIndex([day_worker, early_bird, unknown])
    ranked = rank_participants(MIXED, people, CTX)
    # Nobody without shifts recorded is held to one: both working times fit them, so they
    # rank above the day worker, for whom one of two fits.
    assert [it.participant_id for it in ranked.items] == [3, 1]
    assert all(it.commute_minutes == peak for it in ranked.items)
    found = rank_vacancies(day_worker, VacancyIndex([MIXED]), CTX)
    assert [it.vacancy_id for it in found.items] == [7]


def test_a_bike_commute_never_mentions_buses() -> None:
    rider = make_participant(has_bike=True, shifts=frozenset({"early"}), max_commute_minutes=60)
    e = explain(rider, MIXED, CTX)
    assert e.commute_mode == "bike"
    assert e.components["commute"].reason == (
        f"Pendelzeit ca. {round(e.commute_minutes)} Min. mit dem Fahrrad (Grenze 60 Min.)"
    )


def test_commute_over_the_limit_says_minutes_and_limit_apart() -> None:
    person = make_participant(max_commute_minutes=45.0, has_bike=False, home_transit=0.0)
    far = explain(person, make_vacancy(lat=GRIMMA[0] + 0.5, transit=0.0), CTX)
    minutes = round(far.commute_minutes)
    mode = {"walk": "zu Fuß", "public_transport": "mit Bus und Bahn"}[far.commute_mode]
    assert [(f.name, f.reason) for f in far.failed_constraints] == [
        ("commute", f"Pendelzeit ca. {minutes} Min. {mode}, Grenze 45 Min.")
    ]
    en = explain(person, make_vacancy(lat=GRIMMA[0] + 0.5, transit=0.0), replace(CTX, lang="en"))
    assert en.failed_constraints[0].reason.endswith(", limit 45 min")
    assert "exceeds" not in en.failed_constraints[0].reason


def test_soft_constraint_keeps_the_pair_with_a_flag() -> None:
    hard = {t: list(DEFAULT_PROFILE.hard_constraints[t]) for t in DEFAULT_PROFILE.hard_constraints}
    hard["work_trial"] = [c for c in hard["work_trial"] if c != "commute"]
    profile = WeightProfile.from_dict({"name": "soft-commute", "hard_constraints": hard})
    person = make_participant(max_commute_minutes=20)
    trial = make_vacancy(id=1, type="work_trial", lat=GRIMMA[0] + 0.3)
    job = make_vacancy(id=2, type="job", lat=GRIMMA[0] + 0.3)
    result = rank_vacancies(person, VacancyIndex([trial, job]), replace(CTX, profile=profile))
    assert [it.vacancy_id for it in result.items] == [1]
    assert flag_codes(result.items[0]) == ["commute"]
    assert result.items[0].components["commute"].value == 0.0


@pytest.mark.parametrize(
    ("person", "vacancy", "constraint"),
    [
        ({"consent_processing": False}, {}, "consent"),
        ({"status": "paused"}, {}, "status"),
        ({}, {"status": "filled"}, "status"),
        ({}, {"openings_left": 0}, "openings"),
        ({}, {"valid_through": AS_OF - timedelta(days=1)}, "dates"),
        ({}, {"end_date": AS_OF - timedelta(days=1)}, "dates"),
        (
            {"earliest_start": AS_OF + timedelta(days=30)},
            {"type": "work_trial", "start_date": AS_OF + timedelta(days=10)},
            "dates",
        ),
        ({"driving_licences": {"B"}}, {"driving_licence_required": "C"}, "driving_licence"),
    ],
)
def test_each_constraint_excludes_by_name(person, vacancy, constraint) -> None:
    e = explain(make_participant(**person), make_vacancy(**vacancy), CTX)
    assert names(e) == [constraint]
    assert e.failed_constraints[0].reason
    assert e.score > 0  # computed although excluded


def test_start_slack_allows_a_slightly_earlier_start() -> None:
    person = make_participant(earliest_start=AS_OF + timedelta(days=20))
    job = make_vacancy(type="internship", start_date=AS_OF + timedelta(days=10))
    strict = WeightProfile.from_dict({"params": {"start_slack_days": 0}})
    assert names(explain(person, job, replace(CTX, profile=strict))) == ["dates"]
    assert explain(person, job, CTX).eligible  # default slack: 14 days


def test_employer_view_requires_consent_to_share() -> None:
    person = make_participant(share_with_employers=False)
    job = make_vacancy()
    index = ParticipantIndex([person])
    assert rank_participants(job, index, CTX).total == 1
    employer = rank_participants(job, index, replace(CTX, employer_view=True))
    assert employer.total == 0
    e = explain(person, job, replace(CTX, employer_view=True))
    assert [(f.name, f.reason) for f in e.failed_constraints] == [
        ("consent", "Keine Einwilligung zur Weitergabe an Arbeitgeber")
    ]


def test_english_reasons() -> None:
    person = make_participant(german_level="A2")
    job = make_vacancy(min_german_level="B1", german_tolerance=1)
    e = explain(person, job, replace(CTX, lang="en"))
    assert (
        e.components["language"].reason == "German A2, B1 required – accepted with language support"
    )
    with pytest.raises(ValueError, match="lang"):
        explain(person, job, replace(CTX, lang="fr"))


def test_preferences_type_field_hours_shifts() -> None:
    person = make_participant(
        placement_types={"job"},
        fields_wanted={"logistics"},
        fields_excluded={"care"},
        hours_per_week=30,
        shifts={"day"},
    )
    ideal = make_vacancy(id=1, field="logistics", hours_per_week=30, shifts={"day"})
    worse = make_vacancy(
        id=2, type="internship", field="care", hours_per_week=40, shifts={"day", "night"}
    )
    good = explain(person, ideal, CTX)
    bad = explain(person, worse, CTX)
    assert good.components["preferences"].value == 1.0
    # type 0, field 0 (excluded), hours 30/40, shifts 1/2, start 1; weights 6, 3, 1, 2, 1
    assert bad.components["preferences"].value == pytest.approx((0.75 + 2 * 0.5 + 1) / 13)
    assert "Praktikum nicht gewünscht" in bad.components["preferences"].reason
    assert "Berufsfeld care ausgeschlossen" in bad.components["preferences"].reason


def test_occupation_same_code_beats_same_group_beats_nothing() -> None:
    person = make_participant(occupations=[("warehouse-worker", "9333", 4)])
    same = explain(person, make_vacancy(occupation_code="warehouse-worker"), CTX)
    group = explain(person, make_vacancy(isco_group="9333"), CTX)
    other = explain(person, make_vacancy(isco_group="5120"), CTX)
    none = explain(person, make_vacancy(), CTX)
    values = [e.components["occupation"].value for e in (same, group, other)]
    assert values == [1.0, 0.8, 0.2]
    assert none.components["occupation"].value == 0.5
    assert same.components["occupation"].reason == "Gleicher Beruf, 4 Jahre Erfahrung"


def test_an_open_ended_job_starting_earlier_waits_for_the_person() -> None:
    """The start slack is for time-boxed vacancies; an open-ended job is taken up later."""
    person = make_participant(id=1, earliest_start=AS_OF + timedelta(days=28))
    job = make_vacancy(id=1, type="job", start_date=AS_OF + timedelta(days=7))
    fixed_term = replace(job, id=2, end_date=AS_OF + timedelta(days=200))
    trial = replace(job, id=3, type="work_trial", end_date=AS_OF + timedelta(days=60))
    assert explain(person, job, CTX).eligible
    for boxed in (fixed_term, trial):
        e = explain(person, boxed, CTX)
        assert [(f.name, f.reason) for f in e.failed_constraints] == [
            (
                "dates",
                "Beginn 08.11.2026 vor frühestem Start 29.11.2026 – passt bei Beginn ab 15.11.2026",
            )
        ]
    english = explain(person, trial, replace(CTX, lang="en"))
    assert english.failed_constraints[0].reason == (
        "Starts 2026-11-08, before earliest start 2026-11-29 – fits with a start from 2026-11-15"
    )
    found = rank_vacancies(person, VacancyIndex([job, fixed_term, trial]), CTX)
    assert [it.vacancy_id for it in found.items] == [1]
    ranked = rank_participants(job, ParticipantIndex([person]), CTX)
    assert [it.participant_id for it in ranked.items] == [1]


def test_a_permit_ending_during_the_placement_is_flagged_with_its_date() -> None:
    start = AS_OF + timedelta(days=10)  # 2026-11-11
    person = make_participant(work_permit="permitted", permit_valid_until=date(2027, 3, 31))
    trial = make_vacancy(id=1, type="work_trial", start_date=start, end_date=date(2026, 11, 25))
    internship = replace(trial, id=2, type="internship", end_date=date(2027, 6, 30))
    job = replace(trial, id=3, type="job", end_date=None)  # open-ended: first 180 days count
    later = replace(job, id=4, start_date=date(2026, 9, 1))  # runs already; still 180 days on
    assert flag_codes(explain(person, trial, CTX)) == []
    for vacancy in (internship, job):
        e = explain(person, vacancy, CTX)
        assert e.eligible
        assert [(f.code, f.reason) for f in e.flags] == [
            ("permit_ends_during", "Aufenthaltsdokument endet am 31.03.2027, während der Maßnahme")
        ]
    assert flag_codes(explain(person, later, CTX)) == ["permit_ends_during"]
    short = WeightProfile.from_dict({"params": {"permit_open_ended_days": 90}})
    assert flag_codes(explain(person, job, replace(CTX, profile=short))) == []
    english = explain(person, job, replace(CTX, lang="en"))
    assert [(f.code, f.reason) for f in english.flags] == [
        ("permit_ends_during", "Permit ends on 2027-03-31, during the placement")
    ]
    employer = explain(person, job, replace(CTX, employer_view=True, restricted_texts=True))
    assert [(f.code, f.reason) for f in employer.flags] == [
        ("permit_ends_during", "Aufenthaltsdokument endet während der Maßnahme")
    ]
    items = rank_vacancies(person, VacancyIndex([trial, internship, job]), CTX).items
    assert {it.vacancy_id: flag_codes(it) for it in items} == {
        1: [],
        2: ["permit_ends_during"],
        3: ["permit_ends_during"],
    }


def test_an_excluding_rule_says_what_would_change_the_answer() -> None:
    start = AS_OF + timedelta(days=30)
    job = make_vacancy(min_german_level="B1", start_date=start)
    waiting = make_participant(german_level="A2", expected_b1_date=date(2027, 1, 15))
    assert explain(waiting, job, CTX).failed_constraints[0].reason == (
        "Deutsch A2, gefordert B1, keine Toleranz; B1 erwartet am 15.01.2027 – "
        "passt bei Beginn ab 15.01.2027"
    )
    expired = make_participant(
        work_permit="permitted", permit_valid_until=AS_OF, permit_document="residence_title"
    )
    assert explain(expired, make_vacancy(start_date=start), CTX).failed_constraints[0].reason == (
        "Aufenthaltstitel gültig bis 01.11.2026, Beginn 01.12.2026 – "
        "passt, sobald der Aufenthaltstitel verlängert ist"
    )
    # The text names the document the person actually holds: a Duldung is no residence title.
    tolerated = replace(expired, permit_document="toleration")
    assert explain(tolerated, make_vacancy(start_date=start), CTX).failed_constraints[0].reason == (
        "Duldung gültig bis 01.11.2026, Beginn 01.12.2026 – passt, sobald die Duldung verlängert ist"
    )
    unknown = replace(expired, permit_document=None)
    assert explain(unknown, make_vacancy(start_date=start), CTX).failed_constraints[0].reason == (
        "Aufenthaltsdokument gültig bis 01.11.2026, Beginn 01.12.2026 – "
        "passt, sobald das Aufenthaltsdokument verlängert ist"
    )


def test_texts_for_employers_never_name_the_permit_document() -> None:
    """Whether someone is tolerated or in the asylum procedure is not an employer's business."""
    start = AS_OF + timedelta(days=30)
    tolerated = make_participant(
        work_permit="permitted", permit_valid_until=AS_OF, permit_document="toleration"
    )
    restricted = RankingContext(commute=COMMUTE, as_of=AS_OF, restricted_texts=True)
    reason = explain(tolerated, make_vacancy(start_date=start), restricted).failed_constraints[0]
    assert reason.reason == "Aufenthaltsdokument gilt nicht lange genug für diesen Beginn"


def _language_only() -> WeightProfile:
    """Every eligible vacancy scores alike, so only the tie-break orders them."""
    weights = dict.fromkeys(DEFAULT_PROFILE.weights, 0.0) | {"language": 1.0}
    return WeightProfile.from_dict({"name": "language-only", "weights": weights})


def test_equal_scores_order_by_wished_type_then_skills_then_commute_then_id() -> None:
    person = make_participant(placement_types={"work_trial"}, skills={"picking": (3, "certified")})
    near, far = (GRIMMA[0] + 0.01, GRIMMA[1] + 0.01), (GRIMMA[0] + 0.06, GRIMMA[1] + 0.06)
    vacancies = [
        make_vacancy(id=1, lat=far[0], lon=far[1]),  # a job, no skills, far
        make_vacancy(id=2, type="work_trial", lat=far[0], lon=far[1]),  # the wished type
        make_vacancy(id=3, lat=far[0], lon=far[1], skills=[("picking", "should", 2)]),
        make_vacancy(id=4, lat=near[0], lon=near[1]),  # a job, no skills, nearest
        make_vacancy(id=5, lat=far[0], lon=far[1]),  # the same as 1: the id decides
    ]
    ctx = replace(CTX, profile=_language_only())
    result = rank_vacancies(person, VacancyIndex(vacancies), ctx)
    assert len({it.score for it in result.items}) == 1
    assert [it.vacancy_id for it in result.items] == [2, 3, 4, 1, 5]
    # Keyset pages of one item walk the same order.
    walked, after = [], None
    for _ in vacancies:
        page = rank_vacancies(person, VacancyIndex(vacancies), ctx, limit=1, after=after)
        walked += [it.vacancy_id for it in page.items]
        after = page.next_after
    assert walked == [2, 3, 4, 1, 5]
    assert after is None
    # The other direction uses the same keys: the person who wished the type comes first.
    trial = vacancies[1]
    people = [
        make_participant(id=7, placement_types={"job"}),
        make_participant(id=8, placement_types={"work_trial"}),
    ]
    listed = rank_participants(trial, ParticipantIndex(people), ctx).items
    assert [it.participant_id for it in listed] == [8, 7]


def test_unknown_hours_and_times_count_neutral_and_are_flagged() -> None:
    person = make_participant(hours_per_week=30.0, fields_wanted={"logistics"})
    stated = make_vacancy(id=1, field="logistics", hours_per_week=30.0, shifts={"day"})
    silent = make_vacancy(id=2, field=None, hours_per_week=None, shifts=set())
    good, unknown = explain(person, stated, CTX), explain(person, silent, CTX)
    assert good.components["preferences"].value > unknown.components["preferences"].value
    assert "missing_data" not in [f.code for f in good.flags]
    flag = next(f for f in unknown.flags if f.code == "missing_data")
    assert (
        flag.reason == "Angaben fehlen, neutral gewertet: Wochenstunden, Arbeitszeiten, Berufsfeld"
    )
    assert "Berufsfeld nicht angegeben" in unknown.components["preferences"].reason
