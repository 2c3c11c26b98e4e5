"""The OpenAPI document as a generated client reads it (issue 19, item 6): error media types,
operationIds, response headers that real answers carry, servers, security schemes, tags, and
the problem-type catalogue behind every ``type`` URI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kai_match import errors
from kai_match.api.openapi_document import TAGS
from kai_match.api.openapi_headers import ROUTE_HEADERS
from kai_match.api.operation_ids import PATTERN, domain_of
from kai_match.api.problem_types import PROBLEM_TYPES
from kai_match.config import Settings
from kai_match.main import create_app
from kai_match.models.api_key import Role
from tests.builders import (
    make_employer,
    make_participant,
    make_vacancy,
    matching_job,
    matching_person,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "kai_match"
DOCUMENT = create_app(Settings(database_url="sqlite://", auto_migrate=False)).openapi()
OPERATIONS = [
    (method, path, op) for path, ops in DOCUMENT["paths"].items() for method, op in ops.items()
]

# The whole list, so a renamed id (a renamed client method) is a decision, not an accident.
# fmt: off
OPERATION_IDS = {
    "GET /health": "ops_health",
    "GET /ready": "ops_ready",
    "GET /metrics": "ops_metrics",
    "POST /api/v1/participants": "participants_create",
    "GET /api/v1/participants": "participants_list",
    "GET /api/v1/participants/{participant_id}": "participants_get",
    "PATCH /api/v1/participants/{participant_id}": "participants_update",
    "DELETE /api/v1/participants/{participant_id}": "participants_archive",
    "GET /api/v1/participants/{participant_id}/consents": "participants_list_consents",
    "POST /api/v1/participants/{participant_id}/consents": "participants_give_consent",
    "POST /api/v1/participants/{participant_id}/consents/withdrawal": "participants_withdraw_consent",
    "GET /api/v1/participants/{participant_id}/export": "participants_export",
    "GET /api/v1/participants/{participant_id}/matches": "participants_matches",
    "POST /api/v1/employers": "employers_create",
    "GET /api/v1/employers": "employers_list",
    "GET /api/v1/employers/{employer_id}": "employers_get",
    "PATCH /api/v1/employers/{employer_id}": "employers_update",
    "DELETE /api/v1/employers/{employer_id}": "employers_delete",
    "POST /api/v1/vacancies": "vacancies_create",
    "GET /api/v1/vacancies": "vacancies_list",
    "GET /api/v1/vacancies/{vacancy_id}": "vacancies_get",
    "PATCH /api/v1/vacancies/{vacancy_id}": "vacancies_update",
    "PUT /api/v1/vacancies/by-ref/{system}/{ref_id}": "vacancies_put_by_ref",
    "POST /api/v1/vacancies/bulk": "vacancies_bulk",
    "POST /api/v1/vacancies/{vacancy_id}/merge": "vacancies_merge",
    "POST /api/v1/employers/bulk": "employers_bulk",
    "POST /api/v1/participants/bulk": "participants_bulk",
    "GET /api/v1/vacancies/by-ref/{system}/{ref_id}": "vacancies_get_by_ref",
    "PUT /api/v1/employers/by-ref/{system}/{ref_id}": "employers_put_by_ref",
    "GET /api/v1/employers/by-ref/{system}/{ref_id}": "employers_get_by_ref",
    "PUT /api/v1/participants/by-ref/{system}/{ref_id}": "participants_put_by_ref",
    "GET /api/v1/participants/by-ref/{system}/{ref_id}": "participants_get_by_ref",
    "DELETE /api/v1/vacancies/{vacancy_id}": "vacancies_close",
    "POST /api/v1/vacancies/jobposting": "vacancies_import_job_posting",
    "GET /api/v1/vacancies/{vacancy_id}/matches": "vacancies_matches",
    "POST /api/v1/placements": "placements_create",
    "GET /api/v1/placements": "placements_list",
    "GET /api/v1/placements/{placement_id}": "placements_get",
    "PATCH /api/v1/placements/{placement_id}": "placements_update",
    "POST /api/v1/placements/{placement_id}/transitions": "placements_move",
    "POST /api/v1/placements/{placement_id}/follow-ups": "placements_record_follow_up",
    "GET /api/v1/follow-ups/due": "follow_ups_due",
    "POST /api/v1/participants/{participant_id}/contacts": "participants_record_contact",
    "GET /api/v1/participants/{participant_id}/contacts": "participants_list_contacts",
    "GET /api/v1/contacts/overdue": "contacts_overdue",
    "POST /api/v1/api-keys": "api_keys_create",
    "GET /api/v1/api-keys": "api_keys_list",
    "DELETE /api/v1/api-keys/{key_id}": "api_keys_revoke",
    "GET /api/v1/audit": "audit_list_entries",
    "GET /api/v1/statistics/participants": "statistics_participant",
    "POST /api/v1/weight-profiles": "weight_profiles_create",
    "GET /api/v1/weight-profiles": "weight_profiles_list",
    "GET /api/v1/weight-profiles/{profile_id}": "weight_profiles_get",
    "DELETE /api/v1/weight-profiles/{profile_id}": "weight_profiles_delete",
    "POST /api/v1/weight-profiles/{profile_id}/activate": "weight_profiles_activate",
    "POST /api/v1/weight-profiles/fit": "weight_profiles_fit",
    "GET /api/v1/matches/explain": "matches_explain",
    "POST /api/v1/matches/batch": "matches_batch",
    "GET /api/v1/match-lists": "match_lists_list",
    "POST /api/v1/webhooks": "webhooks_create",
    "GET /api/v1/webhooks": "webhooks_list",
    "GET /api/v1/webhooks/{webhook_id}": "webhooks_get",
    "PATCH /api/v1/webhooks/{webhook_id}": "webhooks_update",
    "DELETE /api/v1/webhooks/{webhook_id}": "webhooks_delete",
    "GET /api/v1/webhooks/{webhook_id}/deliveries": "webhooks_deliveries",
    "GET /api/v1/taxonomy/skills": "taxonomy_skill_autocomplete",
    "GET /api/v1/taxonomy/occupations": "taxonomy_occupation_autocomplete",
    "POST /api/v1/taxonomy/normalize": "taxonomy_normalize",
    "GET /api/v1/taxonomy/regulated-occupations": "taxonomy_regulated_occupation_list",
    "POST /api/v1/evaluations": "evaluations_create",
    "POST /api/v1/assignments": "assignments_propose",
    "GET /api/v1/reports/programme": "reports_programme",
    "GET /api/v1/reports/fairness": "reports_fairness",
    "GET /api/v1/reports/proposals": "reports_proposals",
}
# fmt: on


def test_every_operation_id_is_listed_short_unique_and_named_by_its_domain():
    found = {f"{m.upper()} {p}": op["operationId"] for m, p, op in OPERATIONS}
    assert found == OPERATION_IDS
    assert len(set(found.values())) == len(found)
    for where, operation_id in found.items():
        domain = domain_of(where.split(" ", 1)[1])
        assert PATTERN.match(operation_id) and operation_id.startswith(domain + "_"), where


def test_links_name_the_short_operation_ids():
    ids = set(OPERATION_IDS.values())
    links = [
        link
        for _, _, op in OPERATIONS
        for answer in op["responses"].values()
        for link in answer.get("links", {}).values()
    ]
    assert links and {link["operationId"] for link in links} <= ids


def test_two_routes_with_one_id_fail_the_document():
    app = create_app(Settings(database_url="sqlite://", auto_migrate=False))
    app.get("/api/v1/employers/x/list", tags=["employers"])(lambda: None)
    app.get("/api/v1/employers/list", tags=["employers"], name="list")(lambda: None)
    with pytest.raises(ValueError, match="employers_list"):
        app.openapi()


def test_every_error_answer_declares_the_problem_schema_as_problem_json():
    errors_seen = 0
    for method, path, op in OPERATIONS:
        for status, answer in op["responses"].items():
            if status[0] in "45":
                errors_seen += 1
                content = answer["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }
    assert errors_seen > 300
    post = DOCUMENT["paths"]["/api/v1/vacancies"]["post"]["responses"]
    for status in ("409", "422"):  # the examples stay
        example = post[status]["content"]["application/problem+json"]["example"]
        assert example["status"] == int(status) and example["errors"]


def test_retry_after_authenticate_and_replayed_are_declared():
    for method, path, op in OPERATIONS:
        for status, answer in op["responses"].items():
            headers = answer.get("headers", {})
            assert ("Retry-After" in headers) == (status in ("429", "503")), (path, status)
            assert ("WWW-Authenticate" in headers) == (status == "401"), (path, status)
            if method == "post" and path.startswith("/api/v1/") and status[0] == "2":
                assert "Idempotent-Replayed" in headers, (path, status)
            if method != "post":
                assert "Idempotent-Replayed" not in headers, (path, status)


def test_route_headers_name_existing_answers():
    for method, path, status in ROUTE_HEADERS:
        answer = DOCUMENT["paths"][path][method]["responses"][status]
        assert set(ROUTE_HEADERS[(method, path, status)]) <= set(answer["headers"])


def _declared(path: str, method: str, status: int) -> set[str]:
    return set(DOCUMENT["paths"][path][method]["responses"][str(status)].get("headers", {}))


def _sent(response) -> set[str]:
    names = {"ETag", "Location", "Link", "Retry-After"}
    return {name for name in names if name in response.headers}


def test_etag_location_and_link_are_declared_exactly_where_they_are_sent(client):
    employer = client.post("/api/v1/employers", json={"name": "A GmbH", "postal_code": "04552"})
    make_employer(client, name="B GmbH")
    vacancy = make_vacancy(client, employer_id=employer.json()["id"])
    person = make_participant(client)
    E, V, P = "/api/v1/employers", "/api/v1/vacancies", "/api/v1/participants"
    placement = client.post(
        "/api/v1/placements",
        json={
            "participant_id": person["id"],
            "vacancy_id": vacancy["id"],
            "override_reason": "The headers are tested, not the match.",
        },
    )
    cases = [
        (E, "post", employer),
        (E, "get", client.get(E, params={"limit": 1})),
        (f"{E}/{{employer_id}}", "get", client.get(f"{E}/{employer.json()['id']}")),
        (V, "get", client.get(V)),
        (f"{V}/{{vacancy_id}}", "get", client.get(f"{V}/{vacancy['id']}")),
        (P, "get", client.get(P)),
        (f"{P}/{{participant_id}}", "get", client.get(f"{P}/{person['id']}")),
        ("/api/v1/placements", "post", placement),
        ("/api/v1/api-keys", "post", client.post("/api/v1/api-keys", json={"role": "partner"})),
        ("/api/v1/api-keys", "get", client.get("/api/v1/api-keys", params={"limit": 1})),
        ("/api/v1/weight-profiles", "get", client.get("/api/v1/weight-profiles")),
    ]
    for path, method, response in cases:
        assert response.status_code < 300, (path, response.text)
        sent = _sent(response)
        declared = _declared(path, method, response.status_code) & {"ETag", "Location", "Link"}
        if "Link" in declared and "Link" not in sent:
            assert response.json()["next_cursor"] is None, path  # the last page has none
            declared.discard("Link")
        assert sent == declared, (method, path, sent, declared)


def test_the_link_header_leads_to_the_next_page(client):
    for name in ("A", "B", "C"):
        make_employer(client, name=f"{name} GmbH")
    first = client.get("/api/v1/employers", params={"limit": 2, "name": "GmbH"})
    cursor = first.json()["next_cursor"]
    assert first.headers["Link"] == (
        f'<http://testserver/api/v1/employers?limit=2&name=GmbH&cursor={cursor}>; rel="next"'
    )
    target = first.headers["Link"].split(">")[0].removeprefix("<")
    last = client.get(target)
    assert [e["name"] for e in last.json()["items"]] == ["C GmbH"]
    assert last.json()["next_cursor"] is None and "Link" not in last.headers


def test_a_ranking_links_its_next_page_in_json_as_in_csv(client):
    employer = make_employer(client)
    job = matching_job(client, employer["id"])
    for _ in range(2):
        matching_person(client)
    path = f"/api/v1/vacancies/{job['id']}/matches"
    first = client.get(path, params={"limit": 1})
    assert "Link" in _declared("/api/v1/vacancies/{vacancy_id}/matches", "get", 200)
    cursor = first.json()["next_cursor"]
    assert first.headers["Link"] == (
        f'<http://testserver{path}?limit=1&cursor={cursor}>; rel="next"'
    )
    assert (
        client.get(path, params={"limit": 1}, headers={"Accept": "text/csv"}).headers["Link"]
        == first.headers["Link"]
    )
    second = client.get(first.headers["Link"].split(">")[0].removeprefix("<"))
    assert second.json()["next_cursor"] is None and "Link" not in second.headers


def test_servers_security_schemes_and_tags():
    assert DOCUMENT["servers"] == [
        {"url": "/", "description": DOCUMENT["servers"][0]["description"]}
    ]
    schemes = DOCUMENT["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer"
    flow = schemes["oauth2"]["flows"]["clientCredentials"]
    assert set(flow["scopes"]) == {role.value for role in Role}
    for method, path, op in OPERATIONS:
        if path.startswith("/api/v1/"):
            assert op["security"] == [{"bearer": []}, {"oauth2": op["x-roles"]}], (method, path)
    used = {tag for _, _, op in OPERATIONS for tag in op["tags"]}
    assert {t["name"] for t in DOCUMENT["tags"]} == used
    assert all(t.get("description") for t in DOCUMENT["tags"]), set(used) - set(TAGS)


def test_the_token_url_comes_from_the_settings():
    app = create_app(
        Settings(
            database_url="sqlite://",
            auto_migrate=False,
            jwt_token_url="https://login.example.org/realms/jc/protocol/openid-connect/token",
        )
    )
    flow = app.openapi()["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "https://login.example.org/realms/jc/protocol/openid-connect/token"


def _kai_errors() -> list[type[errors.KaiError]]:
    found, todo = [], [errors.KaiError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_problem_type_the_code_can_send_is_in_the_catalogue():
    slugs = {cls.slug for cls in _kai_errors()}
    for source in SRC.rglob("*.py"):
        slugs |= set(re.findall(r'slug="([a-z0-9-]+)"', source.read_text()))
    slugs |= {"http-404", "http-405"}  # slug=f"http-{status}" for Starlette's own errors
    assert slugs - {"internal-error"} and slugs <= set(PROBLEM_TYPES), slugs - set(PROBLEM_TYPES)
    for cls in _kai_errors():
        assert PROBLEM_TYPES[cls.slug].status == cls.status, cls


def test_problem_types_resolve_to_their_meaning(client):
    problem = client.get("/api/v1/participants", params={"limit": 0}).json()
    assert problem["type"] == "/problems/validation-error"
    meaning = client.get(problem["type"], headers={"Authorization": ""})
    assert meaning.status_code == 200
    assert meaning.json()["title"] == problem["title"] and meaning.json()["status"] == 422
    catalogue = client.get("/problems", headers={"Authorization": ""}).json()
    assert [t["type"] for t in catalogue["items"]] == [t.type for t in PROBLEM_TYPES.values()]
    assert all(t["meaning"] for t in catalogue["items"]) and catalogue["next_cursor"] is None
    missing = client.get("/problems/no-such-type")
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "slug"
