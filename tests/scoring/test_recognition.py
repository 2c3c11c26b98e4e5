"""Regulated occupations need a recognised qualification (issue 14, item 5)."""

from __future__ import annotations

from datetime import date

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
from kai_match.scoring.profiles import Experience

from .fakes import AS_OF, FakeCommute, make_participant, make_vacancy

CTX = RankingContext(commute=FakeCommute(), as_of=AS_OF)
NURSE = "esco-nurse"


def nurse_job(**overrides):
    return make_vacancy(occupation_code=NURSE, isco_group="2221", regulated=True, **overrides)


def nurse(recognition: str, expected: date | None = None, **overrides):
    return make_participant(
        occupations=(Experience(NURSE, "2221", 5.0, recognition, expected),), **overrides
    )


def failures(result) -> list[tuple[str, str]]:
    return [(f.name, f.reason) for f in result.failed_constraints]


def test_full_recognition_passes_without_a_flag() -> None:
    result = explain(nurse("full"), nurse_job(), CTX)
    assert result.eligible
    assert "recognition_pending" not in [f.code for f in result.flags]


def test_pending_recognition_passes_with_the_expected_date() -> None:
    result = explain(nurse("pending", date(2027, 4, 15)), nurse_job(), CTX)
    assert result.eligible
    flag = next(f for f in result.flags if f.code == "recognition_pending")
    assert flag.reason == "Anerkennung beantragt, Bescheid erwartet am 15.04.2027"
    undated = explain(nurse("pending"), nurse_job(), CTX)
    assert [f.reason for f in undated.flags if f.code == "recognition_pending"] == [
        "Anerkennung beantragt, Bescheid steht aus"
    ]


@pytest.mark.parametrize(
    ("person", "reason"),
    [
        (
            nurse("none"),
            "Reglementierter Beruf: Abschluss nicht anerkannt – Anerkennung beantragen",
        ),
        (
            nurse("partial"),
            "Reglementierter Beruf: Abschluss nur teilweise anerkannt – möglich als Helfer/in "
            "oder Assistenz",
        ),
        (
            make_participant(occupations=()),
            "Reglementierter Beruf: anerkannter Berufsabschluss erforderlich",
        ),
    ],
)
def test_no_partial_or_missing_recognition_is_a_clear_exclusion(person, reason: str) -> None:
    result = explain(person, nurse_job(), CTX)
    assert failures(result) == [("recognition", reason)]


def test_the_same_isco_unit_group_counts_and_an_unregulated_job_ignores_recognition() -> None:
    by_group = make_participant(occupations=(Experience("other-code", "2221", 2.0, "full"),))
    assert explain(by_group, nurse_job(), CTX).eligible
    helper_job = make_vacancy(occupation_code="esco-nursing-assistant", isco_group="5321")
    assert explain(nurse("none"), helper_job, CTX).eligible


def test_a_soft_recognition_constraint_is_a_flag() -> None:
    data = DEFAULT_PROFILE.to_dict()
    data["name"] = "recognition-soft"
    data["hard_constraints"] = {
        t: [c for c in names if c != "recognition"] for t, names in data["hard_constraints"].items()
    }
    ctx = RankingContext(commute=FakeCommute(), as_of=AS_OF, profile=WeightProfile.from_dict(data))
    result = explain(nurse("none"), nurse_job(), ctx)
    assert result.eligible
    assert "recognition" in [f.code for f in result.flags]


def test_both_directions_list_the_same_people() -> None:
    people = [
        nurse("full").__class__(**{**_fields(nurse("full")), "id": 1}),
        _with_id(nurse("pending"), 2),
        _with_id(nurse("partial"), 3),
        _with_id(nurse("none"), 4),
    ]
    job = nurse_job()
    listed = rank_participants(job, ParticipantIndex(people), CTX).items
    assert [it.participant_id for it in listed] == [1, 2]
    index = VacancyIndex([job])
    assert [len(rank_vacancies(p, index, CTX).items) for p in people] == [1, 1, 0, 0]


def _fields(p) -> dict:
    return {name: getattr(p, name) for name in p.__slots__}


def _with_id(p, new_id: int):
    return p.__class__(**{**_fields(p), "id": new_id})
