"""PATCH with null: derived from the tables, so a new non-null column can never answer 500.

Every field of every PATCH schema is sent as null. A field stored in a non-null column gets a
422 naming it (and nothing changes); any other field is accepted or refused with a 4xx.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table

from kai_match.kit.patching import null_errors
from kai_match.models import (
    Employer,
    Participant,
    ParticipantPersonal,
    Placement,
    Vacancy,
)
from kai_match.models.employer import EmployerUpdate
from kai_match.models.participant import ParticipantUpdate
from kai_match.models.placement import PlacementUpdate
from kai_match.models.vacancy import VacancyUpdate
from tests.builders import make_employer, make_participant, make_placement, make_vacancy

# PATCH schema → the tables its fields are stored in
PATCHES = {
    "participant": (ParticipantUpdate, (Participant, ParticipantPersonal)),
    "employer": (EmployerUpdate, (Employer,)),
    "vacancy": (VacancyUpdate, (Vacancy,)),
    "placement": (PlacementUpdate, (Placement,)),
}


def non_null_columns(tables: tuple[type, ...]) -> set[str]:
    return {c.name for t in tables for c in t.__table__.columns if not c.nullable}


def _urls(client) -> dict[str, str]:
    employer = make_employer(client)
    vacancy = make_vacancy(client, employer_id=employer["id"])
    participant = make_participant(client)
    placement = make_placement(client, participant["id"], vacancy["id"])
    return {
        "participant": f"/api/v1/participants/{participant['id']}",
        "employer": f"/api/v1/employers/{employer['id']}",
        "vacancy": f"/api/v1/vacancies/{vacancy['id']}",
        "placement": f"/api/v1/placements/{placement['id']}",
    }


@pytest.mark.parametrize("kind", sorted(PATCHES))
def test_every_field_patched_to_null(client, kind: str):
    schema, tables = PATCHES[kind]
    url = _urls(client)[kind]
    required = non_null_columns(tables)
    for field in schema.model_fields:
        before = client.get(url).json()
        response = client.patch(url, json={field: None})
        assert response.status_code < 500, (field, response.text)
        if field in required:
            assert response.status_code == 422, (field, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            errors = {e["field"]: e["message"] for e in response.json()["errors"]}
            assert errors == {field: "must not be null"}, (field, errors)
            after = client.get(url).json()
            assert after.get(field) == before.get(field), field
            assert after.get("updated_at") == before.get("updated_at"), field


def test_the_sweep_covers_required_fields():
    """Guards the sweep itself: the schemas do have fields stored in non-null columns."""
    covered = {k: set(s.model_fields) & non_null_columns(t) for k, (s, t) in PATCHES.items()}
    assert {"first_name", "german_level", "site"} <= covered["participant"]
    assert {"name", "postal_code"} <= covered["employer"]
    assert {"title", "openings", "shifts"} <= covered["vacancy"]


def test_null_errors_follow_a_new_non_null_column():
    """A column added the obvious way (nullable=False) is covered without touching the rule."""

    class Thing:
        __table__ = Table(
            "thing",
            MetaData(),
            Column("id", Integer, primary_key=True),
            Column("label", String, nullable=False),
            Column("brand_new_flag", Boolean, nullable=False),
            Column("note", String, nullable=True),
        )

    changed = {"label": "x", "brand_new_flag": None, "note": None, "not_a_column": None}
    errors = null_errors(changed, Thing)
    assert [(e.field, e.message) for e in errors] == [("brand_new_flag", "must not be null")]
