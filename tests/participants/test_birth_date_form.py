"""A birth date is written YYYY-MM-DD, as the schema says (a number was read as a Unix time).

``birth_date: 0`` and ``"0"`` were stored as 1970-01-01, while the OpenAPI document declares a
string of the form YYYY-MM-DD; now they are a 422 naming the field, on create and on PATCH.
"""

from __future__ import annotations

import pytest

from tests.builders import make_participant, participant_body


@pytest.mark.parametrize("value", [0, "0", 788_918_400])
def test_a_number_is_no_birth_date(client, value) -> None:
    created = client.post("/api/v1/participants", json=participant_body(birth_date=value))
    assert created.status_code == 422, created.text
    assert [e["field"] for e in created.json()["errors"]] == ["birth_date"]
    person = make_participant(client)
    url = f"/api/v1/participants/{person['id']}"
    changed = client.patch(url, json={"birth_date": value})
    assert changed.status_code == 422, changed.text
    assert [e["field"] for e in changed.json()["errors"]] == ["birth_date"]
    assert client.get(url).json()["birth_date"] == "1994-03-12"
