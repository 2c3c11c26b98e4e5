"""Consent, and the work permit for a `prohibited` permit, stay hard whatever a profile says.

Profiles stored before the rule existed may say otherwise; the engine applies the fixed rules
to them anyway (defence in depth), and refuses a posted profile that tries to soften them.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from kai_match.scoring import (
    CONSTRAINTS,
    PLACEMENT_TYPES,
    ParticipantIndex,
    ProfileError,
    RankingContext,
    VacancyIndex,
    WeightProfile,
    explain,
    rank_participants,
    rank_vacancies,
)

from .fakes import AS_OF, FakeCommute, make_participant, make_vacancy

CTX = RankingContext(commute=FakeCommute(), as_of=AS_OF)

# What a crafted (or old) stored profile might hold: nothing hard, a prohibited permit allowed.
CRAFTED = {
    "name": "crafted",
    "version": 3,
    "hard_constraints": {t: [] for t in PLACEMENT_TYPES},
    "permit_rules": {t: {"prohibited": "allow"} for t in PLACEMENT_TYPES},
}


def _stored(config: dict) -> WeightProfile:
    """A profile as the API parses a stored record (no refusal, only what the engine applies)."""
    return WeightProfile.from_dict(config)


def test_a_stored_profile_with_consent_soft_still_excludes_people_without_consent() -> None:
    profile = _stored(CRAFTED)
    ctx = replace(CTX, profile=profile)
    consenting = make_participant(id=1)
    refused = make_participant(id=2, consent_processing=False)
    job = make_vacancy()
    ranked = rank_participants(job, ParticipantIndex([consenting, refused]), ctx)
    assert [it.participant_id for it in ranked.items] == [1]
    assert ranked.total == 1
    assert rank_vacancies(refused, VacancyIndex([job]), ctx).total == 0
    why = explain(refused, job, ctx)
    assert not why.eligible
    assert [f.name for f in why.failed_constraints] == ["consent"]
    assert "consent" not in [f.code for f in why.flags]


def test_employer_views_still_need_consent_to_share() -> None:
    ctx = replace(CTX, profile=_stored(CRAFTED), employer_view=True)
    not_shared = make_participant(id=2, share_with_employers=False)
    ranked = rank_participants(make_vacancy(), ParticipantIndex([not_shared]), ctx)
    assert ranked.total == 0


@pytest.mark.parametrize("placement_type", ["job", "internship", "apprenticeship"])
def test_a_stored_profile_cannot_let_a_prohibited_permit_through(placement_type) -> None:
    ctx = replace(CTX, profile=_stored(CRAFTED))
    prohibited = make_participant(id=3, work_permit="prohibited")
    vacancy = make_vacancy(type=placement_type)
    assert rank_participants(vacancy, ParticipantIndex([prohibited]), ctx).total == 0
    assert [f.name for f in explain(prohibited, vacancy, ctx).failed_constraints] == ["work_permit"]


def test_a_work_trial_for_a_prohibited_permit_keeps_its_measure_flag() -> None:
    ctx = replace(CTX, profile=_stored(CRAFTED))
    prohibited = make_participant(id=3, work_permit="prohibited")
    trial = make_vacancy(type="work_trial")
    why = explain(prohibited, trial, ctx)
    assert why.eligible
    assert "measure_only" in [f.code for f in why.flags]


def test_the_fixed_rules_show_in_the_parsed_profile() -> None:
    profile = _stored(CRAFTED)
    for t in PLACEMENT_TYPES:
        assert profile.is_hard("consent", t)
        assert not profile.is_hard("commute", t)  # other constraints stay as the profile says
    assert profile.is_hard("work_permit", "job") and not profile.is_hard(
        "work_permit", "work_trial"
    )
    assert profile.permit_rules["job"]["prohibited"] == "deny"
    assert profile.permit_rules["work_trial"]["prohibited"] == "flag"
    assert profile.permit_rules["job"]["approval_required"] == "flag"  # not fixed: the default


def test_a_constructed_profile_gets_the_fixed_rules_too() -> None:
    profile = WeightProfile(
        hard_constraints={t: frozenset() for t in PLACEMENT_TYPES},
        permit_rules={
            t: {"unrestricted": "allow", "permitted": "allow", "approval_required": "allow",
                "prohibited": "allow"}
            for t in PLACEMENT_TYPES
        },
    )  # fmt: skip
    assert all(profile.is_hard("consent", t) for t in PLACEMENT_TYPES)
    assert profile.permit_rules["internship"]["prohibited"] == "deny"


def test_a_posted_profile_that_softens_them_is_refused_naming_each_field() -> None:
    with pytest.raises(ProfileError) as info:
        WeightProfile.from_dict(CRAFTED, refuse_softened=True)
    fields = {path for path, _ in info.value.errors}
    assert {f"hard_constraints.{t}" for t in PLACEMENT_TYPES} <= fields
    assert {f"permit_rules.{t}.prohibited" for t in PLACEMENT_TYPES} <= fields


def test_a_posted_profile_keeping_them_is_accepted() -> None:
    body = {
        "hard_constraints": {
            "work_trial": ["consent"],
            "job": [c for c in CONSTRAINTS if c != "commute"],
        },
        "permit_rules": {"work_trial": {"prohibited": "deny"}},
    }
    profile = WeightProfile.from_dict(body, refuse_softened=True)
    assert not profile.is_hard("commute", "job")
    assert profile.permit_rules["work_trial"]["prohibited"] == "deny"
