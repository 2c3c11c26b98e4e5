"""Taxonomy look-ups for the API: thin adapters around ``kai_match.data.taxonomy``."""

from __future__ import annotations

from pydantic import RootModel

from kai_match.data.taxonomy import (
    normalize_occupation,
    normalize_skill,
    resolve_occupation,
    resolve_skill,
)
from kai_match.models.taxonomy import (
    CandidateOut,
    NormalizedText,
    NormalizeRequest,
    NormalizeResponse,
)


class CandidateList(RootModel[list[CandidateOut]]):
    """Candidates, best first."""


def skill_candidates(text: str, *, limit: int) -> CandidateList:
    return CandidateList([_out(c) for c in normalize_skill(text, limit=limit)])


def occupation_candidates(text: str, *, limit: int) -> CandidateList:
    return CandidateList([_out(c) for c in normalize_occupation(text, limit=limit)])


def normalize(request: NormalizeRequest) -> NormalizeResponse:
    """For each text: the id the service would store (or none) and the runner-up candidates."""
    search, resolve = (
        (normalize_skill, resolve_skill)
        if request.kind == "skill"
        else (normalize_occupation, resolve_occupation)
    )
    results = []
    for text in request.texts:
        chosen = resolve(text)
        results.append(
            NormalizedText(
                text=text,
                chosen=_out(chosen) if chosen else None,
                candidates=[_out(c) for c in search(text, limit=request.limit)],
            )
        )
    return NormalizeResponse(kind=request.kind, results=results)


def _out(candidate) -> CandidateOut:
    return CandidateOut(
        id=candidate.id, label=candidate.label, confidence=round(candidate.confidence, 4)
    )
