"""Every route of the OpenAPI × every role: the status each caller gets.

The routes come from ``app.openapi()``, so a new route without a row in ``EXPECTED`` fails
``test_every_route_has_a_rule``. Path ids point at records of site A / employer A, so the
counsellor of site B and employer B show the 404 of "out of reach". Requests are sent in the
order GET, POST, PATCH, DELETE, so reads see the world before anything is closed or archived.
Bodies of non-admin, non-counsellor callers are scanned for personal data.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from kai_match.api.examples import JOB_POSTING
from kai_match.models import Placement
from tests.builders import employer_body, make_vacancy, participant_body, vacancy_body
from tests.world import World, assert_no_personal_data

ROLES = (
    "admin",
    "counsellor_a",
    "counsellor_b",
    "employer_a",
    "employer_b",
    "partner",
    "analyst",
    "anonymous",
)
PSEUDONYMOUS_ROLES = {"employer_a", "employer_b", "partner", "analyst", "anonymous"}

# fmt: off
EXPECTED: dict[tuple[str, str], tuple[int, ...]] = {
    #                                                       admin cnsA cnsB empA empB part anal anon
    ("GET", "/health"):                                     (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "/ready"):                                      (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "/metrics"):                                    (200, 200, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/participants"):                       (201, 201, 403, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/participants"):                        (200, 200, 200, 403, 403, 403, 200, 401),
    ("GET", "/api/v1/participants/{participant_id}"):       (200, 200, 404, 403, 403, 403, 200, 401),
    ("PATCH", "/api/v1/participants/{participant_id}"):     (200, 200, 404, 403, 403, 403, 403, 401),
    ("DELETE", "/api/v1/participants/{participant_id}"):    (204, 204, 404, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/participants/{participant_id}/consents"):
                                                            (200, 200, 404, 403, 403, 403, 403, 401),
    ("POST", "/api/v1/participants/{participant_id}/consents"):
                                                            (201, 201, 404, 403, 403, 403, 403, 401),
    ("POST", "/api/v1/participants/{participant_id}/consents/withdrawal"):
                                                            (200, 200, 404, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/participants/{participant_id}/export"):
                                                            (200, 200, 404, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/participants/{participant_id}/matches"):
                                                            (200, 200, 404, 403, 403, 200, 200, 401),
    ("POST", "/api/v1/employers"):                          (201, 403, 403, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/employers"):                           (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "/api/v1/employers/{employer_id}"):             (200, 200, 200, 200, 404, 200, 200, 401),
    ("PATCH", "/api/v1/employers/{employer_id}"):           (200, 403, 403, 200, 404, 403, 403, 401),
    ("DELETE", "/api/v1/employers/{employer_id}"):          (409, 403, 403, 403, 403, 403, 403, 401),
    ("POST", "/api/v1/vacancies"):                          (201, 403, 403, 201, 403, 403, 403, 401),
    ("GET", "/api/v1/vacancies"):                           (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "/api/v1/vacancies/{vacancy_id}"):              (200, 200, 200, 200, 404, 200, 200, 401),
    ("PATCH", "/api/v1/vacancies/{vacancy_id}"):            (200, 403, 403, 200, 404, 403, 403, 401),
    ("DELETE", "/api/v1/vacancies/{vacancy_id}"):           (204, 403, 403, 204, 404, 403, 403, 401),
    ("GET", "/api/v1/vacancies/{vacancy_id}/matches"):      (200, 200, 200, 200, 404, 200, 200, 401),
    ("POST", "/api/v1/vacancies/jobposting"):               (201, 403, 403, 201, 403, 403, 403, 401),
    ("POST", "/api/v1/vacancies/{vacancy_id}/merge"):       (200, 200, 200, 403, 403, 403, 403, 401),
    ("POST", "/api/v1/vacancies/bulk"):                     (200, 403, 403, 200, 200, 200, 403, 401),
    ("POST", "/api/v1/employers/bulk"):                     (200, 403, 403, 403, 403, 200, 403, 401),
    ("POST", "/api/v1/participants/bulk"):                  (200, 200, 200, 403, 403, 403, 403, 401),
    # By reference: only keys configured for the system may write (the world's keys are not).
    ("PUT", "/api/v1/vacancies/by-ref/{system}/{ref_id}"):  (201, 403, 403, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/vacancies/by-ref/{system}/{ref_id}"):  (200, 200, 200, 200, 404, 200, 200, 401),
    ("PUT", "/api/v1/employers/by-ref/{system}/{ref_id}"):  (201, 403, 403, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/employers/by-ref/{system}/{ref_id}"):  (200, 200, 200, 200, 404, 200, 200, 401),
    ("PUT", "/api/v1/participants/by-ref/{system}/{ref_id}"):
                                                            (201, 403, 403, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/participants/by-ref/{system}/{ref_id}"):
                                                            (200, 200, 404, 403, 403, 403, 403, 401),
    ("POST", "/api/v1/placements"):                         (201, 201, 404, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/placements"):                          (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "/api/v1/placements/{placement_id}"):           (200, 200, 404, 200, 404, 200, 200, 401),
    ("PATCH", "/api/v1/placements/{placement_id}"):         (200, 200, 404, 403, 403, 403, 403, 401),
    ("POST", "/api/v1/placements/{placement_id}/transitions"):
                                                            (200, 200, 404, 200, 404, 403, 403, 401),
    ("POST", "/api/v1/placements/{placement_id}/follow-ups"):
                                                            (201, 201, 404, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/follow-ups/due"):                      (200, 200, 200, 403, 403, 403, 403, 401),
    ("POST", "/api/v1/participants/{participant_id}/contacts"):
                                                            (201, 201, 404, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/participants/{participant_id}/contacts"):
                                                            (200, 200, 404, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/contacts/overdue"):                    (200, 200, 200, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/match-lists"):                         (200, 403, 403, 403, 403, 200, 200, 401),
    ("POST", "/api/v1/webhooks"):                           (201, 403, 403, 403, 403, 201, 403, 401),
    ("GET", "/api/v1/webhooks"):                            (200, 403, 403, 403, 403, 200, 403, 401),
    ("GET", "/api/v1/webhooks/{webhook_id}"):               (200, 403, 403, 403, 403, 404, 403, 401),
    ("PATCH", "/api/v1/webhooks/{webhook_id}"):             (200, 403, 403, 403, 403, 404, 403, 401),
    ("DELETE", "/api/v1/webhooks/{webhook_id}"):            (204, 403, 403, 403, 403, 404, 403, 401),
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries"):    (200, 403, 403, 403, 403, 404, 403, 401),
    ("GET", "/api/v1/matches/explain"):                     (200, 200, 404, 403, 403, 403, 403, 401),
    ("POST", "/api/v1/matches/batch"):                      (200, 200, 404, 403, 403, 200, 200, 401),
    ("POST", "/api/v1/api-keys"):                           (201, 403, 403, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/api-keys"):                            (200, 403, 403, 403, 403, 403, 403, 401),
    ("DELETE", "/api/v1/api-keys/{key_id}"):                (204, 403, 403, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/audit"):                               (200, 403, 403, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/statistics/participants"):             (200, 200, 200, 403, 403, 403, 200, 401),
    ("GET", "/api/v1/taxonomy/skills"):                     (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "/api/v1/taxonomy/occupations"):                (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "/api/v1/taxonomy/regulated-occupations"):      (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "/api/v1/taxonomy/normalize"):                 (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "/api/v1/weight-profiles"):                    (201, 403, 403, 403, 403, 403, 201, 401),
    ("GET", "/api/v1/weight-profiles"):                     (200, 200, 200, 403, 403, 200, 200, 401),
    ("GET", "/api/v1/weight-profiles/{profile_id}"):        (200, 200, 200, 403, 403, 200, 200, 401),
    ("POST", "/api/v1/weight-profiles/{profile_id}/activate"):
                                                            (200, 403, 403, 403, 403, 403, 403, 401),
    ("DELETE", "/api/v1/weight-profiles/{profile_id}"):     (204, 403, 403, 403, 403, 403, 403, 401),
    ("POST", "/api/v1/evaluations"):                        (200, 403, 403, 403, 403, 403, 200, 401),
    ("POST", "/api/v1/weight-profiles/fit"):                (409, 403, 403, 403, 403, 403, 409, 401),
    ("POST", "/api/v1/assignments"):                        (200, 200, 404, 403, 403, 403, 403, 401),
    ("GET", "/api/v1/reports/programme"):                   (200, 200, 200, 403, 403, 403, 200, 401),
    ("GET", "/api/v1/reports/fairness"):                    (200, 403, 403, 403, 403, 403, 200, 401),
    ("GET", "/api/v1/reports/proposals"):                   (200, 200, 200, 403, 403, 403, 403, 401),
}
# fmt: on

METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}


def openapi_routes(client) -> list[tuple[str, str]]:
    spec = client.app.openapi()
    return sorted(
        ((method.upper(), path) for path, ops in spec["paths"].items() for method in ops),
        key=lambda r: (METHOD_ORDER[r[0]], r[1]),
    )


def test_every_route_has_a_rule(client):
    routes = set(openapi_routes(client))
    missing = sorted(routes - EXPECTED.keys())
    assert not missing, f"routes without an access rule in EXPECTED: {missing}"
    stale = sorted(EXPECTED.keys() - routes)
    assert not stale, f"rules for routes that no longer exist: {stale}"


def test_every_api_route_names_its_roles(client):
    """``x-roles`` comes from ``allow(...)``: a route without it has no role rule at all."""
    spec = client.app.openapi()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if path.startswith("/api/v1"):
                assert op.get("x-roles"), (method, path)
                assert "401" in op["responses"] and "403" in op["responses"], (method, path)


def _setup_for_routes(client, world: World) -> dict[str, Any]:
    ids: dict[str, Any] = {
        "participant_id": world.participant_a["id"],
        "vacancy_id": world.vacancy_a["id"],
        "employer_id": world.employer_a["id"],
        "key_id": world.keys["spare"]["id"],
        "system": "matrix",
        "ref_id": "M-1",
    }
    for collection, record in (
        ("participants", world.participant_a),
        ("employers", world.employer_a),
        ("vacancies", world.vacancy_a),
    ):
        tagged = client.patch(
            f"/api/v1/{collection}/{record['id']}",
            json={"external_refs": [{"system": "matrix", "id": "M-1"}]},
        )
        assert tagged.status_code == 200, tagged.text
    drafts = [client.post("/api/v1/weight-profiles", json={"name": n}) for n in ("m-a", "m-b")]
    assert all(d.status_code == 201 for d in drafts), drafts[0].text
    ids["profile_id"], ids["unused_profile_id"] = (d.json()["id"] for d in drafts)
    ids["placement_id"] = _placement(client, world, world.vacancy_a["id"], SENT)
    # The admin's endpoint: out of the partner's reach (404). A public address, no lookup.
    hook = client.post("/api/v1/webhooks", json=WEBHOOK_BODY)
    assert hook.status_code == 201, hook.text
    ids["webhook_id"] = hook.json()["id"]
    # A hire of long ago, so a follow-up can be recorded.
    ids["spare_vacancy_id"] = make_vacancy(client, employer_id=world.employer_a["id"])["id"]
    other_job = make_vacancy(client, employer_id=world.employer_a["id"])
    ids["hired_placement_id"] = _placement(client, world, other_job["id"], (*SENT, "hired"))
    with client.app.state.engine.begin() as connection:
        connection.execute(
            update(Placement)
            .where(Placement.id == ids["hired_placement_id"])
            .values(hired_on=date.today() - timedelta(days=200))
        )
    return ids


SENT = ("proposed", "accepted_by_participant", "sent_to_employer")
WEBHOOK_BODY = {"url": "https://93.184.215.14/kai-match", "events": ["placement.changed"]}


def _placement(client, world: World, vacancy_id: int, states: tuple[str, ...]) -> int:
    """A placement of participant A, moved through ``states`` by the admin."""
    created = client.post(
        "/api/v1/placements",
        json={
            "participant_id": world.participant_a["id"],
            "vacancy_id": vacancy_id,
            "override_reason": "Matrix: the route is tested, not the match.",
        },
    )
    assert created.status_code == 201, created.text
    placement_id = created.json()["id"]
    for state in states:
        url = f"/api/v1/placements/{placement_id}/transitions"
        assert client.post(url, json={"to": state}).status_code == 200
    return placement_id


def _request_for(method: str, path: str, world: World, ids: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments of a valid request: allowed callers get a 2xx (or a domain 409)."""
    bodies: dict[tuple[str, str], Any] = {
        ("POST", "/api/v1/participants"): participant_body(site="grimma"),
        ("PATCH", "/api/v1/participants/{participant_id}"): {"german_level": "B1"},
        ("POST", "/api/v1/participants/{participant_id}/consents"): {"purpose": "processing"},
        ("POST", "/api/v1/participants/{participant_id}/consents/withdrawal"): {
            "purpose": "share_with_employers"
        },
        ("POST", "/api/v1/employers"): employer_body(name="Neu GmbH"),
        ("PATCH", "/api/v1/employers/{employer_id}"): {"support": ["mentor"]},
        ("POST", "/api/v1/vacancies"): vacancy_body(employer_id=world.employer_a["id"]),
        ("PATCH", "/api/v1/vacancies/{vacancy_id}"): {"openings": 3},
        ("PUT", "/api/v1/vacancies/by-ref/{system}/{ref_id}"): vacancy_body(
            employer_id=world.employer_a["id"]
        ),
        ("PUT", "/api/v1/employers/by-ref/{system}/{ref_id}"): employer_body(name="Ref GmbH"),
        ("PUT", "/api/v1/participants/by-ref/{system}/{ref_id}"): participant_body(site="grimma"),
        ("POST", "/api/v1/vacancies/{vacancy_id}/merge"): {"duplicate_id": ids["spare_vacancy_id"]},
        # Rows a caller may not write fail in the report (200), as in any bulk answer.
        ("POST", "/api/v1/vacancies/bulk"): [vacancy_body(employer_id=world.employer_a["id"])],
        ("POST", "/api/v1/employers/bulk"): [employer_body(name="Bulk GmbH")],
        ("POST", "/api/v1/participants/bulk"): [participant_body(site="grimma")],
        ("POST", "/api/v1/api-keys"): {"role": "partner"},
        ("POST", "/api/v1/weight-profiles"): {"name": "analyst-draft"},
        ("POST", "/api/v1/matches/batch"): {
            "participant_ids": [world.participant_a["id"]],
            "limit": 5,
        },
        ("POST", "/api/v1/taxonomy/normalize"): {"kind": "skill", "texts": ["Staplerschein"]},
        ("POST", "/api/v1/vacancies/jobposting"): JOB_POSTING,
        ("POST", "/api/v1/placements"): {
            "participant_id": world.participant_a["id"],
            "vacancy_id": world.vacancy_b["id"],
            "override_reason": "Matrix: the route is tested, not the match.",
        },
        ("PATCH", "/api/v1/placements/{placement_id}"): {"note": "Probetag bestätigt"},
        ("POST", "/api/v1/webhooks"): WEBHOOK_BODY,
        ("PATCH", "/api/v1/webhooks/{webhook_id}"): {"status": "paused"},
        ("POST", "/api/v1/evaluations"): {"baseline": "default", "resamples": 100},
        ("POST", "/api/v1/weight-profiles/fit"): {"name": "matrix-fit"},
        ("POST", "/api/v1/assignments"): {
            "participant_ids": [world.participant_a["id"]],
            "vacancy_ids": [world.vacancy_a["id"]],
        },
        ("POST", "/api/v1/placements/{placement_id}/transitions"): {
            "to": "trial_scheduled",
            "date": date.today().isoformat(),
        },
        ("POST", "/api/v1/participants/{participant_id}/contacts"): {
            "contact_on": date.today().isoformat(),
            "channel": "phone",
            "topic": "counselling",
            "note": "Matrix: Termin bestätigt",
        },
        ("POST", "/api/v1/placements/{placement_id}/follow-ups"): {
            "month": 3,
            "still_employed": True,
            "checked_on": date.today().isoformat(),
        },
    }
    params: dict[tuple[str, str], dict[str, Any]] = {
        ("GET", "/api/v1/taxonomy/skills"): {"q": "Stapler"},
        ("GET", "/api/v1/taxonomy/occupations"): {"q": "Lager"},
        ("GET", "/api/v1/matches/explain"): {
            "participant_id": world.participant_a["id"],
            "vacancy_id": world.vacancy_a["id"],
        },
        ("POST", "/api/v1/vacancies/jobposting"): {"employer_id": world.employer_a["id"]},
    }
    if (method, path) == ("DELETE", "/api/v1/weight-profiles/{profile_id}"):
        ids = ids | {"profile_id": ids["unused_profile_id"]}  # the other one was activated
    if path == "/api/v1/placements/{placement_id}/follow-ups":
        ids = ids | {"placement_id": ids["hired_placement_id"]}
    if method == "PUT" and "/by-ref/" in path:
        ids = ids | {"ref_id": "M-new"}  # a new reference: the world's records stay as they are
    kwargs: dict[str, Any] = {"url": path.format(**ids)}
    if (method, path) in bodies:
        kwargs["json"] = bodies[(method, path)]
    if (method, path) in params:
        kwargs["params"] = params[(method, path)]
    return kwargs


@pytest.mark.parametrize("role", ROLES)
def test_role_gets_the_expected_status_on_every_route(client, world: World, role: str):
    routes = openapi_routes(client)
    ids = _setup_for_routes(client, world)
    headers = world.headers(role)
    column = ROLES.index(role)
    wrong = []
    for method, path in routes:
        expected = EXPECTED[(method, path)][column]
        kwargs = _request_for(method, path, world, ids)
        extra = {}
        if method == "PATCH":  # employer and partner keys must send If-Match (428 without)
            extra["If-Match"] = client.get(kwargs["url"]).headers.get("ETag", "")
        response = client.request(method, headers=headers | extra, **kwargs)
        if response.status_code != expected:
            wrong.append((method, path, expected, response.status_code, response.text[:200]))
            continue
        if response.status_code >= 400 and path.startswith("/api/v1"):
            assert response.headers["content-type"] == "application/problem+json"
        if response.status_code == 401:
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        if role in PSEUDONYMOUS_ROLES:
            assert_no_personal_data(response.text, (method, path))
    assert not wrong, "\n".join(map(str, wrong))
