"""Participant CRUD over HTTP, on every backend."""

from __future__ import annotations

from sqlalchemy import text

from tests.builders import PARTICIPANT, make_participant


def test_contract_body_round_trips(client):
    created = client.post("/api/v1/participants", json=PARTICIPANT)
    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["Location"] == f"/api/v1/participants/{body['id']}"
    assert body["public_id"].startswith("P-") and len(body["public_id"]) == 10
    assert body["status"] == "active"
    for key in (
        "site",
        "first_name",
        "last_name",
        "birth_date",
        "german_level",
        "expected_b1_date",
        "latin_literacy",
        "other_languages",
        "home_postal_code",
        "preferences",
    ):
        assert body[key] == PARTICIPANT[key], key
    assert body["availability"] == PARTICIPANT["availability"] | {"commitments": []}
    assert body["mobility"] == PARTICIPANT["mobility"]
    assert body["work_permit"] == PARTICIPANT["work_permit"] | {
        "renewal_pending": False,
        "document": None,
    }
    assert body["consent"] == PARTICIPANT["consent"]
    assert body["municipality"]
    skill = body["skills"][0]
    assert skill["name"] == "Kommissionieren"
    assert (
        skill["skill_id"] == "http://data.europa.eu/esco/skill/ee5e2297-39cc-4ed6-89e5-d58016118a7f"
    )
    assert skill["normalized"] is True and 0 < skill["confidence"] <= 1
    occupation = body["occupations"][0]
    assert occupation["code"] == (
        "http://data.europa.eu/esco/occupation/bea705fe-06ac-4147-b8e0-6e8ac1208d8f"
    )
    assert occupation["years"] == 4

    fetched = client.get(f"/api/v1/participants/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == body
    assert fetched.headers["ETag"] == f'"participant-{body["id"]}-v1"'


def test_personal_data_is_stored_apart_from_matching_data(client, engine):
    body = make_participant(client)
    with engine.connect() as connection:
        columns = (
            [row[1] for row in connection.exec_driver_sql("PRAGMA table_info(participant)")]
            if engine.dialect.name == "sqlite"
            else [
                row[0]
                for row in connection.execute(
                    text(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_name = 'participant'"
                    )
                )
            ]
        )
        personal = connection.execute(
            text(
                "SELECT first_name, last_name FROM participant_personal WHERE participant_id = :i"
            ),
            {"i": body["id"]},
        ).one()
    assert not {"first_name", "last_name", "birth_date", "email"} & set(columns)
    assert tuple(personal) == ("Amina", "Haddad")


def test_minimal_participant_gets_defaults(client):
    minimal = {
        k: PARTICIPANT[k]
        for k in (
            "site",
            "first_name",
            "last_name",
            "birth_date",
            "german_level",
            "home_postal_code",
        )
    }
    response = client.post("/api/v1/participants", json=minimal)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["skills"] == [] and body["other_languages"] == []
    assert body["mobility"] == {
        "driving_licences": [],
        "has_car": False,
        "has_bike": False,
        "max_commute_minutes": 45,
    }
    assert body["availability"]["shifts"] == ["day"]
    assert body["consent"] == {"processing": False, "share_with_employers": False, "given_on": None}
    assert body["work_permit"]["status"] == "approval_required"


def test_unknown_skill_text_is_kept_unnormalised(client):
    body = make_participant(client, skills=[{"name": "xqzvbn klmpf", "level": 2}])
    assert body["skills"] == [
        {
            "name": "xqzvbn klmpf",
            "skill_id": None,
            "label": None,
            "level": 2,
            "source": "self_reported",
            "confidence": None,
            "normalized": False,
            "certificate": False,
        }
    ]


def test_patch_changes_only_what_is_given_and_bumps_the_etag(client):
    body = make_participant(client)
    response = client.patch(
        f"/api/v1/participants/{body['id']}",
        json={"german_level": "B1", "mobility": {"has_car": True, "driving_licences": ["B"]}},
        headers={"If-Match": f'"participant-{body["id"]}-v1"'},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["german_level"] == "B1"
    assert updated["mobility"]["has_car"] is True
    assert updated["mobility"]["max_commute_minutes"] == 45  # default of the replaced part
    assert updated["skills"] == body["skills"]
    assert updated["first_name"] == "Amina"
    assert response.headers["ETag"] == f'"participant-{body["id"]}-v2"'


def test_patch_with_stale_etag_is_412_and_changes_nothing(client):
    body = make_participant(client)
    client.patch(f"/api/v1/participants/{body['id']}", json={"german_level": "B1"})
    stale = client.patch(
        f"/api/v1/participants/{body['id']}",
        json={"german_level": "C1"},
        headers={"If-Match": f'"participant-{body["id"]}-v1"'},
    )
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["errors"][0]["field"] == "If-Match"
    assert client.get(f"/api/v1/participants/{body['id']}").json()["german_level"] == "B1"


def test_patch_replaces_skills_and_personal_data(client):
    body = make_participant(client)
    response = client.patch(
        f"/api/v1/participants/{body['id']}",
        json={
            "last_name": "Haddad-Weber",
            "skills": [{"name": "Staplerschein", "level": 2, "source": "certified"}],
        },
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["last_name"] == "Haddad-Weber"
    assert [s["name"] for s in updated["skills"]] == ["Staplerschein"]
    assert updated["skills"][0]["skill_id"].endswith("28cb374e-6261-4133-8371-f9a5470145da")


def test_delete_archives(client):
    body = make_participant(client)
    assert client.delete(f"/api/v1/participants/{body['id']}").status_code == 204
    fetched = client.get(f"/api/v1/participants/{body['id']}").json()
    assert fetched["status"] == "archived"
    assert fetched["first_name"] == "Amina"


def test_public_id_is_stable_and_unique(client):
    first = make_participant(client)
    second = make_participant(client)
    assert first["public_id"] != second["public_id"]
    client.patch(f"/api/v1/participants/{first['id']}", json={"german_level": "B2"})
    assert (
        client.get(f"/api/v1/participants/{first['id']}").json()["public_id"] == first["public_id"]
    )


def test_list_filters(client):
    make_participant(client, site="borna", german_level="A1", home_postal_code="04552")
    make_participant(client, site="grimma", german_level="B1")
    make_participant(client, site="grimma", german_level="A1")
    by_site = client.get("/api/v1/participants", params={"site": "grimma"}).json()["items"]
    assert [p["german_level"] for p in by_site] == ["B1", "A1"]
    by_level = client.get("/api/v1/participants", params={"german_level": "A1"}).json()["items"]
    assert [p["site"] for p in by_level] == ["borna", "grimma"]
    bad = client.get("/api/v1/participants", params={"site": "leipzig"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "site", "message": "must be one of borna, grimma, markkleeberg, wurzen"}
    ]


def test_missing_participant_is_404_problem(client):
    response = client.get("/api/v1/participants/999")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404
    assert response.json()["detail"] == "Participant 999 does not exist."
