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
    "off_peak_for",
    "rank_participants",
    "rank_vacancies",
}


def test_all_is_pinned() -> None:
    assert set(scoring.__all__) == EXPECTED
    assert len(scoring.__all__) == len(EXPECTED)


def test_off_peak_for_judges_the_shifts_the_person_would_work() -> None:
    early_day = {"early", "day"}
    assert scoring.off_peak_for(["day"], early_day) is False
    assert scoring.off_peak_for(["early"], early_day) is True
    assert scoring.off_peak_for([], early_day) is False  # nothing recorded: the best case
    assert scoring.off_peak_for(["day"], {"early", "night"}) is True  # has to take one of them
    assert scoring.off_peak_for(["night"], set()) is False  # no shifts stated: daytime


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
        "schedule",
        "recognition",
    )
    assert scoring.COMPONENTS == ("language", "skills", "occupation", "commute", "preferences")
    assert scoring.MODES == ("walk", "bike", "public_transport", "car", "shuttle")
    assert scoring.CEFR_LEVELS == ("A1", "A2", "B1", "B2", "C1", "C2")


def test_fake_commute_satisfies_the_protocol() -> None:
    from .fakes import FakeCommute

    assert isinstance(FakeCommute(), scoring.CommuteModel)
