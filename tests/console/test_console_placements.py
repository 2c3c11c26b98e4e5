"""Placements in the console: from a suggestion, overrides, moves, stale pages, the board."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.builders import make_employer, matching_job, matching_person
from tests.conftest import ADMIN_KEY
from tests.console.conftest import csrf_of


def _world(console):
    api = TestClient(console.app, headers={"Authorization": f"Bearer {ADMIN_KEY}"})
    employer = make_employer(api)
    return {
        "api": api,
        "job": matching_job(api, employer["id"], title="Lagerhelfer"),
        "hard": matching_job(
            api, employer["id"], title="Disponent", min_german_level="C1", german_tolerance=0
        ),
        "person": matching_person(api, first_name="Rana", last_name="Haddad"),
    }


def _create(client, page_text: str, person_id: int, vacancy_id: int, **extra):
    data = {"participant_id": person_id, "vacancy_id": vacancy_id, "csrftoken": csrf_of(page_text)}
    return client.post("/console/placements", data=data | extra, follow_redirects=False)


def _etag(page: str) -> str:
    return html.unescape(re.search(r'name="etag" value="([^"]+)"', page).group(1))


def test_a_suggestion_becomes_a_placement_and_moves_on(console, sign_in) -> None:
    world = _world(console)
    client = sign_in("anna")
    suggestions = client.get(f"/console/participants/{world['person']['id']}/suggestions")
    assert "Diese Vermittlung vorschlagen" in suggestions.text
    created = _create(client, suggestions.text, world["person"]["id"], world["job"]["id"])
    assert created.status_code == 303
    url = created.headers["location"]
    page = client.get(url)
    assert "Rana Haddad × Lagerhelfer" in page.text and "vorgeschlagen" in page.text
    assert re.findall(r'name="to" value="(\w+)"', page.text) == ["proposed", "withdrawn"]
    moved = client.post(
        url + "/move",
        data={"to": "proposed", "etag": _etag(page.text), "csrftoken": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    after = client.get(url)
    assert "der Person vorgeschlagen" in after.text
    assert re.findall(r'name="to" value="(\w+)"', after.text) == [
        "accepted_by_participant",
        "withdrawn",
    ]
    api_view = world["api"].get(f"/api/v1{url.removeprefix('/console')}").json()
    assert api_view["state"] == "proposed"
    assert api_view["history"][-1]["actor"] == "user:anna"


def test_a_move_from_a_stale_page_is_refused_not_lost(console, sign_in) -> None:
    world = _world(console)
    client = sign_in("anna")
    page = client.get(f"/console/participants/{world['person']['id']}/suggestions")
    url = _create(client, page.text, world["person"]["id"], world["job"]["id"]).headers["location"]
    drawn = client.get(url).text  # two tabs show the same placement
    first = client.post(
        url + "/move", data={"to": "proposed", "etag": _etag(drawn), "csrftoken": csrf_of(drawn)}
    )
    assert first.status_code == 200  # the redirect, followed
    second = client.post(
        url + "/move",
        data={
            "to": "withdrawn",
            "reason_code": "other",
            "etag": _etag(drawn),
            "csrftoken": csrf_of(drawn),
        },
    )
    assert second.status_code == 412
    assert "Jemand anderes hat diese Vermittlung inzwischen geändert" in second.text
    state = world["api"].get(f"/api/v1{url.removeprefix('/console')}").json()["state"]
    assert state == "proposed"


def test_an_ending_without_its_reason_names_the_field(console, sign_in) -> None:
    world = _world(console)
    client = sign_in("anna")
    page = client.get(f"/console/participants/{world['person']['id']}/suggestions")
    url = _create(client, page.text, world["person"]["id"], world["job"]["id"]).headers["location"]
    drawn = client.get(url).text
    refused = client.post(
        url + "/move", data={"to": "withdrawn", "etag": _etag(drawn), "csrftoken": csrf_of(drawn)}
    )
    assert refused.status_code == 422
    assert "reason_code: is required for withdrawn" in refused.text


def test_a_pair_that_fails_a_rule_needs_a_reason_to_be_placed(console, sign_in) -> None:
    world = _world(console)
    client = sign_in("anna")
    page = client.get(f"/console/participants/{world['person']['id']}/suggestions")
    refused = _create(client, page.text, world["person"]["id"], world["hard"]["id"])
    assert refused.status_code == 409
    assert "Trotzdem vermitteln" in refused.text and "language" in refused.text
    placed = _create(
        client,
        refused.text,
        world["person"]["id"],
        world["hard"]["id"],
        override_reason="Betrieb stellt eine Sprachpatin",
    )
    assert placed.status_code == 303
    shown = world["api"].get(f"/api/v1{placed.headers['location'].removeprefix('/console')}")
    assert shown.json()["overridden_constraints"] == ["language"]


def test_no_override_is_offered_where_the_law_forbids_it(console, sign_in) -> None:
    world = _world(console)
    person = matching_person(world["api"], consent={"processing": False})
    client = sign_in("anna")
    page = client.get("/console/caseload")
    refused = _create(client, page.text, person["id"], world["job"]["id"])
    assert refused.status_code == 409 and "Trotzdem vermitteln" not in refused.text


def test_the_board_shows_the_own_sites_placements_by_state(console, sign_in) -> None:
    world = _world(console)
    other = matching_person(world["api"], site="borna", first_name="Sami")
    admin = sign_in("chef")
    page = admin.get("/console/caseload")
    _create(admin, page.text, world["person"]["id"], world["job"]["id"])
    borna = _create(admin, page.text, other["id"], world["job"]["id"])
    anna = sign_in("anna")
    board = anna.get("/console/board")
    assert board.status_code == 200
    column = board.text.split('id="col-suggested"')[1].split("</section>")[0]
    assert "Haddad, Rana" in column and "Sami" not in column
    assert anna.get(borna.headers["location"]).status_code == 404
