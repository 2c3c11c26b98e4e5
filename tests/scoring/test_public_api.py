"""The public API of kai_match.scoring is exactly what __init__ exports."""

from __future__ import annotations

import kai_match.scoring as scoring

EXPECTED = {
    "CEFR_LEVELS",
    "COMPONENTS",
    "CONSTRAINTS",
    "DEFAULT_PROFILE",
    "MODES",
    "PLACEMENT_TYPES",
    "SHIFTS",
    "CommuteModel",
    "Component",
    "ConstraintFailure",
    "Experience",
    "Explanation",
    "Flag",
    "HeldSkill",
    "LanguageLevel",
    "MatchItem",
    "ParticipantIndex",
    "ParticipantProfile",
    "ProfileError",
    "RankingContext",
    "RankingResult",
    "RelatedSkills",
    "RequiredSkill",
    "ScoringParams",
    "SkillName",
    "VacancyIndex",
    "VacancyProfile",
    "WeightProfile",
    "explain",
    "rank_participants",
    "rank_vacancies",
}


def test_all_is_pinned() -> None:
    assert set(scoring.__all__) == EXPECTED
    assert len(scoring.__all__) == len(EXPECTED)


def test_every_export_exists() -> None:
    for name in scoring.__all__:
        assert getattr(scoring, name) is not None


def test_vocabularies_are_the_contract_names() -> None:
    assert scoring.CONSTRAINTS == (
        "work_permit",
        "consent",
        "language",
        "commute",
        "driving_licence",
        "must_skill",
        "openings",
        "dates",
        "status",
    )
    assert scoring.COMPONENTS == ("language", "skills", "occupation", "commute", "preferences")
    assert scoring.MODES == ("walk", "bike", "public_transport", "car")
    assert scoring.CEFR_LEVELS == ("A1", "A2", "B1", "B2", "C1", "C2")


def test_fake_commute_satisfies_the_protocol() -> None:
    from .fakes import FakeCommute

    assert isinstance(FakeCommute(), scoring.CommuteModel)
