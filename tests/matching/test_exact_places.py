"""Exact places through the HTTP API (issue 13, item 3).

A postal code is placed at its main place, a record may name its municipality or carry its
coordinates, bad places are a 422 naming the field, and employers see commute minutes in
5-minute steps and nothing of where the person lives. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from tests.builders import TODAY, matching_job, matching_person
from tests.world import World

C1 = {"german_level": "C1"}
JOB_C1 = {"min_german_level": "C1"}
ON_FOOT = {"has_car": False, "driving_licences": [], "has_bike": False, "max_commute_minutes": 45}
BIKE = ON_FOOT | {"has_bike": True}
DAY = {"earliest_start": TODAY.isoformat(), "hours_per_week": 40, "shifts": ["day"]}
# Destatis centres of the municipalities (the shipped table).
WURZEN_CENTRE = (51.37, 12.7352)
LOSSATAL_CENTRE = (51.3979, 12.8729)


def explain(client, participant_id: int, vacancy_id: int) -> dict:
    response = client.get(
        "/api/v1/matches/explain",
        params={"participant_id": participant_id, "vacancy_id": vacancy_id},
    )
    assert response.status_code == 200, response.text
    return response.json()


def errors_of(response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_bennewitz_to_wurzen_is_a_short_ride_not_a_trip_across_three_municipalities(
    client, world: World
):
    """04808 spans Wurzen, Lossatal and Thallwitz; its people and jobs sit in Wurzen now.

    Bennewitz → Wurzen is 2 km (about 3 by road); the centroid of 04808 made it 6.8 km and the
    walk 80 minutes. On foot it is 42 minutes now, by bike 14.
    """
    job = matching_job(client, world.employer_a["id"], postal_code="04808", **JOB_C1)
    walker = matching_person(
        client, home_postal_code="04828", mobility=ON_FOOT, availability=DAY, **C1
    )
    cyclist = matching_person(
        client, home_postal_code="04828", mobility=BIKE, availability=DAY, **C1
    )
    assert job["municipality"] == "Wurzen" and job["municipality_ags"] == "14729410"

    on_foot = explain(client, walker["id"], job["id"])
    assert on_foot["eligible"] is True
    assert (on_foot["commute_mode"], round(on_foot["commute_minutes"])) == ("walk", 42)
    by_bike = explain(client, cyclist["id"], job["id"])
    assert (by_bike["commute_mode"], round(by_bike["commute_minutes"])) == ("bike", 14)
    assert by_bike["components"]["commute"]["reason"] == (
        "Pendelzeit ca. 14 Min. mit dem Fahrrad (Grenze 45 Min.)"
    )


def test_a_named_municipality_and_coordinates_move_the_person(client, world: World):
    """Coordinates first, else the named municipality's centre, else the postal code's place."""
    job = matching_job(client, world.employer_a["id"], postal_code="04808", **JOB_C1)
    body = {"home_postal_code": "04808", "mobility": BIKE, "availability": DAY, **C1}
    in_wurzen = matching_person(client, **body)
    in_lossatal = matching_person(client, home_municipality="lossatal", **body)
    at_the_job = matching_person(
        client,
        home_municipality="14729245",
        home_location={"lat": WURZEN_CENTRE[0], "lon": WURZEN_CENTRE[1]},
        **body,
    )
    assert in_lossatal["home_municipality"] == "Lossatal"
    assert in_lossatal["home_municipality_ags"] == "14729245"
    assert in_lossatal["municipality"] == "Lossatal"
    assert in_wurzen["home_municipality"] is None and in_wurzen["municipality"] == "Wurzen"
    assert at_the_job["home_location"] == {"lat": 51.37, "lon": 12.7352}

    minutes = {
        p["id"]: explain(client, p["id"], job["id"])["commute_minutes"]
        for p in (in_wurzen, in_lossatal, at_the_job)
    }
    # Same point as the job: the local spread of 1.5 km by bike (2 + 1.875 × 4 min).
    assert round(minutes[in_wurzen["id"]], 1) == round(minutes[at_the_job["id"]], 1) == 9.5
    # Lossatal's centre is 10 km east of Wurzen's: over the limit of 45 minutes by bike.
    assert minutes[in_lossatal["id"]] > 45

    ranking = client.get(f"/api/v1/vacancies/{job['id']}/matches").json()
    listed = [item["participant_id"] for item in ranking["items"]]
    assert sorted(listed) == sorted([in_wurzen["id"], at_the_job["id"]])


def test_patch_places_and_clears_them(client, world: World):
    person = matching_person(client, home_postal_code="04808")
    url = f"/api/v1/participants/{person['id']}"

    def patch(body: dict):
        etag = client.get(url).headers["ETag"]
        return client.patch(url, json=body, headers={"If-Match": etag})

    named = patch({"home_municipality": "Thallwitz", "home_location": {"lat": 51.43, "lon": 12.68}})
    assert named.status_code == 200, named.text
    assert named.json()["home_municipality_ags"] == "14729380"
    # A new postal code leaves the stored municipality behind: refused, not dropped.
    moved = patch({"home_postal_code": "04552"})
    assert errors_of(moved) == {
        "home_municipality": "'14729380' is not a municipality of postal code 04552;"
        " must be one of: Borna (14729050)"
    }
    both = patch({"home_postal_code": "04552", "home_municipality": None, "home_location": None})
    assert both.status_code == 200, both.text
    stored = client.get(url).json()
    assert (stored["home_municipality"], stored["home_location"], stored["municipality"]) == (
        None,
        None,
        "Borna",
    )


def test_a_municipality_outside_the_postal_code_is_a_422(client, world: World):
    response = client.post(
        "/api/v1/participants",
        json={
            "site": "wurzen",
            "first_name": "Test",
            "last_name": "Person",
            "birth_date": "1990-01-01",
            "german_level": "A2",
            "home_postal_code": "04808",
            "home_municipality": "Bennewitz",
        },
    )
    assert errors_of(response) == {
        "home_municipality": "'Bennewitz' is not a municipality of postal code 04808;"
        " must be one of: Wurzen (14729410), Lossatal (14729245), Thallwitz (14729380)"
    }
    vacancy = client.post(
        "/api/v1/vacancies",
        json={
            "employer_id": world.employer_a["id"],
            "title": "Lager",
            "type": "job",
            "min_german_level": "A2",
            "postal_code": "04552",
            "openings": 1,
            "municipality": "14729410",
        },
    )
    assert errors_of(vacancy) == {
        "municipality": "'14729410' is not a municipality of postal code 04552;"
        " must be one of: Borna (14729050)"
    }


def test_coordinates_outside_germany_are_a_422(client, world: World):
    response = client.post(
        "/api/v1/vacancies",
        json={
            "employer_id": world.employer_a["id"],
            "title": "Lager",
            "type": "job",
            "min_german_level": "A2",
            "postal_code": "04552",
            "openings": 1,
            "location": {"lat": 12.5, "lon": 51.1},  # swapped
        },
    )
    assert response.status_code == 422, response.text
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"location.lat", "location.lon"}, response.text
    person = client.post(
        "/api/v1/participants",
        json={
            "site": "borna",
            "first_name": "Test",
            "last_name": "Person",
            "birth_date": "1990-01-01",
            "german_level": "A2",
            "home_postal_code": "04552",
            "home_location": {"lat": 51.1, "lon": 16.0},
        },
    )
    assert person.status_code == 422, person.text
    assert {e["field"] for e in person.json()["errors"]} == {"home_location.lon"}


def test_a_vacancy_keeps_its_place_and_shows_it(client, world: World):
    job = matching_job(
        client,
        world.employer_a["id"],
        postal_code="04808",
        municipality="Lossatal",
        location={"lat": 51.4, "lon": 12.87},
    )
    assert (job["municipality"], job["municipality_ags"], job["location"]) == (
        "Lossatal",
        "14729245",
        {"lat": 51.4, "lon": 12.87},
    )
    seen = client.get(f"/api/v1/vacancies/{job['id']}", headers=world.headers("employer_a"))
    assert seen.json()["location"] == {"lat": 51.4, "lon": 12.87}


def test_an_employer_sees_minutes_in_steps_and_no_place_of_the_person(client, world: World):
    job = matching_job(client, world.employer_a["id"], postal_code="04808", **JOB_C1)
    person = matching_person(
        client,
        home_postal_code="04828",
        home_municipality="Bennewitz",
        home_location={"lat": 51.3606, "lon": 12.7109},
        mobility=BIKE,
        availability=DAY,
        **C1,
    )
    exact = explain(client, person["id"], job["id"])["commute_minutes"]
    assert round(exact) == 14

    url = f"/api/v1/vacancies/{job['id']}/matches"
    response = client.get(url, headers=world.headers("employer_a"))
    assert response.status_code == 200, response.text
    (item,) = response.json()["items"]
    assert item["commute_minutes"] == 15.0
    assert item["components"]["commute"]["reason"] == (
        "Pendelzeit ca. 15 Min. mit dem Fahrrad (Grenze 45 Min.)"
    )
    text = response.text
    for secret in ("51.3606", "12.7109", "home_location", "home_municipality", "14729030"):
        assert secret not in text, secret
    page = client.get("/api/v1/participants", headers=world.headers("analyst"))
    assert page.status_code == 200, page.text
    assert page.json()["items"]
    for record in page.json()["items"]:
        assert not {"home_location", "home_municipality", "home_municipality_ags"} & set(record)
    assert "51.3606" not in page.text and "14729030" not in page.text
