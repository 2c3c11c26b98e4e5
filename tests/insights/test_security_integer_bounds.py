"""Report parameters beyond the columns' range are a 422 naming them, not a 500."""

from __future__ import annotations

import pytest

from kai_match.models.common import MAX_RECORD_ID


@pytest.mark.parametrize("version", [MAX_RECORD_ID + 1, 10**20])
def test_a_fairness_version_beyond_the_range_is_422_on_version(client, version):
    response = client.get(
        "/api/v1/reports/fairness", params={"profile": "default", "version": version}
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["version"]
