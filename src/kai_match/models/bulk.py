"""The answer of a bulk import: a count per outcome and a line per row."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from kai_match.models.external_ref import ExternalRef
from kai_match.models.vacancy import PossibleDuplicate

RowOutcome = Literal["created", "updated", "unchanged", "failed"]


class BulkRowError(BaseModel):
    field: str = Field(examples=["postal_code"])
    message: str = Field(examples=["'00000' is not a known German postal code"])


class BulkRowResult(BaseModel):
    row: int = Field(description="1 = the first record (in CSV the first line after the header)")
    outcome: RowOutcome
    id: int | None = Field(
        None, description="The record's id; null when the row failed or a dry run created it"
    )
    ref: ExternalRef | None = Field(None, description="The reference the row was upserted by")
    errors: list[BulkRowError] = Field(default_factory=list)
    possible_duplicates: list[PossibleDuplicate] = Field(default_factory=list)


class BulkReport(BaseModel):
    kind: Literal["vacancies", "employers", "participants"]
    dry_run: bool
    atomic: bool
    written: bool = Field(
        description="false: nothing was stored (a dry run, or atomic with a failure)"
    )
    rows: int
    created: int
    updated: int
    unchanged: int
    failed: int
    results: list[BulkRowResult]
