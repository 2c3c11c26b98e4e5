"""Taxonomy look-ups: skill and occupation autocomplete, free-text normalisation."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Query, Request

from kai_match.api.deps import PrincipalDep, allow
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.data.taxonomy.regulated import regulated_occupations
from kai_match.models.api_key import Role
from kai_match.models.taxonomy import (
    MAX_TEXT_LENGTH,
    NormalizeRequest,
    NormalizeResponse,
    RegulatedOccupationList,
    RegulatedOccupationOut,
)
from kai_match.reference import taxonomy as service

router = domain_router(prefix="/taxonomy", tags=["taxonomy"])
EVERYONE = allow(Role.admin, Role.counsellor, Role.employer, Role.partner, Role.analyst)

Text = Annotated[
    str, Query(min_length=1, max_length=MAX_TEXT_LENGTH, description="What the user typed")
]
Limit = Annotated[int, Query(ge=1, le=50)]


@router.get(
    "/skills",
    response_model=service.CandidateList,
    responses=problem_responses(422, 503),
    **EVERYONE,
)
def skill_autocomplete(q: Text, limit: Limit = 10) -> service.CandidateList:
    """Skills whose labels or synonyms match what was typed, best first."""
    return service.skill_candidates(q, limit=limit)


@router.get(
    "/occupations",
    response_model=service.CandidateList,
    responses=problem_responses(422, 503),
    **EVERYONE,
)
def occupation_autocomplete(q: Text, limit: Limit = 10) -> service.CandidateList:
    """Occupations (ESCO, KldB 2010) whose titles match what was typed, best first."""
    return service.occupation_candidates(q, limit=limit)


@router.get(
    "/regulated-occupations",
    response_model=RegulatedOccupationList,
    responses=problem_responses(503),
    **EVERYONE,
)
def regulated_occupation_list() -> RegulatedOccupationList:
    """Occupations where a foreign qualification must be recognised before work in them."""
    return RegulatedOccupationList(
        items=[
            RegulatedOccupationOut(
                key=r.key,
                title_de=r.title_de,
                title_en=r.title_en,
                isco_groups=list(r.isco_groups),
                helper_roles_de=r.helper_roles_de,
                helper_roles_en=r.helper_roles_en,
                legal_basis=r.legal_basis,
            )
            for r in regulated_occupations().values()
        ]
    )


@router.post(
    "/normalize",
    response_model=NormalizeResponse,
    responses=problem_responses(400, 413, 422, 503),
    **EVERYONE,
)
def normalize(
    request: Request,
    principal: PrincipalDep,
    body: Annotated[
        NormalizeRequest,
        Body(
            openapi_examples={
                "default": {
                    "summary": "Skills as a counsellor wrote them",
                    "value": {
                        "kind": "skill",
                        "texts": ["Staplerschein", "Kommisionieren", "xqzvbn"],
                        "limit": 3,
                    },
                }
            }
        ),
    ],
) -> NormalizeResponse:
    """What the service would store for each text, with the runner-up candidates.

    Costs ⌈texts / 2 + characters / 150⌉ units of the caller's cost budget per minute."""
    # ``access`` comes after ``reference`` in the import order, so the budget is reached through
    # the app's authenticator (``access.budget``), like ``api.deps`` reaches it.
    characters = sum(len(text) for text in body.texts)
    request.app.state.auth.spend(
        principal, "normalize", texts=len(body.texts), characters=characters
    )
    return service.normalize(body)
