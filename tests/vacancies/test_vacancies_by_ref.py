"""Vacancies by external reference: PUT creates once and then replaces, on every backend."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func, select
from sqlmodel import Session

from kai_match.main import create_app
from kai_match.models import ExternalRefRow, Vacancy
from tests.builders import bearer, make_employer, make_key, vacancy_body
from tests.conftest import ADMIN_KEY
from tests.live_server import serve

BY_REF = "/api/v1/vacancies/by-ref/ba/10000-1199999999-S"


def test_put_by_ref_twice_is_one_vacancy_and_the_second_answer_is_200(client, engine):
    employer = make_employer(client)
    body = vacancy_body(employer_id=employer["id"])
    first = client.put(BY_REF, json=body)
    assert first.status_code == 201, first.text
    created = first.json()
    assert first.headers["Location"] == f"/api/v1/vacancies/{created['id']}"
    assert first.headers["ETag"] == f'"vacancy-{created["id"]}-v1"'
    assert created["external_refs"] == [{"system": "ba", "id": "10000-1199999999-S"}]

    again = client.put(BY_REF, json=body)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == created["id"]
    assert again.headers["ETag"] == f'"vacancy-{created["id"]}-v1"'  # unchanged: no new version
    assert "Location" not in again.headers

    changed = client.put(BY_REF, json=body | {"openings": 4, "title": "Lagerhelfer (m/w/d)"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["openings"] == 4
    assert changed.json()["title"] == "Lagerhelfer (m/w/d)"
    assert changed.headers["ETag"] == f'"vacancy-{created["id"]}-v2"'
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Vacancy)).scalar_one() == 1
    read = client.get(BY_REF)
    assert read.status_code == 200
    assert read.json() == changed.json()
    assert read.headers["ETag"] == changed.headers["ETag"]


def test_put_by_ref_replaces_whole_and_honours_if_match(client):
    employer = make_employer(client)
    body = vacancy_body(employer_id=employer["id"], description="Kommissionieren im Zentrallager")
    client.put(BY_REF, json=body)
    without = {k: v for k, v in body.items() if k != "description"}
    replaced = client.put(BY_REF, json=without, headers={"If-Match": '"vacancy-1-v9"'})
    assert replaced.status_code == 412, replaced.text
    assert replaced.json()["errors"][0]["field"] == "If-Match"
    etag = client.get(BY_REF).headers["ETag"]
    replaced = client.put(BY_REF, json=without, headers={"If-Match": etag})
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["description"] is None  # a PUT replaces: what is left out is cleared


def test_put_by_ref_keeps_the_employer(client):
    first, second = make_employer(client), make_employer(client, name="Zweitfirma GmbH")
    client.put(BY_REF, json=vacancy_body(employer_id=first["id"]))
    moved = client.put(BY_REF, json=vacancy_body(employer_id=second["id"]))
    assert moved.status_code == 409, moved.text
    assert moved.json()["errors"] == [
        {"field": "employer_id", "message": f"must stay {first['id']}"}
    ]


def test_a_reference_names_one_vacancy(client):
    employer = make_employer(client)
    ref = {"system": "jobcenter", "id": "V-17"}
    first = client.post(
        "/api/v1/vacancies", json=vacancy_body(employer_id=employer["id"], external_refs=[ref])
    )
    assert first.status_code == 201, first.text
    second = client.post(
        "/api/v1/vacancies", json=vacancy_body(employer_id=employer["id"], external_refs=[ref])
    )
    assert second.status_code == 409, second.text
    assert second.json()["errors"] == [
        {"field": "external_refs[0]", "message": f"already names vacancy {first.json()['id']}"}
    ]
    twice = client.post(
        "/api/v1/vacancies",
        json=vacancy_body(employer_id=employer["id"], external_refs=[ref, ref]),
    )
    assert twice.status_code == 422
    assert twice.json()["errors"][0]["field"] == "external_refs[1]"


def test_keys_set_only_the_systems_they_are_configured_for(client):
    employer = make_employer(client)
    body = vacancy_body(employer_id=employer["id"])
    plain_partner = make_key(client, "partner")
    refused = client.put(BY_REF, json=body, headers=bearer(plain_partner))
    assert refused.status_code == 403, refused.text
    assert refused.json()["errors"] == [
        {"field": "system", "message": "this key may not set references of 'ba'"}
    ]
    ba_partner = make_key(client, "partner", ref_systems=["ba"])
    assert ba_partner["ref_systems"] == ["ba"]
    created = client.put(BY_REF, json=body, headers=bearer(ba_partner))
    assert created.status_code == 201, created.text
    other_system = client.put(
        BY_REF,
        json=body | {"external_refs": [{"system": "jobcenter", "id": "A1"}]},
        headers=bearer(ba_partner),
    )
    assert other_system.status_code == 403
    assert other_system.json()["errors"][0]["field"] == "external_refs[0].system"


def test_a_write_keeps_the_references_of_systems_the_caller_may_not_set(client):
    employer = make_employer(client)
    both = [{"system": "ba", "id": "R-1"}, {"system": "jobcenter", "id": "J-1"}]
    created = client.post(
        "/api/v1/vacancies", json=vacancy_body(employer_id=employer["id"], external_refs=both)
    )
    vacancy_id = created.json()["id"]
    ba_key = make_key(client, "employer", employer_id=employer["id"], ref_systems=["ba"])
    etag = created.headers["ETag"]
    patched = client.patch(
        f"/api/v1/vacancies/{vacancy_id}",
        json={"external_refs": [{"system": "ba", "id": "R-2"}]},
        headers=bearer(ba_key) | {"If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["external_refs"] == [
        {"system": "ba", "id": "R-2"},
        {"system": "jobcenter", "id": "J-1"},
    ]
    assert client.get("/api/v1/vacancies/by-ref/ba/R-1").status_code == 404
    assert client.get("/api/v1/vacancies/by-ref/ba/R-2").json()["id"] == vacancy_id


def test_reference_ids_may_hold_a_slash_and_bad_ones_are_named(client):
    employer = make_employer(client)
    body = vacancy_body(employer_id=employer["id"])
    created = client.put("/api/v1/vacancies/by-ref/erp/2026/0815", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["external_refs"] == [{"system": "erp", "id": "2026/0815"}]
    assert client.get("/api/v1/vacancies/by-ref/erp/2026/0815").json()["id"] == created.json()["id"]
    bad = client.put("/api/v1/vacancies/by-ref/BA!/1", json=body)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "system"
    missing = client.get("/api/v1/vacancies/by-ref/ba/nope")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "No vacancy has the reference ba/nope."


def test_an_employer_key_cannot_take_over_another_employers_reference(client):
    mine, theirs = make_employer(client), make_employer(client, name="Andere GmbH")
    client.put(BY_REF, json=vacancy_body(employer_id=theirs["id"]))
    key = make_key(client, "employer", employer_id=mine["id"], ref_systems=["ba"])
    answer = client.put(BY_REF, json=vacancy_body(employer_id=mine["id"]), headers=bearer(key))
    assert answer.status_code == 409, answer.text
    assert answer.json()["errors"][0]["field"] == "ref_id"


RACERS = 12


def test_concurrent_first_puts_of_one_reference_create_one_vacancy(client, engine, settings):
    employer = make_employer(client)
    body = vacancy_body(employer_id=employer["id"])
    server, thread, base_url = serve(create_app(settings.model_copy(update={"db_pool_size": 15})))
    barrier = threading.Barrier(RACERS)

    def put(index: int) -> int:
        with httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=60
        ) as http:
            http.get("/health")
            barrier.wait()
            return http.put(BY_REF, json=body | {"openings": 1 + index % 2}).status_code

    try:
        with ThreadPoolExecutor(max_workers=RACERS) as pool:
            statuses = list(pool.map(put, range(RACERS)))
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    assert sorted(statuses) == [200] * (RACERS - 1) + [201], statuses
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Vacancy)).scalar_one() == 1
        assert session.execute(select(func.count()).select_from(ExternalRefRow)).scalar_one() == 1
