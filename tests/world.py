"""A small world for access tests: two employers, two sites, a key for every role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.builders import make_employer, make_key, make_participant, make_vacancy

NAME = ("Amina", "Haddad")
BIRTH_DATE = "1994-03-12"
PERSONAL_STRINGS = (*NAME, BIRTH_DATE, "amina@example.org", "+49 3437 123456")


@dataclass
class World:
    employer_a: dict[str, Any]
    employer_b: dict[str, Any]
    vacancy_a: dict[str, Any]
    vacancy_b: dict[str, Any]
    participant_a: dict[str, Any]  # site grimma, shares with employers
    participant_b: dict[str, Any]  # site borna
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        """Headers of a request as ``role`` ("anonymous" sends no credentials)."""
        if role == "admin":
            return {}  # the client's default: the bootstrap admin key
        if role == "anonymous":
            return {"Authorization": ""}
        return {"Authorization": f"Bearer {self.keys[role]['key']}"}


@pytest.fixture
def world(client) -> World:
    employer_a = make_employer(client, name="Logistik A GmbH")
    employer_b = make_employer(client, name="Pflege B gGmbH", sector="Q87.10")
    vacancy_a = make_vacancy(client, employer_id=employer_a["id"], german_tolerance=2)
    vacancy_b = make_vacancy(client, employer_id=employer_b["id"], german_tolerance=2)
    personal = {"email": "amina@example.org", "phone": "+49 3437 123456"}
    participant_a = make_participant(client, site="grimma", **personal)
    participant_b = make_participant(
        client,
        site="borna",
        first_name="Olena",
        last_name="Kovalenko",
        birth_date="1988-07-01",
        home_postal_code="04552",
    )
    world = World(employer_a, employer_b, vacancy_a, vacancy_b, participant_a, participant_b)
    world.keys = {
        "counsellor_a": make_key(client, "counsellor", site="grimma"),
        "counsellor_b": make_key(client, "counsellor", site="borna"),
        "employer_a": make_key(client, "employer", employer_id=employer_a["id"]),
        "employer_b": make_key(client, "employer", employer_id=employer_b["id"]),
        "partner": make_key(client, "partner", label="Jobcenter"),
        "analyst": make_key(client, "analyst"),
        "spare": make_key(client, "partner", label="to be revoked"),
    }
    return world


def assert_no_personal_data(text: str, context: object = "") -> None:
    for value in PERSONAL_STRINGS:
        assert value not in text, (value, context)
