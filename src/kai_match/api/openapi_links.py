"""OpenAPI links: which call follows which, so clients (and stateful tests) walk real workflows.

A link (OpenAPI 3.1 "Link Object") says how a later operation takes its input from an answer:
the id of a created record (``$response.body#/id``) for the record's own routes, its ``ETag``
for the ``If-Match`` of the next write. They are added to the finished document in one place
here, by path and method, so the routers stay as they are; ``install`` also declares the form
of the ``Idempotency-Key`` header that ``api.idempotency_store.check_key`` enforces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI

ID = "$response.body#/id"
ETAG = "$response.header.ETag"
# A placement moves on to the first state its answer allows the caller (none once final).
NEXT_STATE = {"to": "$response.body#/allowed_next/0"}

P = "/api/v1/participants"
E = "/api/v1/employers"
V = "/api/v1/vacancies"
PL = "/api/v1/placements"
W = "/api/v1/weight-profiles"


@dataclass(frozen=True)
class Link:
    """``source`` answers ``status``; ``target`` takes ``parameters`` (and ``body``) from it."""

    name: str
    source: tuple[str, str]  # (method, path)
    status: int
    target: tuple[str, str]
    parameters: dict[str, str] = field(default_factory=dict)
    body: dict[str, str] | None = None
    description: str = ""


def _record(name: str, path: str, param: str, *, created_etag: bool, delete: bool) -> list[Link]:
    """A record's life: created → read, changed, deleted; read or changed → changed (its ETag).

    ``created_etag``: the create answer carries the ETag (an employer's does not).
    """
    item = f"{path}/{{{param}}}"
    created = {param: ID}
    same = {param: f"$request.path.{param}"}
    links = [
        Link(f"Get{name}", ("post", path), 201, ("get", item), created, description="The record"),
        Link(
            f"Update{name}",
            ("post", path),
            201,
            ("patch", item),
            created | ({"header.If-Match": ETAG} if created_etag else {}),
            description="Change it"
            + (" (If-Match: the ETag of the answer)" if created_etag else ""),
        ),
        Link(
            f"Update{name}",
            ("get", item),
            200,
            ("patch", item),
            same | {"header.If-Match": ETAG},
            description="Change what was read (If-Match: its ETag)",
        ),
        Link(
            f"UpdateAgain{name}",
            ("patch", item),
            200,
            ("patch", item),
            same | {"header.If-Match": ETAG},
            description="Change it again (If-Match: the new ETag)",
        ),
        Link(f"Get{name}", ("patch", item), 200, ("get", item), same, description="Read it back"),
    ]
    if delete:
        links.append(
            Link(
                f"Delete{name}",
                ("post", path),
                201,
                ("delete", item),
                created,
                description="Delete it",
            )
        )
    return links


LINKS: tuple[Link, ...] = (
    *_record("Participant", P, "participant_id", created_etag=True, delete=True),
    Link(
        "RankVacancies",
        ("post", P),
        201,
        ("get", f"{P}/{{participant_id}}/matches"),
        {"participant_id": ID},
        description="Vacancies ranked for the new participant",
    ),
    Link(
        "ListConsents",
        ("post", P),
        201,
        ("get", f"{P}/{{participant_id}}/consents"),
        {"participant_id": ID},
    ),
    Link(
        "GiveConsent",
        ("post", P),
        201,
        ("post", f"{P}/{{participant_id}}/consents"),
        {"participant_id": ID},
    ),
    Link(
        "WithdrawConsent",
        ("post", f"{P}/{{participant_id}}/consents"),
        201,
        ("post", f"{P}/{{participant_id}}/consents/withdrawal"),
        {"participant_id": "$request.path.participant_id"},
    ),
    Link(
        "ProposeParticipant",
        ("post", P),
        201,
        ("post", PL),
        body={"participant_id": ID},
        description="A placement of the new participant",
    ),
    *_record("Employer", E, "employer_id", created_etag=False, delete=True),
    Link(
        "AddVacancy",
        ("post", E),
        201,
        ("post", V),
        body={"employer_id": ID},
        description="A vacancy of the new employer",
    ),
    *_record("Vacancy", V, "vacancy_id", created_etag=True, delete=False),
    Link(
        "RankParticipants",
        ("post", V),
        201,
        ("get", f"{V}/{{vacancy_id}}/matches"),
        {"vacancy_id": ID},
        description="Participants ranked for the new vacancy",
    ),
    Link(
        "ProposeForVacancy",
        ("post", V),
        201,
        ("post", PL),
        body={"vacancy_id": ID},
        description="A placement for the new vacancy",
    ),
    *_record("Placement", PL, "placement_id", created_etag=True, delete=False),
    Link(
        "MovePlacement",
        ("post", PL),
        201,
        ("post", f"{PL}/{{placement_id}}/transitions"),
        {"placement_id": ID, "header.If-Match": ETAG},
        NEXT_STATE,
        description="The first step of the state machine",
    ),
    Link(
        "MovePlacementOn",
        ("post", f"{PL}/{{placement_id}}/transitions"),
        200,
        ("post", f"{PL}/{{placement_id}}/transitions"),
        {"placement_id": "$request.path.placement_id", "header.If-Match": ETAG},
        NEXT_STATE,
        description="The next step (If-Match: the new ETag)",
    ),
    Link(
        "MovePlacement",
        ("get", f"{PL}/{{placement_id}}"),
        200,
        ("post", f"{PL}/{{placement_id}}/transitions"),
        {"placement_id": "$request.path.placement_id", "header.If-Match": ETAG},
        NEXT_STATE,
        description="The next step from what was read (If-Match: its ETag)",
    ),
    Link(
        "GetPlacement",
        ("post", f"{PL}/{{placement_id}}/transitions"),
        200,
        ("get", f"{PL}/{{placement_id}}"),
        {"placement_id": "$request.path.placement_id"},
    ),
    Link(
        "RecordFollowUp",
        ("post", f"{PL}/{{placement_id}}/transitions"),
        200,
        ("post", f"{PL}/{{placement_id}}/follow-ups"),
        {"placement_id": "$request.path.placement_id"},
        description="Still employed after a hire?",
    ),
    Link(
        "RecordFollowUp",
        ("post", PL),
        201,
        ("post", f"{PL}/{{placement_id}}/follow-ups"),
        {"placement_id": ID},
    ),
    Link("GetProfile", ("post", W), 201, ("get", f"{W}/{{profile_id}}"), {"profile_id": ID}),
    Link(
        "ActivateProfile",
        ("post", W),
        201,
        ("post", f"{W}/{{profile_id}}/activate"),
        {"profile_id": ID},
        description="Make the new version the one rankings use",
    ),
    Link("DeleteProfile", ("post", W), 201, ("delete", f"{W}/{{profile_id}}"), {"profile_id": ID}),
    Link(
        "RevokeKey",
        ("post", "/api/v1/api-keys"),
        201,
        ("delete", "/api/v1/api-keys/{key_id}"),
        {"key_id": ID},
    ),
)


def add_links(document: dict[str, Any], links: tuple[Link, ...] = LINKS) -> None:
    """Write ``links`` into the answers of ``document``; a link to a missing operation is an error."""
    paths = document["paths"]
    for link in links:
        method, path = link.source
        answer = paths[path][method]["responses"][str(link.status)]
        target_method, target_path = link.target
        target = paths[target_path][target_method]
        entry: dict[str, Any] = {"operationId": target["operationId"]}
        if link.parameters:
            entry["parameters"] = dict(link.parameters)
        if link.body is not None:
            entry["requestBody"] = dict(link.body)
        if link.description:
            entry["description"] = link.description
        answer.setdefault("links", {})[link.name] = entry


def install(app: FastAPI) -> None:
    """Add the links to the app's OpenAPI document once, when it is built."""
    build = app.openapi
    done = False

    def openapi() -> dict[str, Any]:
        nonlocal done
        document = build()
        if not done:
            add_links(document)
            done = True
        return document

    app.openapi = openapi  # type: ignore[method-assign]
