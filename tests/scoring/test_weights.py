"""Weight profiles: defaults, JSON round trip and validation errors with field paths."""

from __future__ import annotations

import json

import pytest

from kai_match.scoring import (
    CONSTRAINTS,
    DEFAULT_PROFILE,
    PLACEMENT_TYPES,
    ProfileError,
    ScoringParams,
    WeightProfile,
)


def test_default_profile_round_trips_through_json() -> None:
    data = json.loads(json.dumps(DEFAULT_PROFILE.to_dict()))
    again = WeightProfile.from_dict(data)
    assert again == DEFAULT_PROFILE
    assert again.to_dict() == DEFAULT_PROFILE.to_dict()


def test_defaults_follow_the_domain_rules() -> None:
    rules = DEFAULT_PROFILE.permit_rules
    assert rules["work_trial"]["prohibited"] == "flag"
    for t in ("job", "apprenticeship", "entry_qualification", "internship"):
        assert rules[t]["prohibited"] == "deny"
    assert all(rules[t]["approval_required"] == "flag" for t in PLACEMENT_TYPES)
    assert all(DEFAULT_PROFILE.hard_constraints[t] == set(CONSTRAINTS) for t in PLACEMENT_TYPES)
    assert sum(DEFAULT_PROFILE.weight_shares()) == pytest.approx(1.0)
    assert DEFAULT_PROFILE.params.skill_source_factors == {
        "self_reported": 0.7,
        "assessed": 0.9,
        "certified": 1.0,
    }


def test_partial_dict_keeps_defaults_for_the_rest() -> None:
    p = WeightProfile.from_dict(
        {"name": "trial-friendly", "version": 3, "params": {"related_credit_cap": 0.7}}
    )
    assert (p.name, p.version) == ("trial-friendly", 3)
    assert p.params.related_credit_cap == 0.7
    assert p.params.commute_exponent == DEFAULT_PROFILE.params.commute_exponent
    assert p.weights == DEFAULT_PROFILE.weights


def errors_of(data) -> list[tuple[str, str]]:
    with pytest.raises(ProfileError) as info:
        WeightProfile.from_dict(data)
    assert isinstance(info.value, ValueError)
    return info.value.errors


def test_every_problem_is_reported_with_its_field_path() -> None:
    errors = errors_of(
        {
            "weights": {"language": -1, "skills": 0.2, "vibes": 1},
            "hard_constraints": {"job": ["status", "astrology"], "gig": ["status"]},
            "permit_rules": {"job": {"prohibited": "maybe", "tourist": "deny"}},
        }
    )
    paths = {path for path, _ in errors}
    assert {
        "weights.language",
        "weights.vibes",
        "hard_constraints.job",
        "hard_constraints.gig",
        "permit_rules.job.prohibited",
        "permit_rules.job.tourist",
    } <= paths
    assert ("hard_constraints.job", "unknown constraint 'astrology'") in errors
    assert ("hard_constraints.gig", "unknown placement type") in errors


def test_all_zero_weights_are_rejected() -> None:
    zero = {c: 0 for c in DEFAULT_PROFILE.weights}
    assert errors_of({"weights": zero}) == [("weights", "at least one weight must be > 0")]


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({"skill_source_factors": {"assessed": 1.5}}, "params.skill_source_factors.assessed"),
        ({"related_credit_cap": 2}, "params.related_credit_cap"),
        ({"start_slack_days": -1}, "params.start_slack_days"),
        ({"start_slack_days": 10**9}, "params.start_slack_days"),
        ({"commute_exponent": 0}, "params.commute_exponent"),
        ({"importance_weights": {"must": 0, "should": 0, "nice": 0}}, "params.importance_weights"),
        ({"colour": "blue"}, "params.colour"),
    ],
)
def test_bad_parameters(params, path) -> None:
    assert path in {p for p, _ in errors_of({"params": params})}


def test_wrong_shapes() -> None:
    assert errors_of([1, 2]) == [("", "must be an object")]
    assert ("weights", "must be an object") in errors_of({"weights": [1]})
    assert ("surprise", "unknown field") in errors_of({"surprise": 1})
    assert ("version", "must be an integer ≥ 1") in errors_of({"version": 0})


def test_direct_construction_validates_too() -> None:
    with pytest.raises(ProfileError):
        ScoringParams(literacy_penalty=3.0)
    with pytest.raises(ProfileError):
        WeightProfile(hard_constraints={"job": {"status"}})  # other types missing
