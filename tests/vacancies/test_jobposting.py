"""schema.org JobPosting in and out (issue: placements, capacities and partner integration)."""

from __future__ import annotations

import copy
from typing import Any

from kai_match.api.examples import JOB_POSTING
from tests.builders import make_employer, make_vacancy
from tests.world import World

URL = "/api/v1/vacancies/jobposting"
PICKING = "http://data.europa.eu/esco/skill/ee5e2297-39cc-4ed6-89e5-d58016118a7f"


def posting(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(JOB_POSTING)
    for name, value in changes.items():
        if value is None:
            document.pop(name, None)
        else:
            document[name] = value
    return document


def test_an_employer_posts_a_job_posting(client, world: World):
    employer = world.headers("employer_a")
    response = client.post(URL, json=posting(), headers=employer)
    assert response.status_code == 201, response.text
    body = response.json()
    vacancy = body["vacancy"]
    assert response.headers["Location"] == f"/api/v1/vacancies/{vacancy['id']}"
    assert vacancy["employer_id"] == world.employer_a["id"]
    assert vacancy["title"] == "Lagerhelfer/in (m/w/d)"
    assert vacancy["type"] == "job"
    assert vacancy["postal_code"] == "04552" and vacancy["municipality"] == "Borna"
    assert vacancy["hours_per_week"] == 40
    assert vacancy["shifts"] == ["early", "day"]
    assert vacancy["valid_through"] == "2027-03-31"
    assert vacancy["start_date"] == "2027-01-05"
    assert vacancy["openings"] == 2
    assert vacancy["min_german_level"] == "A2" and vacancy["german_tolerance"] == 1
    assert vacancy["occupation"]["code"] == "51311"
    assert [s["normalized"] for s in vacancy["skills"]] == [True, True]
    assert {s["importance"] for s in vacancy["skills"]} == {"should"}
    assert body["unmapped"] == [
        {
            "field": "hiringOrganization.name",
            "reason": "differs from the employer record 'Logistik A GmbH', which the vacancy "
            "belongs to",
        }
    ]
    assert [d["field"] for d in body["defaults_applied"]] == ["skills[].importance"]


def test_what_cannot_be_mapped_is_reported_not_guessed(client, world: World):
    document = posting(
        employmentType=["FULL_TIME", "VOLUNTEER"],
        jobLocation=[
            {"@type": "Place", "address": {"postalCode": "04668"}},
            {"@type": "Place", "address": {"postalCode": "04552"}},
        ],
        workHours="30-40 Stunden",
        baseSalary={"@type": "MonetaryAmount", "currency": "EUR", "value": 2600},
        occupationalCategory="53-7062.00 Laborers and Freight Movers",
        skills="Kommissionieren, Teamgeist und Humor",
        jobStartDate="ab sofort",
        totalJobOpenings=None,
        **{"kai:shifts": None, "kai:colour": "blau"},
    )
    response = client.post(URL, json=document, params={"employer_id": world.employer_a["id"]})
    assert response.status_code == 201, response.text
    body = response.json()
    unmapped = {u["field"]: u["reason"] for u in body["unmapped"]}
    assert set(unmapped) >= {
        "employmentType: VOLUNTEER",
        "jobLocation[1]",
        "workHours",
        "baseSalary",
        "occupationalCategory",
        "jobStartDate",
        "kai:colour",
        "skills[1]",
    }
    assert "O*NET" in unmapped["occupationalCategory"]
    assert unmapped["kai:colour"] == "unknown extension property"
    defaults = {d["field"]: d["value"] for d in body["defaults_applied"]}
    assert defaults["openings"] == 1 and defaults["shifts"] == ["day"]
    vacancy = body["vacancy"]
    assert vacancy["postal_code"] == "04668" and vacancy["hours_per_week"] is None
    assert vacancy["start_date"] is None and vacancy["occupation"] is None
    assert [s["name"] for s in vacancy["skills"]] == ["Kommissionieren", "Teamgeist und Humor"]


def test_german_level_defaults_to_the_employers_typical_one(client):
    employer = make_employer(client, name="Pflege Muster gGmbH")
    document = posting(**{"kai:minGermanLevel": None, "kai:germanTolerance": None})
    first = client.post(URL, json=document, params={"employer_id": employer["id"]})
    assert first.status_code == 422
    assert first.json()["errors"] == [
        {
            "field": "kai:minGermanLevel",
            "message": "is required: schema.org has no German level and the employer has no "
            "earlier vacancies to take a typical one from",
        }
    ]
    for level in ("B2", "B1", "B1"):
        make_vacancy(client, employer_id=employer["id"], min_german_level=level, german_tolerance=2)
    response = client.post(URL, json=document, params={"employer_id": employer["id"]})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["vacancy"]["min_german_level"] == "B1"
    assert body["vacancy"]["german_tolerance"] == 2
    defaults = {d["field"]: d for d in body["defaults_applied"]}
    assert defaults["min_german_level"]["value"] == "B1"
    assert "2 of 3" in defaults["min_german_level"]["reason"]


def test_invalid_postings_name_the_job_posting_field(client, world: World):
    admin_without_employer = client.post(URL, json=posting())
    assert admin_without_employer.status_code == 422
    assert admin_without_employer.json()["errors"][0]["field"] == "employer_id"
    other = client.post(
        URL,
        json=posting(),
        params={"employer_id": world.employer_b["id"]},
        headers=world.headers("employer_a"),
    )
    assert other.status_code == 403
    employer = world.headers("employer_a")
    cases = [
        (posting(**{"@type": "Organization"}), "@type"),
        (posting(jobLocation={"@type": "Place", "address": {}}), "jobLocation.address.postalCode"),
        (
            posting(jobLocation={"address": {"postalCode": "99999"}}),
            "jobLocation.address.postalCode",
        ),
        (posting(employmentType="CONTRACTOR"), "employmentType"),
        (posting(title=None), "title"),
        (posting(totalJobOpenings=0), "totalJobOpenings"),
        (posting(**{"kai:minGermanLevel": "B5"}), "kai:minGermanLevel"),
    ]
    for document, field in cases:
        response = client.post(URL, json=document, headers=employer)
        assert response.status_code == 422, (field, response.text)
        assert field in [e["field"] for e in response.json()["errors"]], (field, response.text)


def test_round_trip_through_json_ld(client, world: World):
    vacancy = make_vacancy(
        client,
        employer_id=world.employer_a["id"],
        type="internship",
        skills=[{"skill_id": PICKING, "importance": "must", "level": 3}],
        occupation={"code": "51311"},
        end_date="2027-04-30",
        driving_licence_required="B",
        languages_wanted=[{"code": "ar", "level": "B1"}],
    )
    url = f"/api/v1/vacancies/{vacancy['id']}"
    response = client.get(url, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    assert response.headers["ETag"] == "W/" + client.get(url).headers["ETag"]
    document = response.json()
    assert document["@type"] == "JobPosting"
    assert document["employmentType"] == ["INTERN", "TEMPORARY"]
    assert document["jobLocation"]["address"]["postalCode"] == vacancy["postal_code"]

    back = client.post(URL, json=document, headers=world.headers("employer_a"))
    assert back.status_code == 201, back.text
    copy_ = back.json()["vacancy"]
    for name in (
        "title",
        "type",
        "postal_code",
        "start_date",
        "end_date",
        "valid_through",
        "openings",
        "hours_per_week",
        "shifts",
        "min_german_level",
        "german_tolerance",
        "driving_licence_required",
        "languages_wanted",
    ):
        assert copy_[name] == vacancy[name], name
    assert [(s["skill_id"], s["importance"], s["level"]) for s in copy_["skills"]] == [
        (PICKING, "must", 3)
    ]
    assert copy_["occupation"]["code"] == "51311"
    assert {u["field"] for u in back.json()["unmapped"]} == {
        "identifier",
        "datePosted",
        "kai:status",
    }
    assert back.json()["defaults_applied"] == []


BA_ID = {"@type": "PropertyValue", "propertyID": "BA", "value": "10000-1200000001-S"}


def test_a_job_posting_imported_again_updates_its_vacancy(client, world: World):
    admin = {"employer_id": world.employer_a["id"]}
    first = client.post(URL, json=posting(identifier=BA_ID), params=admin)
    assert first.status_code == 201, first.text
    assert first.json()["outcome"] == "created"
    vacancy = first.json()["vacancy"]
    assert vacancy["external_refs"] == [{"system": "ba", "id": "10000-1200000001-S"}]

    same = client.post(URL, json=posting(identifier=BA_ID), params=admin)
    assert same.status_code == 200, same.text
    assert same.json()["outcome"] == "unchanged"
    assert "Location" not in same.headers

    more = client.post(URL, json=posting(identifier=BA_ID, totalJobOpenings=5), params=admin)
    assert more.status_code == 200, more.text
    assert more.json()["outcome"] == "updated"
    assert more.json()["vacancy"]["id"] == vacancy["id"]
    assert more.json()["vacancy"]["openings"] == 5
    listed = client.get("/api/v1/vacancies", params={"employer_id": world.employer_a["id"]})
    assert [v["id"] for v in listed.json()["items"]].count(vacancy["id"]) == 1
    assert len(listed.json()["items"]) == 2  # the world's own vacancy and this one

    out = client.get(
        f"/api/v1/vacancies/{vacancy['id']}", headers={"Accept": "application/ld+json"}
    ).json()
    assert out["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "kai-match:vacancy", "value": vacancy["id"]},
        {"@type": "PropertyValue", "propertyID": "ba", "value": "10000-1200000001-S"},
    ]
    back = client.post(URL, json=out, params=admin)
    assert back.status_code == 200, back.text  # its own document updates, never duplicates
    assert back.json()["vacancy"]["id"] == vacancy["id"]


def test_a_plain_identifier_needs_the_system_named(client, world: World):
    admin = {"employer_id": world.employer_a["id"]}
    unnamed = client.post(URL, json=posting(identifier="JC-4711"), params=admin)
    assert unnamed.status_code == 201, unnamed.text
    assert {
        "field": "identifier",
        "reason": "a plain identifier needs ?ref_system=… to say whose id it is",
    } in unnamed.json()["unmapped"]
    assert unnamed.json()["vacancy"]["external_refs"] == []
    named = client.post(
        URL, json=posting(identifier="JC-4711"), params=admin | {"ref_system": "jobcenter"}
    )
    assert named.status_code == 201, named.text
    assert named.json()["vacancy"]["external_refs"] == [{"system": "jobcenter", "id": "JC-4711"}]
    again = client.post(
        URL, json=posting(identifier="JC-4711"), params=admin | {"ref_system": "jobcenter"}
    )
    assert again.status_code == 200
    assert again.json()["vacancy"]["id"] == named.json()["vacancy"]["id"]


def test_an_employer_key_without_the_system_cannot_import_by_identifier(client, world: World):
    refused = client.post(URL, json=posting(identifier=BA_ID), headers=world.headers("employer_a"))
    assert refused.status_code == 403, refused.text
    assert refused.json()["errors"] == [
        {"field": "system", "message": "this key may not set references of 'ba'"}
    ]
