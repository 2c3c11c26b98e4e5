"""PATCH with null: the OpenAPI document and the answers agree, both derived from the tables.

For every PATCH operation in the OpenAPI document, every field of its body is sent as null. A
field the schema declares nullable is accepted (200): a column is cleared, a nested part or a
list is left as it is. A field it declares non-nullable is a 422 naming it, and nothing changes.
Both sides come from the columns' ``nullable``: the schema from ``models.common.PatchModel``,
the refusal from ``kit.patching.null_errors``, so a new non-null column can never answer 500
nor be promised as nullable.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table

from kai_match.config import Settings
from kai_match.kit.patching import null_errors
from kai_match.main import create_app
from kai_match.models import (
    Employer,
    Participant,
    ParticipantPersonal,
    Placement,
    Vacancy,
)
from kai_match.models.common import PatchModel, ShortText, non_null_columns
from kai_match.models.employer import EmployerUpdate
from kai_match.models.participant import ParticipantUpdate
from kai_match.models.placement import PlacementUpdate
from kai_match.models.vacancy import VacancyUpdate
from kai_match.models.webhook import WebhookEndpoint, WebhookUpdate
from tests.builders import make_employer, make_participant, make_placement, make_vacancy

DOCUMENT = create_app(Settings(database_url="sqlite://", auto_migrate=False)).openapi()
PATCH_PATHS = sorted(path for path, ops in DOCUMENT["paths"].items() if "patch" in ops)

# PATCH schema → the tables its fields are stored in
PATCHES = {
    "/api/v1/participants/{participant_id}": (
        ParticipantUpdate,
        (Participant, ParticipantPersonal),
    ),
    "/api/v1/employers/{employer_id}": (EmployerUpdate, (Employer,)),
    "/api/v1/vacancies/{vacancy_id}": (VacancyUpdate, (Vacancy,)),
    "/api/v1/placements/{placement_id}": (PlacementUpdate, (Placement,)),
    "/api/v1/webhooks/{webhook_id}": (WebhookUpdate, (WebhookEndpoint,)),
}
# Values for the nullable columns first, so that clearing them is seen.
FILLED = {
    "/api/v1/participants/{participant_id}": {
        "counsellor": "Frau Weber",
        "email": "amina@example.org",
        "phone": "0341 123456",
        "course_state": "attending",
    },
    "/api/v1/employers/{employer_id}": {"contact_name": "Herr Roth", "contact_phone": "0341 9"},
    "/api/v1/vacancies/{vacancy_id}": {
        "description": "Kommissionieren im Lager",
        "end_date": "2027-06-30",
        "driving_licence_required": "B",
    },
    "/api/v1/placements/{placement_id}": {
        "note": "Erstes Gespräch",
        "trial_start": "2027-01-10",
        "trial_end": "2027-01-20",
    },
    "/api/v1/webhooks/{webhook_id}": {"events": ["placement.changed"]},
}
# A public address given as a literal, so registering needs no DNS (the SSRF guard resolves).
WEBHOOK = {"url": "https://93.184.215.14/kai-match", "events": ["vacancy.status_changed"]}
# Not columns, and null clears them all the same (a vacancy's occupation is its three columns).
CLEARED_BY_NULL = {("/api/v1/vacancies/{vacancy_id}", "occupation")}


def _body_schema(path: str) -> dict[str, Any]:
    content = DOCUMENT["paths"][path]["patch"]["requestBody"]["content"]["application/json"]
    reference = content["schema"]["$ref"].removeprefix("#/components/schemas/")
    return DOCUMENT["components"]["schemas"][reference]


def _nullable(prop: dict[str, Any]) -> bool:
    types = prop.get("type")
    return {"type": "null"} in prop.get("anyOf", []) or (
        isinstance(types, list) and "null" in types
    )


def _url(client, path: str) -> str:
    employer = make_employer(client)
    vacancy = make_vacancy(client, employer_id=employer["id"])
    participant = make_participant(client)
    placement = make_placement(client, participant["id"], vacancy["id"])
    webhook = client.post("/api/v1/webhooks", json=WEBHOOK)
    assert webhook.status_code == 201, webhook.text
    ids = {
        "webhook_id": webhook.json()["id"],
        "participant_id": participant["id"],
        "employer_id": employer["id"],
        "vacancy_id": vacancy["id"],
        "placement_id": placement["id"],
    }
    url = path.format(**ids)
    filled = client.patch(url, json=FILLED[path])
    assert filled.status_code == 200, filled.text
    return url


def test_every_patch_operation_is_swept():
    """A new PATCH route needs its schema, tables and values here, or this fails."""
    assert PATCH_PATHS == sorted(PATCHES) == sorted(FILLED)


@pytest.mark.parametrize("path", PATCH_PATHS)
def test_null_is_answered_as_the_schema_says(client, path: str):
    url = _url(client, path)
    schema = _body_schema(path)
    columns = {c.name for table in PATCHES[path][1] for c in table.__table__.columns}
    assert schema["properties"], path
    for field, prop in schema["properties"].items():
        before = client.get(url).json()
        response = client.patch(url, json={field: None})
        after = client.get(url).json()
        if _nullable(prop):
            assert response.status_code == 200, (field, response.text)
            if field in columns or (path, field) in CLEARED_BY_NULL:
                assert after.get(field) is None, (field, after.get(field))
            else:  # a nested part or a list: null leaves it as it is
                assert after.get(field) == before.get(field), field
        else:
            assert response.status_code == 422, (field, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            errors = {e["field"]: e["message"] for e in response.json()["errors"]}
            assert errors == {field: "must not be null"}, (field, errors)
            assert after == before, field


def test_the_schema_follows_the_columns():
    """Nullable in the document exactly where the column may hold null (or is no column)."""
    for path, (model, tables) in PATCHES.items():
        refused = non_null_columns(*tables)
        properties = _body_schema(path)["properties"]
        assert set(properties) == set(model.model_fields), path
        declared = {name for name, prop in properties.items() if not _nullable(prop)}
        assert declared == refused & set(properties), path


def test_the_sweep_covers_required_fields():
    """Guards the sweep itself: the schemas do have fields stored in non-null columns."""
    covered = {
        path: {n for n, p in _body_schema(path)["properties"].items() if not _nullable(p)}
        for path in PATCHES
    }
    assert {"first_name", "german_level", "site"} <= covered[
        "/api/v1/participants/{participant_id}"
    ]
    assert {"name", "postal_code"} <= covered["/api/v1/employers/{employer_id}"]
    assert {"title", "openings", "shifts"} <= covered["/api/v1/vacancies/{vacancy_id}"]
    assert {"sector", "contact_email"}.isdisjoint(covered["/api/v1/employers/{employer_id}"])


class _Thing:
    __table__ = Table(
        "thing",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("label", String, nullable=False),
        Column("brand_new_flag", Boolean, nullable=False),
        Column("note", String, nullable=True),
    )


def test_null_errors_follow_a_new_non_null_column():
    """A column added the obvious way (nullable=False) is covered without touching the rule."""
    changed = {"label": "x", "brand_new_flag": None, "note": None, "not_a_column": None}
    errors = null_errors(changed, _Thing)
    assert [(e.field, e.message) for e in errors] == [("brand_new_flag", "must not be null")]


def test_the_schema_follows_a_new_non_null_column():
    """The same column is non-nullable in a PATCH schema without a word in the model."""

    class ThingUpdate(PatchModel):
        patch_tables = (_Thing,)

        label: ShortText | None = None
        brand_new_flag: bool | None = None
        note: str | None = None
        parts: list[str] | None = None

    properties = ThingUpdate.model_json_schema()["properties"]
    assert properties["brand_new_flag"] == {"title": "Brand New Flag", "type": "boolean"}
    assert properties["label"] == {
        "title": "Label",
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
    }
    assert _nullable(properties["note"]) and _nullable(properties["parts"])
