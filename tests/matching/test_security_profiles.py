"""Weight profiles as a bypass: drafts only for admins and analysts, fixed constraints refused."""

from __future__ import annotations

import pytest

from tests.world import World

DRAFT = "what-if"


def _draft(client, **body) -> dict:
    """A stored, inactive profile version (admins and analysts may create one)."""
    response = client.post("/api/v1/weight-profiles", json={"name": DRAFT} | body)
    assert response.status_code == 201, response.text
    assert response.json()["active"] is False
    return response.json()


def _refused(response) -> None:
    assert response.status_code == 403, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["profile"]


def test_employer_naming_a_draft_is_403_naming_profile(client, world: World):
    _draft(client)
    url = f"/api/v1/vacancies/{world.vacancy_a['id']}/matches"
    employer = world.headers("employer_a")
    _refused(client.get(url, params={"profile": DRAFT}, headers=employer))
    _refused(client.get(url, params={"profile": DRAFT, "version": 1}, headers=employer))
    # No hint whether a name exists: an unknown one is refused alike.
    _refused(client.get(url, params={"profile": "no-such-profile"}, headers=employer))
    # Naming the active profile itself is no bypass.
    active = client.get(url, params={"profile": "default", "version": 1}, headers=employer)
    assert active.status_code == 200, active.text


def test_partner_naming_a_draft_is_403_naming_profile(client, world: World):
    _draft(client)
    partner = world.headers("partner")
    person = world.participant_a["id"]
    _refused(
        client.get(
            f"/api/v1/participants/{person}/matches", params={"profile": DRAFT}, headers=partner
        )
    )
    _refused(
        client.get(
            f"/api/v1/vacancies/{world.vacancy_a['id']}/matches",
            params={"profile": DRAFT},
            headers=partner,
        )
    )
    _refused(
        client.post(
            "/api/v1/matches/batch",
            json={"participant_ids": [person], "profile": DRAFT},
            headers=partner,
        )
    )


def test_counsellor_naming_a_draft_is_403_also_for_explain(client, world: World):
    _draft(client)
    counsellor = world.headers("counsellor_a")
    _refused(
        client.get(
            "/api/v1/matches/explain",
            params={
                "participant_id": world.participant_a["id"],
                "vacancy_id": world.vacancy_a["id"],
                "profile": DRAFT,
            },
            headers=counsellor,
        )
    )
    _refused(
        client.get(
            f"/api/v1/participants/{world.participant_a['id']}/matches",
            params={"profile": DRAFT},
            headers=counsellor,
        )
    )


def test_analyst_ranking_with_a_draft_does_not_mark_it_used(client, world: World):
    analyst = world.headers("analyst")
    created = client.post("/api/v1/weight-profiles", json={"name": DRAFT}, headers=analyst)
    assert created.status_code == 201, created.text
    draft = created.json()
    ranked = client.get(
        f"/api/v1/vacancies/{world.vacancy_a['id']}/matches",
        params={"profile": DRAFT},
        headers=analyst,
    )
    assert ranked.status_code == 200, ranked.text
    assert ranked.json()["weight_profile"] == {"name": DRAFT, "version": 1}
    batch = client.post(
        "/api/v1/matches/batch",
        json={"participant_ids": [world.participant_a["id"]], "profile": DRAFT},
        headers=analyst,
    )
    assert batch.status_code == 200, batch.text
    assert client.get(f"/api/v1/weight-profiles/{draft['id']}").json()["used"] is False
    assert client.delete(f"/api/v1/weight-profiles/{draft['id']}").status_code == 204


def test_ranking_with_the_active_profile_still_marks_it_used(client, world: World):
    client.get(f"/api/v1/vacancies/{world.vacancy_a['id']}/matches")
    (default,) = client.get("/api/v1/weight-profiles", params={"name": "default"}).json()["items"]
    assert default["active"] is True and default["used"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"hard_constraints": {"job": ["work_permit", "language", "status"]}},
            "hard_constraints.job",
        ),
        ({"hard_constraints": {"work_trial": []}}, "hard_constraints.work_trial"),
        ({"hard_constraints": {"job": ["consent", "status"]}}, "hard_constraints.job"),
        ({"permit_rules": {"job": {"prohibited": "flag"}}}, "permit_rules.job.prohibited"),
        (
            {"permit_rules": {"internship": {"prohibited": "allow"}}},
            "permit_rules.internship.prohibited",
        ),
        (
            {"permit_rules": {"work_trial": {"prohibited": "allow"}}},
            "permit_rules.work_trial.prohibited",
        ),
    ],
)
def test_softening_a_fixed_constraint_is_422_naming_the_field(client, body, field):
    response = client.post("/api/v1/weight-profiles", json={"name": "softer"} | body)
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}
    assert client.get("/api/v1/weight-profiles", params={"name": "softer"}).json()["items"] == []


def test_fixed_constraints_are_refused_together_with_other_errors(client):
    response = client.post(
        "/api/v1/weight-profiles",
        json={
            "name": "softer",
            "weights": {"language": -1},
            "hard_constraints": {"job": ["status"]},
        },
    )
    assert response.status_code == 422, response.text
    assert {"weights.language", "hard_constraints.job"} <= {
        e["field"] for e in response.json()["errors"]
    }


def test_stricter_and_other_soft_constraints_are_still_accepted(client):
    response = client.post(
        "/api/v1/weight-profiles",
        json={
            "name": "stricter",
            "hard_constraints": {"work_trial": ["consent"], "job": ["consent", "work_permit"]},
            "permit_rules": {"work_trial": {"prohibited": "deny", "approval_required": "allow"}},
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["permit_rules"]["work_trial"]["prohibited"] == "deny"
