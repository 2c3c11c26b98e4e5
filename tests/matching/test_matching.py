"""Rankings through the HTTP API on crafted cases (issue: scoring engine and ranking API)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.builders import make_employer, make_participant, make_vacancy

TODAY = date.today()
START = (TODAY + timedelta(days=60)).isoformat()
PICKING = "http://data.europa.eu/esco/skill/ee5e2297-39cc-4ed6-89e5-d58016118a7f"
FORKLIFT = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"


def person(client, **overrides):
    body = {
        "site": "borna",
        "german_level": "B1",
        "expected_b1_date": None,
        "home_postal_code": "04552",
        "skills": [{"skill_id": PICKING, "level": 3, "source": "assessed"}],
        "occupations": [],
        "mobility": {
            "has_car": True,
            "driving_licences": ["B"],
            "has_bike": True,
            "max_commute_minutes": 60,
        },
        "availability": {
            "earliest_start": TODAY.isoformat(),
            "hours_per_week": 40,
            "shifts": ["early", "day", "late"],
        },
        "preferences": {"placement_types": [], "fields_wanted": [], "fields_excluded": []},
        "work_permit": {
            "status": "permitted",
            "valid_until": (TODAY + timedelta(days=900)).isoformat(),
        },
        "consent": {"processing": True, "share_with_employers": True},
    }
    body.update(overrides)
    return make_participant(client, **body)


def job(client, employer_id, **overrides):
    body = {
        "employer_id": employer_id,
        "type": "job",
        "occupation": None,
        "skills": [{"skill_id": PICKING, "importance": "must", "level": 2}],
        "min_german_level": "B1",
        "german_tolerance": 1,
        "postal_code": "04552",
        "shifts": ["day"],
        "hours_per_week": 40,
        "openings": 2,
        "start_date": START,
        "valid_through": (TODAY + timedelta(days=120)).isoformat(),
    }
    body.update(overrides)
    return make_vacancy(client, **body)


@pytest.fixture
def employer(client):
    return make_employer(client, support=[])


def ranked_ids(client, vacancy_id, **params):
    response = client.get(f"/api/v1/vacancies/{vacancy_id}/matches", params=params)
    assert response.status_code == 200, response.text
    return [item["participant_id"] for item in response.json()["items"]]


def explain(client, participant_id, vacancy_id, **params):
    response = client.get(
        "/api/v1/matches/explain",
        params={"participant_id": participant_id, "vacancy_id": vacancy_id} | params,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_language_tolerance_orders_and_excludes(client, employer):
    vacancy = job(client, employer["id"])
    b1 = person(client, german_level="B1")
    a2 = person(client, german_level="A2")
    a1 = person(client, german_level="A1")
    assert ranked_ids(client, vacancy["id"]) == [b1["id"], a2["id"]]
    why_not = explain(client, a1["id"], vacancy["id"])
    assert why_not["eligible"] is False
    assert [f["name"] for f in why_not["failed_constraints"]] == ["language"]
    assert set(why_not["components"]) == {
        "language",
        "skills",
        "occupation",
        "commute",
        "preferences",
    }


def test_expected_b1_before_start_passes(client, employer):
    vacancy = job(client, employer["id"], german_tolerance=0)
    waiting = person(
        client, german_level="A2", expected_b1_date=(TODAY + timedelta(days=30)).isoformat()
    )
    too_late = person(
        client, german_level="A2", expected_b1_date=(TODAY + timedelta(days=90)).isoformat()
    )
    assert ranked_ids(client, vacancy["id"]) == [waiting["id"]]
    assert [
        f["name"] for f in explain(client, too_late["id"], vacancy["id"])["failed_constraints"]
    ] == ["language"]


def test_must_skill_excludes_and_nice_skill_raises_score(client, employer):
    vacancy = job(
        client,
        employer["id"],
        skills=[
            {"skill_id": PICKING, "importance": "must", "level": 2},
            {"skill_id": FORKLIFT, "importance": "nice", "level": 1},
        ],
    )
    plain = person(client)
    with_forklift = person(
        client,
        skills=[
            {"skill_id": PICKING, "level": 3, "source": "assessed"},
            {"skill_id": FORKLIFT, "level": 2, "source": "certified"},
        ],
    )
    without_must = person(client, skills=[{"skill_id": FORKLIFT, "level": 2}])
    response = client.get(f"/api/v1/vacancies/{vacancy['id']}/matches").json()
    assert [i["participant_id"] for i in response["items"]] == [with_forklift["id"], plain["id"]]
    assert response["items"][0]["score"] > response["items"][1]["score"]
    assert [
        f["name"] for f in explain(client, without_must["id"], vacancy["id"])["failed_constraints"]
    ] == ["must_skill"]


def test_commute_without_car_from_wurzen(client, employer):
    in_wurzen = job(client, employer["id"], postal_code="04808")
    in_frohburg = job(client, employer["id"], postal_code="04654")
    walker = person(
        client,
        home_postal_code="04808",
        site="wurzen",
        mobility={"has_car": False, "has_bike": True, "max_commute_minutes": 45},
    )
    ranking = client.get(f"/api/v1/participants/{walker['id']}/matches").json()
    assert [i["vacancy_id"] for i in ranking["items"]] == [in_wurzen["id"]]
    failed = explain(client, walker["id"], in_frohburg["id"])["failed_constraints"]
    assert [f["name"] for f in failed] == ["commute"]
    driver = person(client, home_postal_code="04808", site="wurzen")
    driving = client.get(f"/api/v1/participants/{driver['id']}/matches").json()
    assert {i["vacancy_id"] for i in driving["items"]} == {in_wurzen["id"], in_frohburg["id"]}


def test_prohibited_permit_excludes_jobs(client, employer):
    vacancy = job(client, employer["id"])
    barred = person(client, work_permit={"status": "prohibited"})
    assert ranked_ids(client, vacancy["id"]) == []
    assert "work_permit" in [
        f["name"] for f in explain(client, barred["id"], vacancy["id"])["failed_constraints"]
    ]


def test_score_is_sum_of_contributions_and_order_is_stable(client, employer):
    for postal_code in ("04552", "04668", "04416"):
        job(client, employer["id"], postal_code=postal_code)
    p = person(client)
    first = client.get(f"/api/v1/participants/{p['id']}/matches").json()
    second = client.get(f"/api/v1/participants/{p['id']}/matches").json()
    assert first == second
    assert first["weight_profile"] == {"name": "default", "version": 1}
    assert len(first["items"]) == 3
    for item in first["items"]:
        total = sum(c["contribution"] for c in item["components"].values())
        assert item["score"] == pytest.approx(total, abs=1e-9)
        assert 0 <= item["score"] <= 100
        assert all(c["reason"] for c in item["components"].values())
    scores = [i["score"] for i in first["items"]]
    assert scores == sorted(scores, reverse=True)


def test_reasons_in_german_and_english(client, employer):
    vacancy = job(client, employer["id"])
    p = person(client, german_level="A2")
    german = explain(client, p["id"], vacancy["id"])["components"]["language"]["reason"]
    english = explain(client, p["id"], vacancy["id"], lang="en")["components"]["language"]["reason"]
    assert "Deutsch" in german and "German" in english
    by_header = client.get(
        "/api/v1/matches/explain",
        params={"participant_id": p["id"], "vacancy_id": vacancy["id"]},
        headers={"Accept-Language": "en-GB,en;q=0.9"},
    ).json()
    assert by_header["components"]["language"]["reason"] == english


def test_weight_profile_without_language_changes_the_order(client, employer):
    vacancy = job(client, employer["id"], postal_code="04552")
    near_a2 = person(client, german_level="A2", home_postal_code="04552")
    far_c1 = person(client, german_level="C1", home_postal_code="04668", site="grimma")
    assert ranked_ids(client, vacancy["id"]) == [far_c1["id"], near_a2["id"]]
    created = client.post(
        "/api/v1/weight-profiles",
        json={
            "name": "default",
            "weights": {
                "language": 0,
                "skills": 0.25,
                "occupation": 0.1,
                "commute": 0.5,
                "preferences": 0.15,
            },
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["version"] == 2 and created.json()["active"] is False
    what_if = client.get(
        f"/api/v1/vacancies/{vacancy['id']}/matches", params={"profile": "default", "version": 2}
    ).json()
    assert what_if["weight_profile"] == {"name": "default", "version": 2}
    assert [i["participant_id"] for i in what_if["items"]] == [near_a2["id"], far_c1["id"]]
    assert (
        client.post(f"/api/v1/weight-profiles/{created.json()['id']}/activate").status_code == 200
    )
    active = client.get(f"/api/v1/vacancies/{vacancy['id']}/matches").json()
    assert active["weight_profile"] == {"name": "default", "version": 2}
    assert [i["participant_id"] for i in active["items"]] == [near_a2["id"], far_c1["id"]]


def test_invalid_weight_profile_is_422_naming_the_field(client):
    response = client.post(
        "/api/v1/weight-profiles",
        json={
            "name": "broken",
            "weights": {"language": -1},
            "hard_constraints": {"job": ["work_permit", "astrology"]},
        },
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"weights.language", "hard_constraints.job"} <= fields
    assert client.get("/api/v1/weight-profiles", params={"name": "broken"}).json()["items"] == []


def test_used_profile_cannot_be_deleted(client, employer):
    created = client.post("/api/v1/weight-profiles", json={"name": "trial"}).json()
    vacancy = job(client, employer["id"])
    client.post(f"/api/v1/weight-profiles/{created['id']}/activate")
    client.get(f"/api/v1/vacancies/{vacancy['id']}/matches")  # ranked while active: used
    (default,) = client.get("/api/v1/weight-profiles", params={"name": "default"}).json()["items"]
    client.post(f"/api/v1/weight-profiles/{default['id']}/activate")
    assert client.delete(f"/api/v1/weight-profiles/{created['id']}").status_code == 409
    tried = client.post("/api/v1/weight-profiles", json={"name": "trial"}).json()
    client.get(f"/api/v1/vacancies/{vacancy['id']}/matches", params={"profile": "trial"})
    assert client.delete(f"/api/v1/weight-profiles/{tried['id']}").status_code == 204


def test_index_follows_writes(client, employer):
    vacancy = job(client, employer["id"])
    p = person(client)
    assert ranked_ids(client, vacancy["id"]) == [p["id"]]
    client.patch(f"/api/v1/participants/{p['id']}", json={"german_level": "A1"})
    assert ranked_ids(client, vacancy["id"]) == []
    client.patch(f"/api/v1/participants/{p['id']}", json={"german_level": "B2"})
    assert ranked_ids(client, vacancy["id"]) == [p["id"]]
    client.delete(f"/api/v1/vacancies/{vacancy['id']}")
    assert client.get(f"/api/v1/participants/{p['id']}/matches").json()["items"] == []


def test_type_filter_pagination_and_batch(client, employer):
    trial = job(client, employer["id"], type="work_trial")
    jobs = [job(client, employer["id"]) for _ in range(3)]
    p = person(client)
    only_trials = client.get(
        f"/api/v1/participants/{p['id']}/matches", params={"type": "work_trial"}
    ).json()
    assert [i["vacancy_id"] for i in only_trials["items"]] == [trial["id"]]
    seen, cursor = [], None
    while True:
        page = client.get(
            f"/api/v1/participants/{p['id']}/matches",
            params={"limit": 2} | ({"cursor": cursor} if cursor else {}),
        ).json()
        seen += [i["vacancy_id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    full = client.get(f"/api/v1/participants/{p['id']}/matches").json()
    assert seen == [i["vacancy_id"] for i in full["items"]]
    assert sorted(seen) == sorted([trial["id"], *[j["id"] for j in jobs]])
    other = person(client, german_level="A1")
    batch = client.post(
        "/api/v1/matches/batch", json={"participant_ids": [p["id"], other["id"]], "limit": 2}
    )
    assert batch.status_code == 200, batch.text
    results = batch.json()["results"]
    assert [r["participant_id"] for r in results] == [p["id"], other["id"]]
    assert [i["vacancy_id"] for i in results[0]["ranking"]["items"]] == seen[:2]
    missing = client.post("/api/v1/matches/batch", json={"participant_ids": [p["id"], 9999]})
    assert missing.status_code == 404


def test_writes_of_another_process_reach_this_index(client, settings, employer):
    """Two app instances on one database stand in for two workers or replicas."""
    from fastapi.testclient import TestClient

    from kai_match.main import create_app

    vacancy = job(client, employer["id"])
    headers = dict(client.headers)
    with TestClient(create_app(settings), headers=headers) as other_worker:
        assert ranked_ids(other_worker, vacancy["id"]) == []
        p = person(client)
        assert ranked_ids(other_worker, vacancy["id"]) == [p["id"]]
        client.patch(f"/api/v1/participants/{p['id']}", json={"consent": {"processing": False}})
        assert ranked_ids(other_worker, vacancy["id"]) == []


def test_explain_adds_the_routing_server_time_when_configured(client, employer):
    import httpx

    from kai_match.data.geo import HttpRouter

    def osrm(request: httpx.Request) -> httpx.Response:
        assert request.url.path.startswith("/route/v1/")
        return httpx.Response(200, json={"code": "Ok", "routes": [{"duration": 1500.0}]})

    vacancy = job(client, employer["id"], postal_code="04668")
    p = person(client)
    assert explain(client, p["id"], vacancy["id"])["routed_commute"] is None
    client.app.state.router = HttpRouter(
        osrm_url="http://osrm.invalid", client=httpx.Client(transport=httpx.MockTransport(osrm))
    )
    routed = explain(client, p["id"], vacancy["id"])["routed_commute"]
    assert routed["source"] == "osrm"
    assert routed["minutes"] >= 25


def test_activation_in_another_process_changes_this_process_rankings(client, settings, employer):
    """The active profile is remembered per process, yet an activation made elsewhere (another
    worker or replica) is seen by the very next ranking here, via the change log."""
    from fastapi.testclient import TestClient

    from kai_match.main import create_app

    vacancy = job(client, employer["id"], postal_code="04552")
    near_a2 = person(client, german_level="A2", home_postal_code="04552")
    far_c1 = person(client, german_level="C1", home_postal_code="04668", site="grimma")
    with TestClient(create_app(settings), headers=dict(client.headers)) as other_worker:
        before = other_worker.get(f"/api/v1/vacancies/{vacancy['id']}/matches").json()
        assert before["weight_profile"] == {"name": "default", "version": 1}
        assert [i["participant_id"] for i in before["items"]] == [far_c1["id"], near_a2["id"]]
        weights = {
            "language": 0,
            "skills": 0.25,
            "occupation": 0.1,
            "commute": 0.5,
            "preferences": 0.15,
        }
        created = client.post(
            "/api/v1/weight-profiles", json={"name": "default", "weights": weights}
        ).json()
        unchanged = other_worker.get(f"/api/v1/vacancies/{vacancy['id']}/matches").json()
        assert unchanged["weight_profile"] == {"name": "default", "version": 1}
        client.post(f"/api/v1/weight-profiles/{created['id']}/activate")
        after = other_worker.get(f"/api/v1/vacancies/{vacancy['id']}/matches").json()
        assert after["weight_profile"] == {"name": "default", "version": 2}
        assert [i["participant_id"] for i in after["items"]] == [near_a2["id"], far_c1["id"]]


def test_active_profile_lookup_that_raced_an_activation_is_not_remembered():
    from kai_match.matching.indexes import MatchingIndexes
    from kai_match.scoring import DEFAULT_PROFILE

    indexes = MatchingIndexes()
    looked_up_at = indexes.profile_generation
    indexes._forget_active_profile()  # the change log showed an activation meanwhile
    indexes.remember_active_profile(DEFAULT_PROFILE, looked_up_at)
    assert indexes.active_profile is None
    indexes.remember_active_profile(DEFAULT_PROFILE, indexes.profile_generation)
    assert indexes.active_profile is DEFAULT_PROFILE
