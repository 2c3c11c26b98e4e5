"""Hand-made cases with an exact expected outcome, one rule each."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

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


def test_language_weight_zero_changes_the_order() -> None:
    person = make_participant(
        german_level="A2", skills={"care": (4, "certified"), "driving": (2, "self_reported")}
    )
    fluent = make_vacancy(id=1, min_german_level="A2", skills=[("driving", "should", 2)])
    skilled = make_vacancy(
        id=2, min_german_level="B2", german_tolerance=2, skills=[("care", "should", 3)]
    )
    index = VacancyIndex([fluent, skilled])
    default = rank_vacancies(person, index, CTX)
    no_language = WeightProfile.from_dict(
        {"name": "no-language", "weights": {**DEFAULT_PROFILE.weights, "language": 0.0}}
    )
    tuned = rank_vacancies(person, index, replace(CTX, profile=no_language))
    assert [it.vacancy_id for it in default.items] == [1, 2]
    assert [it.vacancy_id for it in tuned.items] == [2, 1]
    assert tuned.profile_name == "no-language"
    assert tuned.items[0].components["language"].contribution == 0.0


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
    person = make_participant(has_bike=False, home_transit=0.3, max_commute_minutes=90)
    day = make_vacancy(id=1, lat=GRIMMA[0] + 0.1, transit=0.3, shifts={"day"})
    early = make_vacancy(id=2, lat=GRIMMA[0] + 0.1, transit=0.3, shifts={"early"})
    e_day = explain(person, day, CTX)
    e_early = explain(person, early, CTX)
    assert e_day.commute_mode == "public_transport"
    assert e_early.commute_minutes > e_day.commute_minutes
    assert "kaum Busse" in e_early.components["commute"].reason


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
            {"start_date": AS_OF + timedelta(days=10)},
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
    job = make_vacancy(start_date=AS_OF + timedelta(days=10))
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
    # type 0, field 0 (excluded), hours 30/40, shifts 1/2, start 1 → (0+0+0.75+1+1)/8
    assert bad.components["preferences"].value == pytest.approx((0.75 + 2 * 0.5 + 1) / 8)
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
