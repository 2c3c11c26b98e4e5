"""What rankings tell employers, partners and analysts (issue 17, items 3 and 4).

Languages a person speaks and whether they read Latin script are close to their origin: outside
counselling, reason texts count wanted languages and leave literacy out, and a vacancy names at
most three wanted languages. A permit's end day must not be found by moving days: ``as_of`` is
for admins and analysts and never in the future, and employer lists check a permit against the
end of the start's quarter, so moving the start day by day shows nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.builders import TODAY, matching_job, matching_person, vacancy_body
from tests.world import World


def _quarter_end(day: date) -> date:
    first_of_next = date(day.year + (day.month > 9), (3 * ((day.month - 1) // 3) + 3) % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


# German C1 required: the world's people (A2) never qualify, so each list holds ours alone.
ONLY_OURS = {"german_level": "C1"}


def _only_item(ranking: dict) -> dict:
    (item,) = ranking["items"]
    return item


def _speaker_and_job(client, world: World):
    person = matching_person(
        client,
        other_languages=[{"code": "ar", "level": "C2"}],
        latin_literacy=False,
        **ONLY_OURS,
    )
    job = matching_job(
        client,
        world.employer_a["id"],
        min_german_level="C1",
        languages_wanted=[{"code": "ar", "level": "B1"}, {"code": "uk", "level": "B1"}],
    )
    return person, job


def test_employers_partners_and_analysts_read_counted_languages_and_no_literacy(
    client, world: World
):
    person, job = _speaker_and_job(client, world)
    url = f"/api/v1/vacancies/{job['id']}/matches"
    full = _only_item(client.get(url).json())["components"]["language"]["reason"]
    assert "erwünschte Sprache vorhanden: Arabisch" in full
    assert "erwünschte Sprache fehlt: Ukrainisch" in full
    assert "lateinisch" in full.lower()

    employer = client.get(url, headers=world.headers("employer_a"))
    assert employer.status_code == 200, employer.text
    restricted = _only_item(employer.json())["components"]["language"]["reason"]
    assert "erwünschte Sprachen: 1 von 2 vorhanden" in restricted
    for hint in (": ar", ": uk", "ar,", "lateinisch", "Latin"):
        assert hint not in restricted, (hint, restricted)
    assert restricted.split("; ")[0] == full.split("; ")[0]  # the German level stays

    partner_view = client.get(
        f"/api/v1/participants/{person['id']}/matches", headers=world.headers("partner")
    )
    assert partner_view.status_code == 200, partner_view.text
    (item,) = [i for i in partner_view.json()["items"] if i["vacancy_id"] == job["id"]]
    reason = item["components"]["language"]["reason"]
    assert "1 von 2 vorhanden" in reason and "lateinisch" not in reason


def test_a_vacancy_names_at_most_three_wanted_languages(client, world: World):
    four = [{"code": c, "level": "A2"} for c in ("ar", "uk", "ru", "fa")]
    body = vacancy_body(employer_id=world.employer_a["id"], languages_wanted=four)
    refused = client.post("/api/v1/vacancies", json=body)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["languages_wanted"]
    patched = client.patch(
        f"/api/v1/vacancies/{world.vacancy_a['id']}", json={"languages_wanted": four}
    )
    assert patched.status_code == 422
    assert [e["field"] for e in patched.json()["errors"]] == ["languages_wanted"]


def test_as_of_is_for_admins_and_analysts_and_never_in_the_future(client, world: World):
    url = f"/api/v1/vacancies/{world.vacancy_a['id']}/matches"
    earlier = (TODAY - timedelta(days=10)).isoformat()
    for role in ("employer_a", "counsellor_a", "partner"):
        refused = client.get(url, params={"as_of": earlier}, headers=world.headers(role))
        assert refused.status_code == 403, (role, refused.text)
        assert refused.json()["errors"] == [
            {"field": "as_of", "message": "is for admins and analysts"}
        ]
    assert client.get(url, params={"as_of": earlier}).status_code == 200
    assert (
        client.get(url, params={"as_of": earlier}, headers=world.headers("analyst")).status_code
        == 200
    )
    future = client.get(url, params={"as_of": (TODAY + timedelta(days=1)).isoformat()})
    assert future.status_code == 422
    assert future.json()["errors"] == [{"field": "as_of", "message": "must not be after today"}]


def test_moving_the_start_day_by_day_does_not_reveal_the_permit_end(client, world: World):
    """The permit ends mid-quarter: counsellors see the person for starts before that day;
    the employer sees them for no start in that quarter, whichever day it is."""
    start = TODAY + timedelta(days=120)
    quarter_end = _quarter_end(start)
    permit_end = quarter_end - timedelta(days=20)
    if permit_end <= start:  # keep the permit's end after the first start tried
        start = quarter_end - timedelta(days=60)
        permit_end = quarter_end - timedelta(days=20)
    matching_person(
        client,
        work_permit={"status": "permitted", "valid_until": permit_end.isoformat()},
        **ONLY_OURS,
    )
    job = matching_job(
        client,
        world.employer_a["id"],
        min_german_level="C1",
        start_date=start.isoformat(),
        valid_through=(quarter_end + timedelta(days=200)).isoformat(),
    )
    url = f"/api/v1/vacancies/{job['id']}/matches"

    def listed(day: date, headers: dict) -> bool:
        etag = client.get(f"/api/v1/vacancies/{job['id']}").headers["ETag"]
        moved = client.patch(
            f"/api/v1/vacancies/{job['id']}",
            json={"start_date": day.isoformat()},
            headers={"If-Match": etag},
        )
        assert moved.status_code == 200, moved.text
        listing = client.get(url, headers=headers)
        assert listing.status_code == 200, listing.text
        return len(listing.json()["items"]) == 1

    employer = world.headers("employer_a")
    days = [permit_end - timedelta(days=3), permit_end, permit_end + timedelta(days=3)]
    assert [listed(d, {}) for d in days] == [True, True, False]  # the counsellor's view by day
    assert [listed(d, employer) for d in days] == [False, False, False]  # one quarter, one answer
    next_quarter = quarter_end + timedelta(days=1)
    assert listed(next_quarter, employer) is False and listed(next_quarter, {}) is False


def test_a_placements_frozen_reasons_are_restricted_for_the_employer(client, world: World):
    person, job = _speaker_and_job(client, world)
    created = client.post(
        "/api/v1/placements", json={"participant_id": person["id"], "vacancy_id": job["id"]}
    )
    assert created.status_code == 201, created.text
    url = f"/api/v1/placements/{created.json()['id']}"
    for state in ("proposed", "accepted_by_participant", "sent_to_employer"):
        moved = client.post(f"{url}/transitions", json={"to": state})
        assert moved.status_code == 200, moved.text
    full = client.get(url).json()["components"]["language"]["reason"]
    assert "erwünschte Sprache vorhanden: Arabisch" in full and "lateinisch" in full.lower()
    seen = client.get(url, headers=world.headers("employer_a"))
    assert seen.status_code == 200, seen.text
    shown = seen.json()["components"]["language"]["reason"]
    assert shown == "Deutsch C1, gefordert C1 – erfüllt; erwünschte Sprachen: 1 von 2 vorhanden"
    assert "shared_reason" not in seen.text and "shared_reason" not in client.get(url).text
