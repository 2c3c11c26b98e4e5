"""Realistic request bodies for the OpenAPI docs (the stable v1 shapes, see README.md)."""

from __future__ import annotations

from typing import Any

PARTICIPANT_CREATE: dict[str, Any] = {
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

PARTICIPANT_UPDATE: dict[str, Any] = {
    "german_level": "B1",
    "skills": [
        {"name": "Kommissionieren", "level": 3, "source": "assessed"},
        {"name": "Staplerschein", "level": 2, "source": "certified"},
    ],
}

EMPLOYER_CREATE: dict[str, Any] = {
    "name": "Logistik Muster GmbH",
    "sector": "H52.10",
    "postal_code": "04552",
    "contact_email": "personal@logistik-muster.example",
    "support": ["mentor", "multilingual_staff"],
}

EMPLOYER_UPDATE: dict[str, Any] = {"support": ["mentor", "multilingual_staff", "language_course"]}

VACANCY_CREATE: dict[str, Any] = {
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

VACANCY_UPDATE: dict[str, Any] = {"openings": 3, "valid_through": "2027-04-30"}

API_KEY_CREATE: dict[str, Any] = {"role": "counsellor", "site": "grimma", "label": "Team Grimma"}
API_KEY_CREATE_EMPLOYER: dict[str, Any] = {"role": "employer", "employer_id": 1}

CONSENT_GIVEN: dict[str, Any] = {
    "purpose": "share_with_employers",
    "legal_basis": "consent",
    "given_on": "2026-11-01",
}
CONSENT_WITHDRAWAL: dict[str, Any] = {
    "purpose": "share_with_employers",
    "withdrawn_on": "2026-12-01",
}


def example(summary: str, value: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {"default": {"summary": summary, "value": value}}


WEIGHT_PROFILE_CREATE: dict[str, Any] = {
    "name": "rural-commute",
    "description": "Commute weighs more for participants without a car in the villages.",
    "weights": {
        "language": 0.25,
        "skills": 0.25,
        "occupation": 0.10,
        "commute": 0.30,
        "preferences": 0.10,
    },
}

PLACEMENT_CREATE: dict[str, Any] = {
    "participant_id": 3,
    "vacancy_id": 7,
    "note": "Frau H. möchte zuerst eine Erprobung von zwei Wochen.",
}
PLACEMENT_CREATE_OVERRIDE: dict[str, Any] = {
    "participant_id": 3,
    "vacancy_id": 9,
    "override_reason": "Arbeitgeber bietet Fahrgemeinschaft an; Pendelzeit damit unter 40 Minuten.",
}
PLACEMENT_UPDATE: dict[str, Any] = {"note": "Probetag verschoben", "trial_end": "2027-01-22"}
TRANSITION_SCHEDULE: dict[str, Any] = {
    "to": "trial_scheduled",
    "date": "2027-01-11",
    "trial_end": "2027-01-22",
    "note": "Erprobung zwei Wochen, Frühschicht",
}
TRANSITION_NOT_HIRED: dict[str, Any] = {
    "to": "not_hired",
    "date": "2027-01-22",
    "reason_code": "commute",
    "note": "Frühschicht ohne Auto nicht erreichbar",
}
FOLLOW_UP: dict[str, Any] = {
    "month": 3,
    "still_employed": True,
    "checked_on": "2027-04-26",
    "note": "Telefonat mit Teamleitung",
}
JOB_POSTING: dict[str, Any] = {
    "@context": ["https://schema.org", {"kai": "https://kai-match.example/ns#"}],
    "@type": "JobPosting",
    "title": "Lagerhelfer/in (m/w/d)",
    "description": "Kommissionieren und Verpacken im Zwei-Schicht-Betrieb.",
    "hiringOrganization": {"@type": "Organization", "name": "Logistik Muster GmbH"},
    "jobLocation": {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "postalCode": "04552", "addressLocality": "Borna"},
    },
    "employmentType": "FULL_TIME",
    "workHours": "40 Stunden pro Woche, Früh- und Tagschicht",
    "validThrough": "2027-03-31T23:59:00+01:00",
    "jobStartDate": "2027-01-05",
    "totalJobOpenings": 2,
    "skills": ["Kommissionieren", "Gabelstapler fahren"],
    "occupationalCategory": "51311",
    "kai:minGermanLevel": "A2",
    "kai:germanTolerance": 1,
}
