"""Request bodies with keyword overrides (the stable v1 API shapes, see README.md)."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

PARTICIPANT: dict[str, Any] = {
    "site": "grimma",
    "first_name": "Amina",
    "last_name": "Haddad",
    "birth_date": "1994-03-12",
    "german_level": "A2",
    "expected_b1_date": "2027-01-15",
    "latin_literacy": True,
    "other_languages": [{"code": "ar", "level": "C2"}, {"code": "en", "level": "B1"}],
    "skills": [{"name": "Kommissionieren", "level": 3, "source": "assessed"}],
    "occupations": [{"name": "Lagerarbeiter", "years": 4, "recognition": "none"}],
    "home_postal_code": "04668",
    "mobility": {
        "driving_licences": ["B"],
        "has_car": False,
        "has_bike": True,
        "max_commute_minutes": 45,
    },
    "availability": {
        "earliest_start": "2026-12-01",
        "hours_per_week": 30,
        "shifts": ["day", "late"],
    },
    "preferences": {
        "placement_types": ["work_trial", "job"],
        "fields_wanted": [],
        "fields_excluded": [],
    },
    "work_permit": {"status": "permitted", "valid_until": "2027-06-30"},
    "consent": {"processing": True, "share_with_employers": True, "given_on": "2026-11-01"},
}

EMPLOYER: dict[str, Any] = {
    "name": "Logistik Muster GmbH",
    "sector": "H52.10",
    "postal_code": "04552",
    "contact_email": "personal@logistik-muster.example",
    "support": ["mentor", "multilingual_staff"],
}

VACANCY: dict[str, Any] = {
    "employer_id": 1,
    "title": "Lagerhelfer/in (m/w/d)",
    "type": "job",
    "occupation": {"name": "Lagerarbeiter"},
    "skills": [
        {"name": "Kommissionieren", "importance": "must", "level": 2},
        {"name": "Gabelstapler fahren", "importance": "nice", "level": 1},
    ],
    "min_german_level": "B1",
    "german_tolerance": 1,
    "languages_wanted": [],
    "postal_code": "04552",
    "shifts": ["early", "day"],
    "hours_per_week": 40,
    "openings": 2,
    "start_date": "2027-01-05",
    "end_date": None,
    "driving_licence_required": None,
    "valid_through": "2027-03-31",
}


def participant_body(**overrides: Any) -> dict[str, Any]:
    return copy.deepcopy(PARTICIPANT) | overrides


def employer_body(**overrides: Any) -> dict[str, Any]:
    return copy.deepcopy(EMPLOYER) | overrides


def vacancy_body(**overrides: Any) -> dict[str, Any]:
    return copy.deepcopy(VACANCY) | overrides


def make_participant(client: TestClient, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/participants", json=participant_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


def make_employer(client: TestClient, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/employers", json=employer_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


def make_vacancy(client: TestClient, **overrides: Any) -> dict[str, Any]:
    if "employer_id" not in overrides:
        overrides["employer_id"] = make_employer(client)["id"]
    response = client.post("/api/v1/vacancies", json=vacancy_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


def make_key(
    client: TestClient,
    role: str,
    *,
    site: str | None = None,
    employer_id: int | None = None,
    label: str | None = None,
    ref_systems: list[str] | None = None,
) -> dict[str, Any]:
    """Create an API key as admin (the client's default header); ``["key"]`` is the secret."""
    body: dict[str, Any] = {"role": role}
    for name, value in (
        ("site", site),
        ("employer_id", employer_id),
        ("label", label),
        ("ref_systems", ref_systems),
    ):
        if value is not None:
            body[name] = value
    response = client.post("/api/v1/api-keys", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def bearer(key: str | dict[str, Any]) -> dict[str, str]:
    """Headers for a request as the owner of ``key`` (a secret or a make_key answer)."""
    secret = key["key"] if isinstance(key, dict) else key
    return {"Authorization": f"Bearer {secret}"}


# A participant and a vacancy that fit each other (for ranking tests).
TODAY = date.today()
PICKING = "http://data.europa.eu/esco/skill/ee5e2297-39cc-4ed6-89e5-d58016118a7f"


def matching_person(client: TestClient, **overrides: Any) -> dict[str, Any]:
    """Someone who fits ``matching_job`` (same town, required skill, German B1, permit)."""
    body = {
        "site": "grimma",
        "german_level": "B1",
        "expected_b1_date": None,
        "home_postal_code": "04552",
        "skills": [{"skill_id": PICKING, "level": 3, "source": "assessed"}],
        "occupations": [],
        "mobility": {"has_car": True, "driving_licences": ["B"], "max_commute_minutes": 60},
        "availability": {
            "earliest_start": TODAY.isoformat(),
            "hours_per_week": 40,
            "shifts": ["early", "day", "late"],
        },
        "work_permit": {
            "status": "permitted",
            "valid_until": (TODAY + timedelta(days=900)).isoformat(),
        },
        "consent": {"processing": True, "share_with_employers": True},
    } | overrides
    return make_participant(client, **body)


def matching_job(client: TestClient, employer_id: int, **overrides: Any) -> dict[str, Any]:
    body = {
        "employer_id": employer_id,
        "occupation": None,
        "skills": [{"skill_id": PICKING, "importance": "must", "level": 2}],
        "min_german_level": "B1",
        "postal_code": "04552",
        "shifts": ["day"],
        "start_date": (TODAY + timedelta(days=60)).isoformat(),
        "valid_through": (TODAY + timedelta(days=120)).isoformat(),
    } | overrides
    return make_vacancy(client, **body)


def make_placement(client: TestClient, participant_id: int, vacancy_id: int) -> dict[str, Any]:
    """A placement in ``suggested``, placed by override whether or not the pair fits."""
    response = client.post(
        "/api/v1/placements",
        json={
            "participant_id": participant_id,
            "vacancy_id": vacancy_id,
            "override_reason": "Test fixture: the route is tested, not the match.",
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def pseudonyms_of(client: TestClient, participant_id: int) -> dict[str, str]:
    """``{audience: pseudonym}`` as an admin sees them in the full record."""
    response = client.get(f"/api/v1/participants/{participant_id}")
    assert response.status_code == 200, response.text
    return {p["audience"]: p["pseudonym"] for p in response.json()["pseudonyms"]}


def partner_audience(key: dict[str, Any]) -> str:
    """The audience of a partner system calling with the API key ``key`` (a make_key answer)."""
    return f"partner:key:{key['id']}"
