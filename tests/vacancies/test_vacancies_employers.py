"""Employer and vacancy CRUD over HTTP, on every backend."""

from __future__ import annotations

from tests.builders import EMPLOYER, VACANCY, make_employer, make_vacancy, vacancy_body

FORKLIFT = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"
PICKING = "http://data.europa.eu/esco/skill/ee5e2297-39cc-4ed6-89e5-d58016118a7f"


def test_employer_round_trip(client):
    created = client.post("/api/v1/employers", json=EMPLOYER)
    assert created.status_code == 201, created.text
    body = created.json()
    for key, value in EMPLOYER.items():
        assert body[key] == value, key
    assert body["municipality"]
    assert client.get(f"/api/v1/employers/{body['id']}").json() == body


def test_vacancy_contract_body_round_trips(client):
    employer = make_employer(client)
    created = client.post("/api/v1/vacancies", json=vacancy_body(employer_id=employer["id"]))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "open"
    for key in (
        "title",
        "type",
        "min_german_level",
        "german_tolerance",
        "languages_wanted",
        "postal_code",
        "shifts",
        "hours_per_week",
        "openings",
        "start_date",
        "end_date",
        "driving_licence_required",
        "valid_through",
    ):
        assert body[key] == VACANCY[key], key
    assert [(s["skill_id"], s["importance"], s["level"]) for s in body["skills"]] == [
        (PICKING, "must", 2),
        (FORKLIFT, "nice", 1),
    ]
    assert body["occupation"]["code"].endswith("bea705fe-06ac-4147-b8e0-6e8ac1208d8f")
    fetched = client.get(f"/api/v1/vacancies/{body['id']}")
    assert fetched.json() == body
    assert fetched.headers["ETag"] == f'"vacancy-{body["id"]}-v1"'


def test_vacancy_patch_and_close(client):
    vacancy = make_vacancy(client)
    response = client.patch(
        f"/api/v1/vacancies/{vacancy['id']}",
        json={"openings": 3, "skills": [{"skill_id": FORKLIFT, "importance": "must", "level": 2}]},
    )
    assert response.status_code == 200, response.text
    assert response.json()["openings"] == 3
    assert [s["skill_id"] for s in response.json()["skills"]] == [FORKLIFT]
    assert response.json()["skills"][0]["confidence"] == 1.0
    bad = client.patch(f"/api/v1/vacancies/{vacancy['id']}", json={"end_date": "2026-01-01"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "end_date", "message": "must not lie before start_date"}
    ]
    assert client.delete(f"/api/v1/vacancies/{vacancy['id']}").status_code == 204
    assert client.get(f"/api/v1/vacancies/{vacancy['id']}").json()["status"] == "closed"


def test_vacancy_list_filters(client):
    employer = make_employer(client)
    other = make_employer(client, name="Pflegeheim Sonnenhof", sector="Q87.10")
    make_vacancy(client, employer_id=employer["id"], type="job")
    make_vacancy(client, employer_id=other["id"], type="work_trial")
    make_vacancy(client, employer_id=other["id"], type="job")
    by_employer = client.get("/api/v1/vacancies", params={"employer_id": other["id"]}).json()
    assert [v["type"] for v in by_employer["items"]] == ["work_trial", "job"]
    by_type = client.get("/api/v1/vacancies", params={"type": "job"}).json()
    assert [v["employer_id"] for v in by_type["items"]] == [employer["id"], other["id"]]


def test_employer_with_vacancies_cannot_be_deleted(client):
    vacancy = make_vacancy(client)
    response = client.delete(f"/api/v1/employers/{vacancy['employer_id']}")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    lonely = make_employer(client, name="Ohne Stellen GmbH")
    assert client.delete(f"/api/v1/employers/{lonely['id']}").status_code == 204
    assert client.get(f"/api/v1/employers/{lonely['id']}").status_code == 404


def test_employer_patch_with_if_match(client):
    employer = make_employer(client)
    etag = client.get(f"/api/v1/employers/{employer['id']}").headers["ETag"]
    ok = client.patch(
        f"/api/v1/employers/{employer['id']}",
        json={"support": ["mentor"]},
        headers={"If-Match": etag},
    )
    assert ok.status_code == 200 and ok.json()["support"] == ["mentor"]
    stale = client.patch(
        f"/api/v1/employers/{employer['id']}", json={"name": "Neu"}, headers={"If-Match": etag}
    )
    assert stale.status_code == 412
