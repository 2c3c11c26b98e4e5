"""The console in a real browser: Debian's chromium driven by Playwright (no browser download).

CI installs chromium (scripts/test); elsewhere these tests skip with the reason when it is
missing. The app runs in uvicorn on 127.0.0.1, which chromium treats as a secure origin, so the
Secure session cookie works over plain HTTP there.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session

from kai_match.config import Settings
from kai_match.console.accounts import create_account
from kai_match.main import create_app
from tests.builders import make_employer, matching_job, matching_person, participant_body
from tests.conftest import ADMIN_KEY
from tests.live_server import serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.xdist_group("browser")

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI needs Debian's chromium for the browser tests (scripts/test)")
    pytest.skip(
        "Debian's chromium is not installed (scripts/test installs it)", allow_module_level=True
    )

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")


@pytest.fixture(scope="module")
def site(tmp_path_factory, sqlite_template) -> Iterator[dict]:
    """A live app with a Grimma counsellor and one person at Grimma and one at Borna."""
    path = tmp_path_factory.mktemp("browser") / "kai.db"
    path.write_bytes(sqlite_template.read_bytes())
    settings = Settings(
        database_url=f"sqlite:///{path}",
        environment="test",
        auto_migrate=False,
        bootstrap_admin_key=ADMIN_KEY,
        rate_limit_per_minute=0,
    )
    app = create_app(settings)
    server, thread, url = serve(app)
    with Session(app.state.engine) as session, session.begin():
        create_account(
            session,
            username="anna",
            display_name="Anna Berger",
            role="counsellor",
            site="grimma",
            password="grimma-password-1",
            cheap=True,
        )
    api = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {ADMIN_KEY}"})
    people = {}
    for place, first in (("grimma", "Rana"), ("borna", "Sami")):
        body = participant_body(site=place, first_name=first, last_name="Haddad")
        people[place] = api.post("/api/v1/participants", json=body).json()
    employer = make_employer(api)
    matching_job(api, employer["id"], title="Lagerhelfer Frühdienst")
    people["fitting"] = matching_person(api, first_name="Lina", last_name="Nasser")
    yield {"url": url, "people": people}
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(locale="de-DE")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _sign_in(page, site, password: str = "grimma-password-1") -> None:
    page.goto(site["url"] + "/")
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()


def test_sign_in_and_sign_out(page, site) -> None:
    _sign_in(page, site, password="not-the-password")
    assert page.get_by_role("alert").inner_text() == "Name oder Passwort ist falsch."
    _sign_in(page, site)
    assert page.get_by_role("heading", level=1).inner_text() == "Fallliste Grimma"
    cookie = next(c for c in page.context.cookies() if c["name"] == "kai_console")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    page.get_by_role("button", name="Abmelden").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Anmelden in der Konsole"
    page.goto(site["url"] + "/console/caseload")
    assert page.url.endswith("/console/sign-in")


def test_a_counsellor_never_sees_another_site(page, site) -> None:
    _sign_in(page, site)
    rows = page.locator("tbody tr td:first-child a")
    assert rows.all_inner_texts() == ["Haddad, Rana", "Nasser, Lina"]
    page.get_by_label("Name, Kennung oder Pseudonym").fill("Sami")
    page.get_by_role("button", name="Anzeigen").click()
    assert page.get_by_role("status").inner_text() == "0 Personen"
    page.goto(f"{site['url']}/console/participants/{site['people']['borna']['id']}")
    assert page.get_by_role("heading", level=1).inner_text() == "Nicht gefunden"
    page.goto(f"{site['url']}/console/participants/{site['people']['grimma']['id']}")
    assert page.get_by_role("heading", level=1).inner_text() == "Rana Haddad"


def test_a_form_without_its_token_is_refused(page, site) -> None:
    _sign_in(page, site)
    page.evaluate("document.querySelector('input[name=csrftoken]').remove()")
    page.get_by_role("button", name="Abmelden").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Formular nicht angenommen"
    page.goto(site["url"] + "/console/caseload")
    assert page.get_by_role("heading", level=1).inner_text() == "Fallliste Grimma"


def test_keyboard_and_small_screens(page, site) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    _sign_in(page, site)
    page.wait_for_load_state()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Zum Inhalt springen"
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], "the caseload scrolls sideways on a phone"
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Caseload Grimma"


def test_every_asset_comes_from_kai_match(page, site) -> None:
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    _sign_in(page, site)
    page.goto(f"{site['url']}/console/participants/{site['people']['grimma']['id']}")
    assert hosts == {site["url"].split("/")[2]}


def test_suggestions_with_reasons_and_why_not(page, site) -> None:
    _sign_in(page, site)
    page.goto(f"{site['url']}/console/participants/{site['people']['fitting']['id']}")
    page.get_by_role("link", name="Vorschläge mit Begründung").click()
    assert page.get_by_role("status").inner_text() == "1 passendes Angebot"
    first = page.locator("ol.suggestions > li").first
    assert "Lagerhelfer Frühdienst" in first.get_by_role("heading").inner_text()
    assert first.get_by_role("img").count() == 5  # one bar per component, each with its points
    first.get_by_role("link", name="Diese Paarung erklären").click()
    assert "Diese Paarung passt und kann vorgeschlagen werden." in page.content()


def test_api_docs_render_without_any_other_host(page, site) -> None:
    """What the browser fetched (ReDoc's footer asks its CDN for a logo; the CSP blocks it)."""
    hosts = set()
    page.on("response", lambda response: hosts.add(response.url.split("/")[2]))
    page.goto(site["url"] + "/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "kai-match" in page.locator(".swagger-ui .info .title").inner_text()
    page.goto(site["url"] + "/redoc")
    page.locator("h1").first.wait_for()
    assert hosts == {site["url"].split("/")[2]}
