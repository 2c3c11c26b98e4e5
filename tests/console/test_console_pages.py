"""Console pages over HTTP: sign-in, cookies, CSRF, lock-out, site scope, audit, accounts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from kai_match.console import sessions
from kai_match.models import AuditEntry, ConsoleSession, UserAccount
from tests.console.conftest import PASSWORDS, csrf_of


def _names(page: str) -> list[str]:
    return re.findall(r'/console/participants/\d+">([^<]+)</a>', page)


def test_root_leads_to_the_german_sign_in(console) -> None:
    page = console.get("/")
    assert page.status_code == 200 and page.url.path == "/console/sign-in"
    assert '<html lang="de">' in page.text and "Anmelden in der Konsole" in page.text
    assert page.headers["cache-control"] == "no-store"
    english = console.get("/console/sign-in?lang=en")
    assert '<html lang="en">' in english.text and "Sign in to the console" in english.text


def test_sign_in_sets_a_strict_http_only_secure_cookie(console) -> None:
    token = csrf_of(console.get("/console/sign-in").text)
    answer = console.post(
        "/console/sign-in",
        data={"username": "anna", "password": PASSWORDS["anna"][2], "csrftoken": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/console/caseload"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("kai_console="))
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite=strict", "path=/console"} <= flags
    with Session(console.app.state.engine) as session:
        stored = session.exec(select(ConsoleSession.token_hash)).all()
    token_value = cookie.split(";")[0].split("=", 1)[1]
    assert stored and token_value not in stored  # only the hash is kept


def test_wrong_password_is_refused_in_plain_words(console) -> None:
    token = csrf_of(console.get("/console/sign-in").text)
    answer = console.post(
        "/console/sign-in", data={"username": "anna", "password": "nope", "csrftoken": token}
    )
    assert answer.status_code == 401 and "Name oder Passwort ist falsch." in answer.text
    unknown = console.post(
        "/console/sign-in", data={"username": "nobody", "password": "x", "csrftoken": token}
    )
    assert unknown.status_code == 401 and "Name oder Passwort ist falsch." in unknown.text


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(console) -> None:
    token = csrf_of(console.get("/console/sign-in").text)
    for _ in range(5):
        console.post(
            "/console/sign-in", data={"username": "ben", "password": "wrong", "csrftoken": token}
        )
    right = console.post(
        "/console/sign-in",
        data={"username": "ben", "password": PASSWORDS["ben"][2], "csrftoken": token},
    )
    assert right.status_code == 401 and "vorübergehend gesperrt" in right.text
    with Session(console.app.state.engine) as session:
        account = session.exec(select(UserAccount).where(UserAccount.username == "ben")).one()
    assert account.locked_until is not None


def test_a_form_without_its_csrf_token_is_refused(console, sign_in) -> None:
    client = sign_in("anna")
    refused = client.post("/console/sign-out", data={}, follow_redirects=False)
    assert refused.status_code == 403 and "Formular nicht angenommen" in refused.text
    assert client.get("/console/caseload").status_code == 200  # still signed in
    forged = client.post("/console/sign-out", data={"csrftoken": "forged"})
    assert forged.status_code == 403
    login = client.post(
        "/console/sign-in",
        data={"username": "anna", "password": PASSWORDS["anna"][2]},
        follow_redirects=False,
    )
    assert login.status_code == 403  # the sign-in form is protected even without cookies


def test_sign_out_ends_the_session_on_the_server(console, sign_in) -> None:
    client = sign_in("anna")
    cookie = client.cookies.get(sessions.COOKIE)
    page = client.get("/console/caseload")
    out = client.post(
        "/console/sign-out", data={"csrftoken": csrf_of(page.text)}, follow_redirects=False
    )
    assert out.status_code == 303 and out.headers["location"] == "/console/sign-in"
    client.cookies.set(sessions.COOKIE, cookie, domain="testserver", path="/console")
    again = client.get("/console/caseload", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/console/sign-in"


def test_pages_without_a_session_redirect_to_sign_in(console, people) -> None:
    for path in ("/console/caseload", f"/console/participants/{people['grimma']['id']}"):
        answer = console.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/console/sign-in"


def test_a_counsellor_sees_only_their_site(console, sign_in, people) -> None:
    client = sign_in("anna")  # Grimma
    listed = client.get("/console/caseload")
    assert _names(listed.text) == ["Haddad, Rana"]
    found = client.get("/console/caseload", params={"q": "haddad"})
    assert _names(found.text) == ["Haddad, Rana"]
    other = client.get(f"/console/participants/{people['borna']['id']}")
    assert other.status_code == 404 and "außerhalb Ihres Bereichs" in other.text
    asked = client.get("/console/caseload", params={"site": "borna"})
    assert asked.status_code == 403
    own = client.get(f"/console/participants/{people['grimma']['id']}")
    assert own.status_code == 200 and "<h1>Rana Haddad</h1>" in own.text


def test_an_admin_sees_every_site_and_filters_by_one(console, sign_in, people) -> None:
    client = sign_in("chef")
    assert sorted(_names(client.get("/console/caseload").text)) == [
        "Haddad, Rana",
        "Haddad, Sami",
    ]
    only = client.get("/console/caseload", params={"site": "borna"})
    assert _names(only.text) == ["Haddad, Sami"]
    by_id = client.get("/console/caseload", params={"q": people["borna"]["public_id"]})
    assert _names(by_id.text) == ["Haddad, Sami"]


def test_console_reads_are_audited_as_the_signed_in_person(console, sign_in, people) -> None:
    client = sign_in("anna")
    client.get("/console/caseload")
    page = client.get(f"/console/participants/{people['grimma']['id']}")
    with Session(console.app.state.engine) as session:
        entries = session.exec(
            select(AuditEntry.action, AuditEntry.route).where(AuditEntry.actor == "user:anna")
        ).all()
    assert ("sign_in", "POST /console/sign-in") in entries
    assert ("list", "GET /console/caseload") in entries
    assert ("read", "GET /console/participants/{participant_id}") in entries
    assert "user:anna (counsellor)" in page.text  # the record shows who read it


def test_only_admins_manage_accounts_and_errors_name_the_field(console, sign_in) -> None:
    assert sign_in("anna").get("/console/accounts").status_code == 403
    client = sign_in("chef")
    page = client.get("/console/accounts")
    assert page.status_code == 200
    data = {
        "username": "dora",
        "display_name": "Dora",
        "role": "counsellor",
        "site": "",
        "password": "short",
        "csrftoken": csrf_of(page.text),
    }
    refused = client.post("/console/accounts", data=data)
    assert refused.status_code == 422
    assert 'id="password-error"' in refused.text and "at least 12 characters" in refused.text
    assert 'id="site-error"' in refused.text
    assert 'value="dora"' in refused.text  # the form keeps what was typed
    created = client.post(
        "/console/accounts",
        data=data | {"site": "wurzen", "password": "a-long-password"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    with Session(console.app.state.engine) as session:
        dora = session.exec(select(UserAccount).where(UserAccount.username == "dora")).one()
    assert (dora.role, dora.site) == ("counsellor", "wurzen")


@pytest.mark.parametrize(
    ("path", "method", "anonymous", "counsellor", "admin"),
    [
        ("/console/", "GET", 303, 303, 303),
        ("/console/sign-in", "GET", 200, 200, 200),
        ("/console/caseload", "GET", 303, 200, 200),
        ("/console/participants/{own}", "GET", 303, 200, 200),
        ("/console/participants/{other}", "GET", 303, 404, 200),
        ("/console/accounts", "GET", 303, 403, 200),
        ("/console/accounts", "POST", 303, 403, 422),
        ("/console/sign-out", "POST", 303, 303, 303),
    ],
)
def test_route_matrix(console, sign_in, people, path, method, anonymous, counsellor, admin):
    url = path.format(own=people["grimma"]["id"], other=people["borna"]["id"])
    for who, expected in ((None, anonymous), ("anna", counsellor), ("chef", admin)):
        console.cookies.clear()
        client = sign_in(who) if who else console
        token = csrf_of(client.get("/console/sign-in").text)
        if method == "GET":
            answer = client.get(url, follow_redirects=False)
        else:
            answer = client.post(url, data={"csrftoken": token}, follow_redirects=False)
        assert answer.status_code == expected, (who, url, answer.status_code)


def test_an_idle_session_ends(console, sign_in) -> None:
    sign_in("anna")
    lifetime = sessions.Lifetime(idle=timedelta(minutes=30), absolute=timedelta(hours=10))
    token = console.cookies.get(sessions.COOKIE)
    with Session(console.app.state.engine) as session, session.begin():
        row = session.exec(select(ConsoleSession)).one()
        later = row.last_seen + timedelta(minutes=31)
        assert sessions.resolve(session, token, lifetime, now=later) is None
    with Session(console.app.state.engine) as session:
        assert session.exec(select(ConsoleSession)).all() == []


def test_console_pages_are_labelled_by_their_route_template(console, sign_in, people) -> None:
    client = sign_in("anna")
    client.get(f"/console/participants/{people['grimma']['id']}")
    metrics = client.get("/metrics").text
    assert 'route="/console/participants/{participant_id}"' in metrics
    assert f"/console/participants/{people['grimma']['id']}" not in metrics
