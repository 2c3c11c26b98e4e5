"""A weight-profile version beyond the column's range is a 422 on ``version``, not a 500."""

from __future__ import annotations

import pytest

from kai_match.models.common import MAX_RECORD_ID
from tests.builders import make_participant, make_vacancy


@pytest.mark.parametrize("version", [MAX_RECORD_ID + 1, 10**20])
def test_a_version_beyond_the_range_is_422_on_version(client, version):
    person = make_participant(client)
    vacancy = make_vacancy(client)
    params = {"profile": "default", "version": version}
    for url, extra in (
        (f"/api/v1/participants/{person['id']}/matches", {}),
        (f"/api/v1/vacancies/{vacancy['id']}/matches", {}),
        ("/api/v1/matches/explain", {"participant_id": person["id"], "vacancy_id": vacancy["id"]}),
    ):
        response = client.get(url, params=params | extra)
        assert response.status_code == 422, (url, response.text)
        assert [e["field"] for e in response.json()["errors"]] == ["version"], url


def test_the_largest_version_is_a_404_or_422_of_a_missing_profile(client):
    person = make_participant(client)
    url = f"/api/v1/participants/{person['id']}/matches"
    response = client.get(url, params={"profile": "default", "version": MAX_RECORD_ID})
    assert response.status_code in (404, 422), response.text
    assert [e["field"] for e in response.json()["errors"]] == ["version"]
