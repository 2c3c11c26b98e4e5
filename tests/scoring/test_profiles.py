"""Input dataclasses normalise their values and reject bad ones with the field named."""

from __future__ import annotations

import re

import pytest

from kai_match.scoring import HeldSkill, ParticipantProfile, RequiredSkill, VacancyProfile

from .fakes import make_participant, make_vacancy


def test_inputs_are_normalised() -> None:
    p = make_participant(skills={"x": (2, "assessed")}, shifts=["day"], driving_licences=["B"])
    assert p.skills["x"] == HeldSkill(2, "assessed")
    assert p.shifts == frozenset({"day"})
    assert p.driving_licences == frozenset({"B"})
    with pytest.raises(TypeError):
        p.skills["y"] = HeldSkill(1)  # read-only mapping
    v = make_vacancy(skills=[("x", "must", 3)])
    assert v.skills == (RequiredSkill("x", "must", 3),)
    assert hash(p) == hash(make_participant(skills={"x": (2, "assessed")}))


def test_car_access_needs_licence_b_and_a_car() -> None:
    assert not make_participant(has_car=True).has_car_access
    assert make_participant(has_car=True, driving_licences={"B"}).has_car_access


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"german_level": "B3"}, "german_level"),
        ({"home_lat": 95.0}, "home_lat"),
        ({"skills": {"x": (5, "assessed")}}, "skills.x.level"),
        ({"skills": {"x": (2, "rumour")}}, "skills.x.source"),
        ({"max_commute_minutes": 0}, "max_commute_minutes"),
        ({"shifts": {"siesta"}}, "shifts"),
        ({"work_permit": "maybe"}, "work_permit"),
        ({"driving_licences": {"X"}}, "driving_licences"),
        ({"occupations": [("c", "12345", 1)]}, "occupations[0].isco_group"),
        ({"status": "deleted"}, "status"),
    ],
)
def test_bad_participant_fields(overrides, field) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(field)):
        make_participant(**overrides)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"type": "gig"}, "type"),
        ({"german_tolerance": 6}, "german_tolerance"),
        ({"skills": [("x", "must", 1), ("x", "nice", 2)]}, "skills[1].skill_id"),
        ({"skills": [("x", "maybe", 1)]}, "skills[0].importance"),
        ({"languages_wanted": [("ar", "Z9")]}, "languages_wanted[0].level"),
        ({"hours_per_week": 0}, "hours_per_week"),
        ({"driving_licence_required": "Q"}, "driving_licence_required"),
    ],
)
def test_bad_vacancy_fields(overrides, field) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(field)):
        make_vacancy(**overrides)


def test_protected_attributes_are_not_fields() -> None:
    fields = set(ParticipantProfile.__dataclass_fields__) | set(VacancyProfile.__dataclass_fields__)
    assert not fields & {"gender", "nationality", "age", "birth_date", "name"}
