"""The finished OpenAPI document: what FastAPI cannot say by itself, added in one place.

- every error answer declares the ``Problem`` schema under ``application/problem+json`` — the
  type the server sends — so generated clients parse errors instead of returning nothing;
- short operationIds (``api.operation_ids``) and the response headers (``api.openapi_headers``);
- ``servers``, the OAuth2 client-credentials scheme beside the bearer keys (each operation's
  scopes are its ``x-roles``), tag descriptions, and the page-size maximum from the settings.

``install`` runs after ``idempotency.install`` (whose header and answers it sees) and before
``openapi_links.install`` (whose links name the new operationIds).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from kai_match.api import openapi_headers, operation_ids
from kai_match.api.problems import PROBLEM_MEDIA_TYPE
from kai_match.config import Settings
from kai_match.models.api_key import Role

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
UNSET_TOKEN_URL = "https://identity-provider.invalid/token"

ROLE_SCOPES = {
    Role.admin: "Everything, incl. keys, audit log, erasure and activating weight profiles",
    Role.counsellor: "Participants of the token's `site`, rankings, placements",
    Role.employer: "The employer of the token's `employer_id`: its record and vacancies",
    Role.partner: "Partner systems: vacancies, pseudonymised rankings and the match-list feed",
    Role.analyst: "Pseudonymised data, evaluations, reports and draft weight profiles",
}
TAGS = {
    "participants": "People in integration courses: profiles, skills, languages, permits",
    "data protection": "Consents, their withdrawal and the Art. 15 export",
    "employers": "Employer records",
    "vacancies": "Work trials, internships, apprenticeships and jobs; schema.org JobPosting",
    "bulk import": "Many rows in one request (JSON, JSON Lines, CSV), upserted by reference, "
    "with a per-row report",
    "placements": "A proposal's way from proposed to hired, its trial and follow-ups",
    "contacts": "Contacts with participants, the next due day and the overdue list",
    "matching": "Rankings both ways, explanations, batches and the match-list feed",
    "webhooks": "Endpoints that receive signed events, and their delivery logs",
    "weight profiles": "Versioned weights the rankings use; what-if rankings",
    "taxonomy": "Skill and occupation look-ups (ESCO, KldB 2010), text normalisation",
    "statistics": "Counts of participants by one dimension",
    "analytics": "Evaluations, learned weights and cohort assignment",
    "reports": "Programme KPIs, fairness by group and proposals firms have not answered",
    "api keys": "Keys for counsellors, employers, partners and analysts",
    "audit": "Who read or changed whose data",
    "operations": "Liveness, readiness and metrics (no key needed)",
}


def problems_as_problem_json(document: dict[str, Any]) -> None:
    """Every 4xx/5xx answer: the ``Problem`` schema under ``application/problem+json`` only."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                if status[0] not in "45":
                    continue
                content = answer.get("content", {})
                example = content.get(PROBLEM_MEDIA_TYPE, {}).get("example")
                entry: dict[str, Any] = {"schema": PROBLEM_REF}
                if example is not None:
                    entry["example"] = example
                answer["content"] = {PROBLEM_MEDIA_TYPE: entry}


def add_security(document: dict[str, Any], settings: Settings) -> None:
    """OAuth2 client credentials beside the bearer keys; an operation's scopes are its roles."""
    schemes = document.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes["oauth2"] = {
        "type": "oauth2",
        "description": "Client-credentials tokens of the deployment's identity provider "
        "(KAI_JWT_TOKEN_URL): exactly one role scope; counsellors need a `site` claim, "
        "employers an `employer_id` claim. Send the token as `Authorization: Bearer …`.",
        "flows": {
            "clientCredentials": {
                "tokenUrl": settings.jwt_token_url or UNSET_TOKEN_URL,
                "scopes": {role.value: text for role, text in ROLE_SCOPES.items()},
            }
        },
    }
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            security = operation.get("security")
            if security and "x-roles" in operation:
                operation["security"] = [*security, {"oauth2": list(operation["x-roles"])}]


def add_servers_and_tags(document: dict[str, Any]) -> None:
    """A relative server (the URL the document came from) and a description per tag in use."""
    document.setdefault(
        "servers", [{"url": "/", "description": "This deployment (where the document is served)"}]
    )
    used: list[str] = []
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            used.extend(t for t in operation.get("tags", []) if t not in used)
    document["tags"] = [
        {"name": name, **({"description": TAGS[name]} if name in TAGS else {})} for name in used
    ]


def page_limit_maximum(document: dict[str, Any], maximum: int) -> None:
    """The configured page size maximum on every ``limit`` without a fixed one (``PageDep``)."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] != "limit" or parameter["in"] != "query":
                    continue
                schema = parameter["schema"]
                for option in schema.get("anyOf", [schema]):
                    if option.get("type") == "integer":
                        option.setdefault("maximum", maximum)


def install(app: FastAPI, settings: Settings) -> None:
    """Finish the app's OpenAPI document once, when it is built."""
    build = app.openapi
    done = False

    def openapi() -> dict[str, Any]:
        nonlocal done
        document = build()
        if not done:
            problems_as_problem_json(document)
            operation_ids.assign(document, app)
            openapi_headers.declare(document)
            add_security(document, settings)
            add_servers_and_tags(document)
            page_limit_maximum(document, settings.page_limit_max)
            done = True
        return document

    app.openapi = openapi  # type: ignore[method-assign]
