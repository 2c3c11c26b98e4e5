"""schema.org JobPosting import: what became of each field (docs/placements.md, mapping table)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from kai_match.models.vacancy import VacancyPublic

KAI_NAMESPACE = "https://kai-match.example/ns#"


class UnmappedField(BaseModel):
    """A JobPosting field that was not taken over, and why (nothing is guessed)."""

    field: str = Field(examples=["baseSalary"])
    reason: str = Field(examples=["kai-match stores no salaries"])


class DefaultApplied(BaseModel):
    """A vacancy field the JobPosting did not give, filled with a stated default."""

    field: str = Field(examples=["min_german_level"])
    value: Any = Field(examples=["A2"])
    reason: str = Field(examples=["no kai:minGermanLevel; the employer's typical level (3 of 4)"])


class JobPostingImport(BaseModel):
    vacancy: VacancyPublic
    outcome: Literal["created", "updated", "unchanged"] = Field(
        description="`updated`/`unchanged`: the identifier named a vacancy imported before"
    )
    unmapped: list[UnmappedField]
    defaults_applied: list[DefaultApplied]
