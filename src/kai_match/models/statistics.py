"""Aggregates over participants: counts by site, status, German level or course state."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class ParticipantDimension(StrEnum):
    site = "site"
    status = "status"
    german_level = "german_level"
    course_state = "course_state"


class CountGroup(BaseModel):
    key: dict[str, str | None] = Field(examples=[{"site": "grimma", "german_level": "A2"}])
    count: int | None = Field(
        description=(
            "Null when the group is smaller than min_cell (small cells could identify), or when"
            " it would give such a group away (complementary suppression, docs/security.md)"
        )
    )


class ParticipantStatistics(BaseModel):
    by: list[ParticipantDimension]
    groups: list[CountGroup]
    total: int | None = Field(description="Null when below min_cell")
    min_cell: int = Field(description="Groups below this size are not counted out (1 = exact)")
