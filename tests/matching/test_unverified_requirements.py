"""A requirement no skill concept was found for is never dropped silently (issue 14, item 2).

It stays on the vacancy with the closest skills as suggestions, every ranking item carries the
flag ``unverified_requirement``, the skills component counts it as not covered, and mapping it
to a skill by PATCH ends all of that. SQLite and PostgreSQL.
"""

from __future__ import annotations

from tests.builders import PICKING, matching_job, matching_person
from tests.world import World

C1 = {"german_level": "C1"}  # the world's people never qualify, so each list holds ours alone
JOB_C1 = {"min_german_level": "C1"}
DATEV = {"name": "DATEV", "importance": "must", "level": 2}


def _explain(client, participant_id: int, vacancy_id: int, **params) -> dict:
    response = client.get(
        "/api/v1/matches/explain",
        params={"participant_id": participant_id, "vacancy_id": vacancy_id} | params,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_an_unrecognised_must_is_flagged_not_dropped(client, world: World):
    payroll = matching_job(client, world.employer_a["id"], skills=[DATEV], **JOB_C1)
    assert payroll["skills"][0]["normalized"] is False
    assert payroll["skills"][0]["name"] == "DATEV"
    assert len(payroll["skills"][0]["suggestions"]) <= 3
    driver = matching_person(client, **C1)  # a picker: no payroll skills at all

    why = _explain(client, driver["id"], payroll["id"])
    assert why["eligible"] is True  # the profile's default flags rather than excludes
    assert ("unverified_requirement", "Anforderung „DATEV“ nicht geprüft") in [
        (f["code"], f["reason"]) for f in why["flags"]
    ]
    skills = why["components"]["skills"]
    assert skills["value"] == 0.0
    assert skills["reason"] == "Nicht geprüft: „DATEV“ (Pflicht)"
    english = _explain(client, driver["id"], payroll["id"], lang="en")
    assert ("unverified_requirement", "Requirement „DATEV“ not checked") in [
        (f["code"], f["reason"]) for f in english["flags"]
    ]
    ranking = client.get(f"/api/v1/vacancies/{payroll['id']}/matches").json()
    assert [item["participant_id"] for item in ranking["items"]] == [driver["id"]]
    assert "unverified_requirement" in [f["code"] for f in ranking["items"][0]["flags"]]

    # Mapped to a skill, the requirement is checked like any other: no flag, real credit.
    etag = client.get(f"/api/v1/vacancies/{payroll['id']}").headers["ETag"]
    mapped = client.patch(
        f"/api/v1/vacancies/{payroll['id']}",
        json={"skills": [{"skill_id": PICKING, "importance": "must", "level": 2}]},
        headers={"If-Match": etag},
    )
    assert mapped.status_code == 200, mapped.text
    after = _explain(client, driver["id"], payroll["id"])
    assert "unverified_requirement" not in [f["code"] for f in after["flags"]]
    assert after["components"]["skills"]["value"] > 0.5


def test_a_profile_may_exclude_on_an_unverified_must(client, world: World):
    payroll = matching_job(
        client,
        world.employer_a["id"],
        skills=[DATEV, {"skill_id": PICKING, "importance": "should", "level": 1}],
        **JOB_C1,
    )
    driver = matching_person(client, **C1)
    strict = client.post(
        "/api/v1/weight-profiles",
        json={"name": "strict-requirements", "params": {"unverified_must": "exclude"}},
    )
    assert strict.status_code == 201, strict.text
    version = strict.json()["version"]
    why = _explain(
        client, driver["id"], payroll["id"], profile="strict-requirements", version=version
    )
    assert [(f["name"], f["reason"]) for f in why["failed_constraints"]] == [
        ("must_skill", "Pflichtkenntnis fehlt: „DATEV“")
    ]
    lenient = _explain(client, driver["id"], payroll["id"])
    assert lenient["eligible"] is True
    assert lenient["components"]["skills"]["reason"] == (
        "1 von 1 Kenntnis vorhanden; nicht geprüft: „DATEV“ (Pflicht)"
    )
