"""Schemas of the taxonomy look-ups (autocomplete and normalisation)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from kai_match.models.common import StrictModel


class CandidateOut(BaseModel):
    id: str = Field(
        examples=["http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"]
    )
    label: str = Field(examples=["Gabelstapler bedienen"])
    confidence: float = Field(examples=[0.93], ge=0, le=1)


class NormalizeRequest(StrictModel):
    """Free texts as counsellors and employers write them."""

    kind: Literal["skill", "occupation"] = "skill"
    texts: list[str] = Field(min_length=1, max_length=200)
    limit: int = Field(3, ge=1, le=20)


class NormalizedText(BaseModel):
    text: str
    chosen: CandidateOut | None = Field(
        description="The id the service would store; null below the acceptance threshold"
    )
    candidates: list[CandidateOut]


class NormalizeResponse(BaseModel):
    kind: str
    results: list[NormalizedText]
