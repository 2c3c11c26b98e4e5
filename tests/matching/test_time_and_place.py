"""Working times, commutes and dates through the HTTP API (issue 13, first slice).

The commute is judged at the shifts a person would work; the start slack is only for
time-boxed vacancies; a permit that ends during the placement is flagged with its date.
Runs on SQLite and PostgreSQL (the ``client`` fixture).
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.builders import TODAY, matching_job, matching_person
from tests.world import World

# German C1 required: the world's people never qualify, so each list holds ours alone.
C1 = {"german_level": "C1"}
JOB_C1 = {"min_german_level": "C1"}
NO_CAR = {"has_car": False, "driving_licences": [], "has_bike": False, "max_commute_minutes": 45}


def _de(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _available(shifts: list[str], **extra) -> dict:
    return {"earliest_start": TODAY.isoformat(), "hours_per_week": 40, "shifts": shifts} | extra


def explain(client, participant_id: int, vacancy_id: int, **params) -> dict:
    response = client.get(
        "/api/v1/matches/explain",
        params={"participant_id": participant_id, "vacancy_id": vacancy_id} | params,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_a_no_car_day_worker_keeps_an_early_and_day_job_and_hears_which_shift(client, world: World):
    """Markkleeberg → Leipzig by S-Bahn: within 45 min at the day shift, not at 5 a.m."""
    job = matching_job(
        client, world.employer_a["id"], postal_code="04109", shifts=["early", "day"], **JOB_C1
    )
    common = {"home_postal_code": "04416", "mobility": NO_CAR, **C1}
    day_worker = matching_person(client, availability=_available(["day"]), **common)
    early_bird = matching_person(client, availability=_available(["early"]), **common)

    ranking = client.get(f"/api/v1/vacancies/{job['id']}/matches").json()
    assert [item["participant_id"] for item in ranking["items"]] == [day_worker["id"]]
    fits = explain(client, day_worker["id"], job["id"])
    assert fits["eligible"] is True
    minutes = round(fits["commute_minutes"])
    assert fits["components"]["commute"]["reason"] == (
        f"Pendelzeit ca. {minutes} Min. mit Bus und Bahn zur Tagschicht (Grenze 45 Min.)"
    )
    english = explain(client, day_worker["id"], job["id"], lang="en")
    assert english["components"]["commute"]["reason"] == (
        f"Commute about {minutes} min by public transport to the day shift (limit 45 min)"
    )
    early = explain(client, early_bird["id"], job["id"])
    assert early["commute_minutes"] > 45 > fits["commute_minutes"]
    assert [(f["name"], f["reason"]) for f in early["failed_constraints"]] == [
        (
            "commute",
            f"Pendelzeit ca. {round(early['commute_minutes'])} Min. mit Bus und Bahn zur "
            "Frühschicht, Grenze 45 Min.; zu dieser Zeit kaum Busse",
        )
    ]
    mine = client.get(f"/api/v1/participants/{day_worker['id']}/matches").json()
    assert job["id"] in [item["vacancy_id"] for item in mine["items"]]


def test_a_bike_commute_to_an_early_shift_says_nothing_about_buses(client, world: World):
    job = matching_job(
        client, world.employer_a["id"], postal_code="04808", shifts=["early"], **JOB_C1
    )
    rider = matching_person(
        client,
        home_postal_code="04828",
        mobility=NO_CAR | {"has_bike": True},
        availability=_available(["early"]),
        **C1,
    )
    why = explain(client, rider["id"], job["id"])
    assert why["eligible"] is True and why["commute_mode"] == "bike"
    assert why["components"]["commute"]["reason"] == (
        f"Pendelzeit ca. {round(why['commute_minutes'])} Min. mit dem Fahrrad (Grenze 45 Min.)"
    )


def test_an_open_ended_job_starting_before_the_earliest_start_is_not_excluded(client, world: World):
    start = TODAY + timedelta(days=30)
    earliest = start + timedelta(days=21)  # three weeks later: beyond the 14-day slack
    person = matching_person(
        client, availability=_available(["day"], earliest_start=earliest.isoformat()), **C1
    )
    common = {
        "start_date": start.isoformat(),
        "valid_through": (TODAY + timedelta(days=200)).isoformat(),
        **JOB_C1,
    }
    job = matching_job(client, world.employer_a["id"], type="job", **common)
    week = matching_job(
        client,
        world.employer_a["id"],
        type="job",
        **(common | {"start_date": (earliest - timedelta(days=7)).isoformat()}),
    )
    trial = matching_job(
        client,
        world.employer_a["id"],
        type="work_trial",
        end_date=(start + timedelta(days=42)).isoformat(),  # runs on after the earliest start
        **common,
    )
    listed = client.get(f"/api/v1/participants/{person['id']}/matches").json()["items"]
    ours = {job["id"], week["id"], trial["id"]}
    assert {item["vacancy_id"] for item in listed} & ours == {job["id"], week["id"]}
    assert explain(client, person["id"], job["id"])["eligible"] is True
    failed = explain(client, person["id"], trial["id"])["failed_constraints"]
    fits_from = earliest - timedelta(days=14)
    assert [(f["name"], f["reason"]) for f in failed] == [
        (
            "dates",
            f"Beginn {_de(start)} vor frühestem Start {_de(earliest)} – "
            f"passt bei Beginn ab {_de(fits_from)}",
        )
    ]


def test_a_permit_ending_during_the_placement_is_flagged_for_counsellors_only(client, world: World):
    start = TODAY + timedelta(days=30)
    permit_end = start + timedelta(days=100)  # within the first 180 days of an open-ended job
    person = matching_person(
        client,
        work_permit={"status": "permitted", "valid_until": permit_end.isoformat()},
        **C1,
    )
    job = matching_job(
        client, world.employer_a["id"], type="job", start_date=start.isoformat(), **JOB_C1
    )
    why = explain(client, person["id"], job["id"])
    assert why["eligible"] is True
    assert [(f["code"], f["reason"]) for f in why["flags"]] == [
        (
            "permit_ends_during",
            f"Aufenthaltsdokument endet am {_de(permit_end)}, während der Maßnahme",
        )
    ]
    english = explain(client, person["id"], job["id"], lang="en")
    assert [(f["code"], f["reason"]) for f in english["flags"]] == [
        ("permit_ends_during", f"Permit ends on {permit_end.isoformat()}, during the placement")
    ]
    url = f"/api/v1/vacancies/{job['id']}/matches"
    (item,) = client.get(url).json()["items"]
    assert [f["code"] for f in item["flags"]] == ["permit_ends_during"]
    employer = client.get(url, headers=world.headers("employer_a"))
    assert employer.status_code == 200, employer.text
    (seen,) = employer.json()["items"]
    assert seen["flags"] == []  # permit details stay with counselling
