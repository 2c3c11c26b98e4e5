"""Console fixtures: the app over HTTPS (its cookies are Secure), accounts, people at two sites."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from kai_match.console.accounts import create_account
from kai_match.main import create_app
from tests.builders import make_participant
from tests.conftest import ADMIN_KEY

PASSWORDS = {
    "anna": ("counsellor", "grimma", "grimma-password-1"),
    "ben": ("counsellor", "borna", "borna-password-22"),
    "chef": ("admin", None, "admin-password-333"),
}


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found.group(1)


@pytest.fixture
def console(settings) -> Iterator[TestClient]:
    """A browser-like client (no API key) of a fresh app, with three accounts."""
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        with Session(app.state.engine) as session, session.begin():
            for name, (role, site, password) in PASSWORDS.items():
                create_account(
                    session,
                    username=name,
                    display_name=name.title(),
                    role=role,
                    site=site,
                    password=password,
                    cheap=True,
                )
        yield client


@pytest.fixture
def people(console) -> dict[str, dict]:
    """Two people called Haddad, one at each counsellor's site (made through the API)."""
    api = TestClient(console.app, headers={"Authorization": f"Bearer {ADMIN_KEY}"})
    return {
        "grimma": make_participant(api, site="grimma", first_name="Rana", last_name="Haddad"),
        "borna": make_participant(api, site="borna", first_name="Sami", last_name="Haddad"),
    }


@pytest.fixture
def sign_in(console) -> Callable[[str], TestClient]:
    def as_user(name: str) -> TestClient:
        token = csrf_of(console.get("/console/sign-in").text)
        answer = console.post(
            "/console/sign-in",
            data={"username": name, "password": PASSWORDS[name][2], "csrftoken": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        return console

    return as_user
