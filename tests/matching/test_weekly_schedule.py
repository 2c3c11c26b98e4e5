"""Weekly times through the HTTP API: course hours, childcare, working times, the shuttle.

The programme's case: German in the morning, work in the afternoon. A shift that meets the
course (commute there and back included) does not fit; once the course has ended it does; an
employer's childcare-friendly hours and shuttle change the answer. SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.builders import TODAY, make_employer, matching_job, matching_person
from tests.world import World

C1 = {"german_level": "C1"}  # the world's people never qualify, so each list holds ours alone
JOB_C1 = {"min_german_level": "C1"}
COURSE_END = TODAY + timedelta(days=40)
COURSE = {
    "kind": "course",
    "when": "Mo–Fr 8:30–12:45",
    "label": "Integrationskurs",
    "valid_until": COURSE_END.isoformat(),
}
WALKER = {"has_car": False, "driving_licences": [], "has_bike": False, "max_commute_minutes": 45}


def _de(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _person(client, commitments: list[dict], **extra) -> dict:
    availability = {
        "earliest_start": TODAY.isoformat(),
        "shifts": ["early", "day", "late"],
        "commitments": commitments,
    }
    return matching_person(client, availability=availability, **C1 | extra)


def _explain(client, participant_id: int, vacancy_id: int, **params) -> dict:
    response = client.get(
        "/api/v1/matches/explain",
        params={"participant_id": participant_id, "vacancy_id": vacancy_id} | params,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_the_course_excludes_an_early_shift_and_leaves_an_afternoon_trial(client, world: World):
    learner = _person(client, [COURSE])
    early = matching_job(
        client, world.employer_a["id"], shifts=["early"], start_date=TODAY.isoformat(), **JOB_C1
    )
    afternoon = matching_job(
        client,
        world.employer_a["id"],
        type="work_trial",
        shifts=["day"],
        working_times=[{"label": "Nachmittag", "windows": [{"when": "Mo–Fr 14:00–18:00"}]}],
        start_date=(TODAY + timedelta(days=7)).isoformat(),
        end_date=(TODAY + timedelta(days=21)).isoformat(),
        **JOB_C1,
    )
    after_course = matching_job(
        client,
        world.employer_a["id"],
        shifts=["early"],
        start_date=(COURSE_END + timedelta(days=1)).isoformat(),
        **JOB_C1,
    )
    ranking = client.get(f"/api/v1/participants/{learner['id']}/matches").json()
    listed = [item["vacancy_id"] for item in ranking["items"]]
    assert afternoon["id"] in listed and after_course["id"] in listed
    assert early["id"] not in listed

    why = _explain(client, learner["id"], early["id"])
    assert [f["name"] for f in why["failed_constraints"]] == ["schedule"]
    assert why["failed_constraints"][0]["reason"] == (
        "Arbeitszeiten passen nicht (mit Hin- und Rückweg): Frühschicht (Mo–Fr 06:00–14:00) "
        "überschneidet sich mit Kurs Mo–Fr 08:30–12:45 – passt ab "
        f"{_de(COURSE_END + timedelta(days=1))}, wenn der Kurs endet"
    )
    english = _explain(client, learner["id"], early["id"], lang="en")
    assert english["failed_constraints"][0]["reason"] == (
        "Working times do not fit, including the commute: early shift (Mon–Fri 06:00–14:00) "
        "clashes with course Mon–Fri 08:30–12:45 – fits from "
        f"{(COURSE_END + timedelta(days=1)).isoformat()}, when the course ends"
    )
    fits = _explain(client, learner["id"], afternoon["id"])
    assert fits["eligible"] is True
    assert "Schichten passen" in fits["components"]["preferences"]["reason"]
    # The candidates of the early job, from the vacancy's side: the learner is not among them.
    candidates = client.get(f"/api/v1/vacancies/{early['id']}/matches").json()
    assert learner["id"] not in [item["participant_id"] for item in candidates["items"]]
    later = client.get(f"/api/v1/vacancies/{after_course['id']}/matches").json()
    assert [item["participant_id"] for item in later["items"]] == [learner["id"]]


def test_the_commute_there_and_back_counts(client, world: World):
    """A shift ending at 8:15 with a course at 8:30: fine next door, not 25 minutes away."""
    morning = {"working_times": [{"windows": [{"when": "Mo–Fr 5:00–8:15"}]}], "shifts": ["early"]}
    near = matching_job(client, world.employer_a["id"], postal_code="04552", **morning, **JOB_C1)
    far = matching_job(client, world.employer_a["id"], postal_code="04668", **morning, **JOB_C1)
    driver = _person(client, [COURSE | {"valid_until": None}], home_postal_code="04552")
    assert _explain(client, driver["id"], near["id"])["eligible"] is True
    far_why = _explain(client, driver["id"], far["id"])
    assert _explain(client, driver["id"], near["id"])["commute_minutes"] < 15
    assert far_why["commute_minutes"] > 15
    assert [f["name"] for f in far_why["failed_constraints"]] == ["schedule"]


def test_a_mixed_vacancy_counts_the_shifts_that_fit(client, world: World):
    both = matching_job(client, world.employer_a["id"], shifts=["early", "late"], **JOB_C1)
    learner = _person(client, [COURSE | {"valid_until": None}])
    why = _explain(client, learner["id"], both["id"])
    assert why["eligible"] is True
    assert "Schichten: 1 von 2 möglich (nicht: Früh)" in why["components"]["preferences"]["reason"]


def test_childcare_friendly_hours_widen_the_fit(client, world: World):
    """Taking the children to the Kita until 8:15 meets an 8:00 start, unless the firm lets the
    day start later."""
    kita = {"kind": "childcare", "when": "Mo–Fr 07:30–08:15"}
    parent = _person(client, [kita])
    friendly = make_employer(client, support=["childcare_friendly_hours"])
    strict = matching_job(client, world.employer_a["id"], shifts=["day"], **JOB_C1)
    flexible = matching_job(client, friendly["id"], shifts=["day"], **JOB_C1)
    assert [
        f["name"] for f in _explain(client, parent["id"], strict["id"])["failed_constraints"]
    ] == ["schedule"]
    flexible_why = _explain(client, parent["id"], flexible["id"])
    assert flexible_why["eligible"] is True, flexible_why
    # Counsellors read which commitment is in the way (employers only that the times clash).
    strict_reason = _explain(client, parent["id"], strict["id"])["failed_constraints"][0]["reason"]
    assert "Kinderbetreuung Mo–Fr 07:30–08:15" in strict_reason


def test_the_shuttle_is_a_mode_from_its_pick_up_places(client, world: World):
    """Kohren-Sahlis has no train; the firm in Borna picks people up there."""
    shuttle = [{"postal_code": "04655", "ride_minutes": 15}]
    with_shuttle = matching_job(client, world.employer_a["id"], shuttle=shuttle, **JOB_C1)
    without = matching_job(client, world.employer_a["id"], **JOB_C1)
    villager = _person(client, [], home_postal_code="04655", mobility=WALKER)
    rides = _explain(client, villager["id"], with_shuttle["id"])
    assert rides["eligible"] is True and rides["commute_mode"] == "shuttle"
    assert "mit dem Shuttle des Betriebs" in rides["components"]["commute"]["reason"]
    walks = _explain(client, villager["id"], without["id"])
    assert walks["commute_mode"] == "public_transport"
    assert [f["name"] for f in walks["failed_constraints"]] == ["commute"]
    shown = client.get(f"/api/v1/vacancies/{with_shuttle['id']}").json()
    assert shown["shuttle"] == [
        {
            "postal_code": "04655",
            "municipality": shown["shuttle"][0]["municipality"],
            "ride_minutes": 15,
        }
    ]
    assert shown["shuttle"][0]["municipality"]


def test_weekly_times_round_trip_and_bad_ones_are_named(client, world: World):
    learner = _person(client, [COURSE])
    stored = client.get(f"/api/v1/participants/{learner['id']}").json()
    assert stored["availability"]["commitments"] == [
        {
            "days": ["mon", "tue", "wed", "thu", "fri"],
            "start": "08:30",
            "end": "12:45",
            "when": "Mo–Fr 08:30–12:45",
            "kind": "course",
            "label": "Integrationskurs",
            "valid_from": None,
            "valid_until": COURSE_END.isoformat(),
        }
    ]
    job = matching_job(client, world.employer_a["id"], shifts=["night"], **JOB_C1)
    assert job["working_times"] == [
        {
            "label": None,
            "shift": "night",
            "windows": [
                {
                    "days": ["mon", "tue", "wed", "thu", "fri"],
                    "start": "22:00",
                    "end": "06:00",
                    "when": "Mo–Fr 22:00–06:00",
                }
            ],
        }
    ]
    bad = client.patch(
        f"/api/v1/participants/{learner['id']}",
        json={"availability": {"commitments": [{"kind": "course", "when": "Mo–Xy 8–12"}]}},
        headers={"If-Match": client.get(f"/api/v1/participants/{learner['id']}").headers["ETag"]},
    )
    assert bad.status_code == 422, bad.text
    fields = [e["field"] for e in bad.json()["errors"]]
    assert fields == ["availability.commitments[0].when"], bad.json()
    assert "Mo, Di" in bad.json()["errors"][0]["message"]
    quarter = client.post(
        "/api/v1/vacancies",
        json={
            "employer_id": world.employer_a["id"],
            "title": "Lager",
            "type": "job",
            "min_german_level": "A2",
            "postal_code": "04552",
            "openings": 1,
            "shifts": ["day"],
            "working_times": [{"windows": [{"days": ["mon"], "start": "06:00", "end": "14:00"}]}],
        },
    )
    assert quarter.status_code == 422, quarter.text
    assert [e["field"] for e in quarter.json()["errors"]] == ["shifts"]
    assert "early" in quarter.json()["errors"][0]["message"]
    unchanged = client.get(f"/api/v1/participants/{learner['id']}").json()
    assert unchanged["availability"]["commitments"] == stored["availability"]["commitments"]
