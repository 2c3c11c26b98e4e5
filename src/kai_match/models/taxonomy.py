"""Schemas of the taxonomy look-ups (autocomplete and normalisation)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, field_validator

from kai_match.models.common import StrictModel

# One text is what a user types into a look-up (the `q` of /taxonomy/skills and /occupations).
MAX_TEXT_LENGTH = 200
MAX_NORMALIZE_TEXTS = 200
# Normalising costs about 3 ms per text plus a little per character: 200 texts of 4,900
# characters held a worker for 4.6 s. 10,000 characters are 50 per text on average.
MAX_NORMALIZE_CHARACTERS = 10_000

LookupText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_LENGTH)]


class CandidateOut(BaseModel):
    id: str = Field(
        examples=["http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"]
    )
    label: str = Field(examples=["Gabelstapler bedienen"])
    confidence: float = Field(examples=[0.93], ge=0, le=1)


class NormalizeRequest(StrictModel):
    """Free texts as counsellors and employers write them."""

    kind: Literal["skill", "occupation"] = "skill"
    texts: list[LookupText] = Field(
        min_length=1,
        max_length=MAX_NORMALIZE_TEXTS,
        description=f"Up to {MAX_NORMALIZE_TEXTS} texts of up to {MAX_TEXT_LENGTH} characters,"
        f" {MAX_NORMALIZE_CHARACTERS:,} characters in all",
    )
    limit: int = Field(3, ge=1, le=20)

    @field_validator("texts")
    @classmethod
    def _bounded_in_all(cls, texts: list[str]) -> list[str]:
        """Each text is capped by its type; what they cost together is capped here."""
        if sum(len(text) for text in texts) > MAX_NORMALIZE_CHARACTERS:
            raise ValueError(f"must hold at most {MAX_NORMALIZE_CHARACTERS:,} characters in all")
        return texts


class NormalizedText(BaseModel):
    text: str
    chosen: CandidateOut | None = Field(
        description="The id the service would store; null below the acceptance threshold"
    )
    candidates: list[CandidateOut]


class NormalizeResponse(BaseModel):
    kind: str
    results: list[NormalizedText]


class RegulatedOccupationOut(BaseModel):
    """A regulated occupation a vacancy can name in `regulated_occupation`."""

    key: str
    title_de: str
    title_en: str
    isco_groups: list[str] = Field(description="ISCO-08 unit groups a qualification counts in")
    helper_roles_de: str = Field(description="What is open without recognition")
    helper_roles_en: str
    legal_basis: str


class RegulatedOccupationList(BaseModel):
    items: list[RegulatedOccupationOut]
    next_cursor: str | None = None
