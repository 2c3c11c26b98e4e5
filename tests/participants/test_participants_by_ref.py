"""Participants and employers by external reference (the job centre's customer number)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from kai_match.models import ExternalRefRow, Participant
from tests.builders import bearer, employer_body, make_key, participant_body

CUSTOMER = "/api/v1/participants/by-ref/jobcenter/123D456789"


def test_a_counsellor_key_configured_for_the_job_centre_upserts_by_customer_number(client, engine):
    key = make_key(client, "counsellor", site="grimma", ref_systems=["jobcenter"])
    headers = bearer(key)
    body = participant_body()
    first = client.put(CUSTOMER, json=body, headers=headers)
    assert first.status_code == 201, first.text
    person = first.json()
    assert person["external_refs"] == [{"system": "jobcenter", "id": "123D456789"}]
    same = client.put(CUSTOMER, json=body, headers=headers)
    assert same.status_code == 200
    assert same.headers["ETag"] == f'"participant-{person["id"]}-v1"'
    newer = client.put(CUSTOMER, json=body | {"german_level": "B1"}, headers=headers)
    assert newer.status_code == 200
    assert newer.json()["german_level"] == "B1"
    assert newer.headers["ETag"] == f'"participant-{person["id"]}-v2"'
    read = client.get(CUSTOMER, headers=headers)
    assert read.status_code == 200 and read.json()["id"] == person["id"]
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Participant)).scalar_one() == 1


def test_a_counsellor_of_another_site_neither_reads_nor_takes_over_the_reference(client):
    client.put(CUSTOMER, json=participant_body())
    borna = make_key(client, "counsellor", site="borna", ref_systems=["jobcenter"])
    assert client.get(CUSTOMER, headers=bearer(borna)).status_code == 404
    taken = client.put(CUSTOMER, json=participant_body(site="borna"), headers=bearer(borna))
    assert taken.status_code == 409, taken.text
    assert taken.json()["errors"][0]["field"] == "ref_id"


def test_analysts_never_see_the_customer_number(client, world):
    client.patch(
        f"/api/v1/participants/{world.participant_a['id']}",
        json={"external_refs": [{"system": "jobcenter", "id": "999X"}]},
    )
    seen = client.get(
        f"/api/v1/participants/{world.participant_a['id']}", headers=world.headers("analyst")
    )
    assert seen.status_code == 200
    assert "999X" not in seen.text and "external_refs" not in seen.json()


def test_erasure_forgets_the_references(client, engine):
    person = client.put(CUSTOMER, json=participant_body()).json()
    erased = client.delete(f"/api/v1/participants/{person['id']}", params={"erase": "true"})
    assert erased.status_code == 204, erased.text
    assert client.get(CUSTOMER).status_code == 404
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(ExternalRefRow)).scalar_one() == 0


def test_employers_by_reference(client):
    url = "/api/v1/employers/by-ref/ba/kdnr-hash-77"
    partner = make_key(client, "partner", ref_systems=["ba"])
    first = client.put(url, json=employer_body(), headers=bearer(partner))
    assert first.status_code == 201, first.text
    assert first.headers["Location"] == f"/api/v1/employers/{first.json()['id']}"
    again = client.put(url, json=employer_body(support=["mentor"]), headers=bearer(partner))
    assert again.status_code == 200
    assert again.json()["support"] == ["mentor"]
    assert again.json()["external_refs"] == [{"system": "ba", "id": "kdnr-hash-77"}]
    assert client.get(url).json()["id"] == first.json()["id"]
    listed = client.get("/api/v1/employers").json()["items"]
    assert [e["external_refs"] for e in listed] == [[{"system": "ba", "id": "kdnr-hash-77"}]]
