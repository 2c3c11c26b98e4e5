"""Certificates and licences are held or not: no levels, no related stand-ins, proof flagged."""

from __future__ import annotations

import pytest

from kai_match.scoring import (
    ParticipantIndex,
    RankingContext,
    VacancyIndex,
    explain,
    rank_participants,
    rank_vacancies,
)
from kai_match.scoring.profiles import HeldSkill, RequiredSkill

from .fakes import AS_OF, FakeCommute, FakeRelated, make_participant, make_vacancy

FORKLIFT = "forklift"
PALLET_TRUCK = "pallet_truck"
PICKING = "picking"
RELATED = FakeRelated({FORKLIFT: {PALLET_TRUCK: 0.9}, PICKING: {PALLET_TRUCK: 0.9}})
CTX = RankingContext(
    commute=FakeCommute(), as_of=AS_OF, related=RELATED, skill_name=lambda s: s.title()
)


def must_forklift(**overrides):
    return make_vacancy(skills=(RequiredSkill(FORKLIFT, "must", 4, certificate=True),), **overrides)


def codes(result) -> list[str]:
    return [f.code for f in result.flags]


@pytest.mark.parametrize("level", [1, 4])
def test_a_self_reported_certificate_at_any_level_passes_with_the_proof_flag(level: int) -> None:
    person = make_participant(skills={FORKLIFT: HeldSkill(level, "self_reported")})
    result = explain(person, must_forklift(), CTX)
    assert result.eligible
    # Full level credit (a certificate has no levels) times the self-reported factor 0.7.
    assert result.components["skills"].value == pytest.approx(0.7)
    assert "certificate_unproven" in codes(result)
    flag = next(f for f in result.flags if f.code == "certificate_unproven")
    assert flag.reason == "Nachweis fehlt: Forklift"


def test_a_certified_holder_gets_no_flag_and_full_credit() -> None:
    person = make_participant(skills={FORKLIFT: HeldSkill(1, "certified")})
    result = explain(person, must_forklift(), CTX)
    assert result.eligible
    assert result.components["skills"].value == pytest.approx(1.0)
    assert "certificate_unproven" not in codes(result)


def test_the_flag_is_english_in_english() -> None:
    person = make_participant(skills={FORKLIFT: HeldSkill(2, "assessed")})
    ctx = RankingContext(
        commute=FakeCommute(), as_of=AS_OF, related=RELATED, skill_name=str, lang="en"
    )
    flag = next(f for f in explain(person, must_forklift(), ctx).flags)
    assert (flag.code, flag.reason) == ("certificate_unproven", "Proof missing: forklift")


def test_a_related_skill_covers_a_must_skill_but_never_a_must_certificate() -> None:
    person = make_participant(skills={PALLET_TRUCK: HeldSkill(4, "certified")})
    picking = make_vacancy(id=2, skills=(RequiredSkill(PICKING, "must", 2),))
    assert explain(person, picking, CTX).eligible
    refused = explain(person, must_forklift(), CTX)
    assert [f.name for f in refused.failed_constraints] == ["must_skill"]
    assert refused.failed_constraints[0].reason == "Pflichtkenntnis fehlt: Forklift"


def test_a_should_certificate_gets_no_related_credit() -> None:
    person = make_participant(skills={PALLET_TRUCK: HeldSkill(4, "certified")})
    job = make_vacancy(skills=(RequiredSkill(FORKLIFT, "should", 2, certificate=True),))
    assert explain(person, job, CTX).components["skills"].value == 0.0


def test_both_directions_agree_on_certificates() -> None:
    people = [
        make_participant(id=1, skills={FORKLIFT: HeldSkill(1, "self_reported")}),
        make_participant(id=2, skills={FORKLIFT: HeldSkill(1, "certified")}),
        make_participant(id=3, skills={PALLET_TRUCK: HeldSkill(4, "certified")}),
    ]
    job = must_forklift()
    by_vacancy = rank_participants(job, ParticipantIndex(people), CTX)
    assert [it.participant_id for it in by_vacancy.items] == [2, 1]
    assert [codes(it) for it in by_vacancy.items] == [[], ["certificate_unproven"]]
    index = VacancyIndex([job])
    for person in people:
        listed = rank_vacancies(person, index, CTX).items
        item = next((it for it in by_vacancy.items if it.participant_id == person.id), None)
        if item is None:
            assert listed == ()
        else:
            assert listed[0].score == pytest.approx(item.score)
            assert codes(listed[0]) == codes(item)
