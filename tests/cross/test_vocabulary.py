"""One source for every vocabulary: what the API accepts is what the engine knows.

The engine's tuples (``scoring.constants``) are the source; the enums of tables and schemas are
built from them. The pairs that cannot be built from one another are tied together here.
"""

from __future__ import annotations

from typing import get_args

import pytest

from kai_match.models import common
from kai_match.models.analytics import EvaluationRequest, FitRequest
from kai_match.models.placement import (
    EMPLOYER_STATES,
    ENDING_STATES,
    FINAL_STATES,
    FOLLOW_UP_MONTHS,
    FUTURE_ALLOWED,
    HOLDING_STATES,
    OUTCOME_STATES,
    SUCCESS_STATES,
    TRANSITIONS,
    TRIAL_STATES,
    FollowUpIn,
    PlacementState,
)
from kai_match.placements.service import NOT_OVERRIDABLE
from kai_match.scoring import constants
from tests.builders import make_employer, vacancy_body


@pytest.mark.parametrize(
    ("enum", "values"),
    [
        (common.CefrLevel, constants.CEFR_LEVELS),
        (common.Shift, constants.SHIFTS),
        (common.PlacementType, constants.PLACEMENT_TYPES),
        (common.ParticipantStatus, constants.PARTICIPANT_STATUSES),
        (common.VacancyStatus, constants.VACANCY_STATUSES),
        (common.WorkPermitStatus, constants.WORK_PERMITS),
        (common.SkillSource, constants.SKILL_SOURCES),
        (common.Importance, constants.IMPORTANCES),
        (common.DrivingLicence, constants.LICENCE_CLASSES),
    ],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_api_enums_are_the_engine_vocabularies(enum, values):
    assert tuple(member.value for member in enum) == values


def test_every_licence_class_the_engine_knows_is_accepted():
    assert {"B96", "BE", "C1E", "D1E"} <= {m.value for m in common.DrivingLicence}


def test_placement_state_subsets_are_states_of_the_machine():
    states = set(PlacementState)
    assert set(TRANSITIONS) == states
    for subset in (
        EMPLOYER_STATES,
        ENDING_STATES,
        FINAL_STATES,
        FUTURE_ALLOWED,
        HOLDING_STATES,
        SUCCESS_STATES,
        TRIAL_STATES,
        set(OUTCOME_STATES),
    ):
        assert set(subset) <= states
    assert all(nxt <= states for nxt in map(set, TRANSITIONS.values()))
    assert ENDING_STATES <= FINAL_STATES
    assert set(OUTCOME_STATES) == FINAL_STATES | {PlacementState.completed}


def test_success_choices_of_evaluations_are_success_states():
    for schema in (EvaluationRequest, FitRequest):
        choices = get_args(schema.model_fields["success"].annotation)
        assert set(choices) == SUCCESS_STATES


def test_follow_up_months_accepted_by_the_api():
    assert get_args(FollowUpIn.model_fields["month"].annotation) == FOLLOW_UP_MONTHS


def test_constraints_no_override_lifts_are_engine_constraints():
    assert set(NOT_OVERRIDABLE) <= set(constants.CONSTRAINTS)


def test_post_vacancy_accepts_the_car_and_trailer_class_b96(client):
    employer = make_employer(client)
    body = vacancy_body(employer_id=employer["id"], driving_licence_required="B96")
    created = client.post("/api/v1/vacancies", json=body)
    assert created.status_code == 201, created.text
    stored = client.get(f"/api/v1/vacancies/{created.json()['id']}").json()
    assert stored["driving_licence_required"] == "B96"
