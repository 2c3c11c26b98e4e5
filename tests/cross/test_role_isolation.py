"""What each role reaches and sees: employers, counsellors of two sites, analysts, partners."""

from __future__ import annotations

from tests.builders import (
    make_participant,
    matching_job,
    matching_person,
    partner_audience,
    pseudonyms_of,
    vacancy_body,
)
from tests.world import World, assert_no_personal_data


def test_employer_a_cannot_reach_employer_b(client, world: World):
    a = world.headers("employer_a")
    theirs = world.vacancy_b["id"]
    assert client.get(f"/api/v1/vacancies/{theirs}", headers=a).status_code == 404
    patch = client.patch(f"/api/v1/vacancies/{theirs}", json={"openings": 9}, headers=a)
    assert patch.status_code == 404
    assert client.delete(f"/api/v1/vacancies/{theirs}", headers=a).status_code == 404
    assert client.get(f"/api/v1/vacancies/{theirs}/matches", headers=a).status_code == 404
    assert client.get(f"/api/v1/vacancies/{theirs}").json()["openings"] == 2  # unchanged
    assert client.get(f"/api/v1/vacancies/{theirs}").json()["status"] == "open"
    other_employer = f"/api/v1/employers/{world.employer_b['id']}"
    assert client.get(other_employer, headers=a).status_code == 404
    assert client.patch(other_employer, json={"name": "X"}, headers=a).status_code == 404

    posted = client.post(
        "/api/v1/vacancies", json=vacancy_body(employer_id=world.employer_b["id"]), headers=a
    )
    assert posted.status_code == 403
    assert posted.json()["errors"] == [
        {"field": "employer_id", "message": f"must be {world.employer_a['id']}"}
    ]
    listed = client.get("/api/v1/vacancies", headers=a).json()["items"]
    assert {v["employer_id"] for v in listed} == {world.employer_a["id"]}
    employers = client.get("/api/v1/employers", headers=a).json()["items"]
    assert [e["id"] for e in employers] == [world.employer_a["id"]]


def test_employer_cannot_list_or_read_participants(client, world: World):
    a = world.headers("employer_a")
    response = client.get("/api/v1/participants", headers=a)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    single = client.get(f"/api/v1/participants/{world.participant_a['id']}", headers=a)
    assert single.status_code == 403


def test_employer_manages_its_own_vacancies(client, world: World):
    a = world.headers("employer_a")
    created = client.post(
        "/api/v1/vacancies", json=vacancy_body(employer_id=world.employer_a["id"]), headers=a
    )
    assert created.status_code == 201, created.text
    vacancy_id = created.json()["id"]
    etag = {"If-Match": created.headers["ETag"]}
    patched = client.patch(
        f"/api/v1/vacancies/{vacancy_id}", json={"openings": 4}, headers=a | etag
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["openings"] == 4
    assert client.delete(f"/api/v1/vacancies/{vacancy_id}", headers=a).status_code == 204
    employer_url = f"/api/v1/employers/{world.employer_a['id']}"
    etag = {"If-Match": client.get(employer_url, headers=a).headers["ETag"]}
    updated = client.patch(employer_url, json={"support": ["mentor"]}, headers=a | etag)
    assert updated.status_code == 200


def test_employer_ranking_is_pseudonymised_and_honours_share_consent(client, world: World):
    sharing = matching_person(client, first_name="Amina", last_name="Haddad")
    private = matching_person(
        client,
        first_name="Olena",
        last_name="Kovalenko",
        consent={"processing": True, "share_with_employers": False},
    )
    job = matching_job(client, world.employer_a["id"])
    url = f"/api/v1/vacancies/{job['id']}/matches"

    as_admin = client.get(url).json()["items"]
    assert {i["participant_id"] for i in as_admin} >= {sharing["id"], private["id"]}

    response = client.get(url, headers=world.headers("employer_a"))
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    listed = {i["participant_public_id"] for i in items}
    assert pseudonyms_of(client, sharing["id"])[f"employer:{world.employer_a['id']}"] in listed
    assert sharing["public_id"] not in listed  # employers get pseudonyms of their own
    assert all("participant_id" not in i for i in items)
    assert private["public_id"] not in response.text
    assert pseudonyms_of(client, private["id"]) == {}  # never shown to any audience
    assert_no_personal_data(response.text)
    assert "Kovalenko" not in response.text


def test_counsellor_reaches_their_site_only(client, world: World):
    b = world.headers("counsellor_b")
    listed = client.get("/api/v1/participants", headers=b).json()["items"]
    assert [p["public_id"] for p in listed] == [world.participant_b["public_id"]]
    filtered = client.get("/api/v1/participants", params={"site": "grimma"}, headers=b)
    assert filtered.json()["items"] == []
    url = f"/api/v1/participants/{world.participant_a['id']}"
    for method in ("GET", "PATCH", "DELETE"):
        body = {"german_level": "C1"} if method == "PATCH" else None
        assert client.request(method, url, json=body, headers=b).status_code == 404
    assert client.get(url).json()["german_level"] == "A2"  # unchanged
    moved = client.patch(
        f"/api/v1/participants/{world.participant_b['id']}", json={"site": "grimma"}, headers=b
    )
    assert moved.status_code == 403
    elsewhere = client.post(
        "/api/v1/participants",
        json={"site": "grimma", "first_name": "X", "last_name": "Y"}
        | {"birth_date": "1990-01-01", "german_level": "A1", "home_postal_code": "04668"},
        headers=b,
    )
    assert elsewhere.status_code == 403


def test_counsellor_vacancy_ranking_lists_their_site_only(client, world: World):
    grimma = matching_person(client, site="grimma")
    borna = matching_person(client, site="borna")
    job = matching_job(client, world.employer_a["id"])
    url = f"/api/v1/vacancies/{job['id']}/matches"
    everyone = {i["participant_id"] for i in client.get(url).json()["items"]}
    assert {grimma["id"], borna["id"]} <= everyone
    ranked = client.get(url, headers=world.headers("counsellor_b")).json()
    ids = [i["participant_id"] for i in ranked["items"]]
    assert borna["id"] in ids and grimma["id"] not in ids
    sites = {client.get(f"/api/v1/participants/{i}").json()["site"] for i in ids}
    assert sites == {"borna"}
    assert ranked["total"] == len(ids)


def test_analyst_gets_pseudonymised_records_only(client, world: World):
    analyst = world.headers("analyst")
    page = client.get("/api/v1/participants", headers=analyst)
    assert page.status_code == 200
    items = page.json()["items"]
    known_as = {
        pseudonyms_of(client, p["id"])["analyst"]: p
        for p in (world.participant_a, world.participant_b)
    }
    assert {i["public_id"] for i in items} == set(known_as)
    assert not set(known_as) & {world.participant_a["public_id"], world.participant_b["public_id"]}
    first = next(i for i in items if known_as[i["public_id"]] == world.participant_a)
    assert set(first) == {
        "public_id",
        "site",
        "status",
        "german_level",
        "skills",
        "municipality",
        "work_permitted",
        "age_band",
    }
    assert first["work_permitted"] is True
    # Two people cannot form a class of five: their quasi-identifiers are suppressed.
    assert (first["site"], first["municipality"], first["age_band"], first["german_level"]) == (
        None,
        None,
        None,
        None,
    )
    assert first["skills"][0]["skill_id"].startswith("http://data.europa.eu/esco/skill/")
    assert "name" not in first["skills"][0]
    single = client.get(f"/api/v1/participants/{world.participant_a['id']}", headers=analyst)
    assert single.json() == first
    employer = client.get(f"/api/v1/employers/{world.employer_a['id']}", headers=analyst).json()
    assert employer["contact_email"] is None
    for response in (page, single):
        assert_no_personal_data(response.text)


def test_partner_ranking_is_pseudonymised_without_permit_details(client, world: World):
    person = matching_person(
        client, work_permit={"status": "approval_required", "valid_until": None}
    )
    job = matching_job(client, world.employer_a["id"])
    full = client.get(f"/api/v1/vacancies/{job['id']}/matches").json()["items"]
    mine = next(i for i in full if i["participant_id"] == person["id"])
    assert any(f["code"] == "approval_required" for f in mine["flags"])
    response = client.get(
        f"/api/v1/participants/{person['id']}/matches", headers=world.headers("partner")
    )
    assert response.status_code == 200
    known_as = pseudonyms_of(client, person["id"])[partner_audience(world.keys["partner"])]
    assert known_as != person["public_id"]
    for item in response.json()["items"]:
        assert "participant_id" not in item
        assert item["participant_public_id"] == known_as
        assert not {f["code"] for f in item["flags"]} & {"approval_required", "permit_check"}
    assert_no_personal_data(response.text)


def test_statistics_count_groups_and_hide_small_ones_from_analysts(client, world: World):
    for _ in range(5):
        make_participant(client, site="wurzen", german_level="A1", home_postal_code="04808")
    url = "/api/v1/statistics/participants"
    params = {"by": ["site", "german_level"]}
    exact = client.get(url, params=params).json()
    assert exact["min_cell"] == 1 and exact["total"] == 7
    assert {"key": {"site": "wurzen", "german_level": "A1"}, "count": 5} in exact["groups"]
    assert {"key": {"site": "grimma", "german_level": "A2"}, "count": 1} in exact["groups"]
    analyst = client.get(url, params=params, headers=world.headers("analyst")).json()
    assert analyst["min_cell"] == 5 and analyst["total"] == 7
    # Shown, the 5 would give the two small groups away: 7 − 5 = 2, and a listed group has at
    # least one person, so each would be 1 (complementary suppression, docs/security.md).
    assert analyst["groups"] == [
        {"key": {"site": "borna", "german_level": "A2"}, "count": None},
        {"key": {"site": "grimma", "german_level": "A2"}, "count": None},
        {"key": {"site": "wurzen", "german_level": "A1"}, "count": None},
    ]
    own_site = client.get(url, headers=world.headers("counsellor_b")).json()
    assert own_site["groups"] == [{"key": {"site": "borna"}, "count": 1}]
