"""The simulator: seedable, realistic in its margins, and written and read back unchanged."""

from __future__ import annotations

from collections import Counter

from kai_match.analytics import District, read_district, simulate, write_district


def test_same_seed_same_district(district: District) -> None:
    again = simulate(participants=250, vacancies=120, seed=11)
    assert again.participants == district.participants
    assert again.vacancies == district.vacancies
    assert again.outcomes == district.outcomes
    assert again.truth == district.truth


def test_another_seed_another_district(district: District) -> None:
    other = simulate(participants=40, vacancies=20, seed=12)
    assert other.participants != district.participants[:40]


def test_margins_look_like_the_programme(district: District) -> None:
    levels = Counter(p.german_level for p in district.participants)
    below_b2 = levels["A1"] + levels["A2"] + levels["B1"]
    assert below_b2 / len(district.participants) > 0.75  # CEFR skewed to A1–B1
    assert {p.work_permit for p in district.participants} >= {"permitted", "approval_required"}
    assert all(p.skills for p in district.participants)
    assert all(1 <= v.openings_left <= 5 for v in district.vacancies)
    summary = district.summary()
    assert summary["vacancies_with_outcomes"] >= 30
    assert 0.1 < summary["completed"] / summary["candidates"] < 0.6
    assert summary["hired"] <= summary["completed"]


def test_outcomes_only_for_known_pairs(district: District) -> None:
    people = {p.id for p in district.participants}
    jobs = {v.id for v in district.vacancies}
    assert all(o.participant_id in people and o.vacancy_id in jobs for o in district.outcomes)
    assert all(o.completed or not o.hired for o in district.outcomes)
    pairs = [(o.vacancy_id, o.participant_id) for o in district.outcomes]
    assert len(pairs) == len(set(pairs))


def test_protected_attributes_are_kept_apart(district: District) -> None:
    assert len(district.attributes) == len(district.participants)
    for a in district.attributes[:5]:
        assert a.gender in ("female", "male")
        assert a.site in ("borna", "grimma", "markkleeberg", "wurzen")
    names = set(type(district.participants[0]).__dataclass_fields__)
    assert not names & {
        "gender",
        "nationality",
        "nationality_group",
        "age",
        "age_band",
        "birth_date",
    }


def test_files_round_trip(district: District, tmp_path) -> None:
    paths = write_district(district, tmp_path)
    assert {p.name for p in paths} == {
        "participants.json",
        "vacancies.json",
        "attributes.csv",
        "outcomes.csv",
        "truth.json",
    }
    back = read_district(tmp_path)
    assert back.participants == district.participants
    assert back.vacancies == district.vacancies
    assert back.attributes == district.attributes
    assert back.outcomes == district.outcomes
    assert back.truth == district.truth
    assert back.as_of == district.as_of
