"""Suggestions with reasons and "why not" in the console, through the ranking services."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders import make_employer, matching_job, matching_person
from tests.conftest import ADMIN_KEY


def _api(console) -> TestClient:
    return TestClient(console.app, headers={"Authorization": f"Bearer {ADMIN_KEY}"})


def test_suggestions_show_the_fitting_job_with_its_reasons(console, sign_in) -> None:
    api = _api(console)
    employer = make_employer(api)
    fitting = matching_job(api, employer["id"], title="Lagerhelfer Frühdienst")
    too_hard = matching_job(
        api, employer["id"], title="Disponent", min_german_level="C1", german_tolerance=0
    )
    person = matching_person(api, first_name="Rana", last_name="Haddad")
    client = sign_in("anna")  # Grimma, like the person
    page = client.get(f"/console/participants/{person['id']}/suggestions")
    assert page.status_code == 200
    assert "Lagerhelfer Frühdienst" in page.text and "Disponent" not in page.text
    assert '<p role="status">1 passendes Angebot</p>' in page.text
    assert "Deutsch" in page.text and "Arbeitsweg" in page.text  # component labels
    why = client.get(
        f"/console/participants/{person['id']}/why-not", params={"vacancy_id": too_hard["id"]}
    )
    assert why.status_code == 200 and "Diese Paarung passt nicht, weil:" in why.text
    fits = client.get(
        f"/console/participants/{person['id']}/why-not", params={"vacancy_id": fitting["id"]}
    )
    assert "Diese Paarung passt und kann vorgeschlagen werden." in fits.text


def test_another_sites_person_has_no_suggestions_page(console, sign_in) -> None:
    api = _api(console)
    person = matching_person(api, site="borna")
    client = sign_in("anna")
    assert client.get(f"/console/participants/{person['id']}/suggestions").status_code == 404
    english = client.get(f"/console/participants/{person['id']}/why-not?vacancy_id=1&lang=en")
    assert english.status_code == 404 and "Not found" in english.text


def test_a_long_ranking_shows_the_first_ten(console, sign_in) -> None:
    """More fitting jobs than one page: the ranking signs a cursor for the rest."""
    api = _api(console)
    employer = make_employer(api)
    for n in range(12):
        matching_job(api, employer["id"], title=f"Lager {n:02d}")
    person = matching_person(api)
    page = sign_in("anna").get(f"/console/participants/{person['id']}/suggestions")
    assert page.status_code == 200
    assert '<p role="status">12 passende Angebote</p>' in page.text
    assert page.text.count("<h2>Lager ") == 10
