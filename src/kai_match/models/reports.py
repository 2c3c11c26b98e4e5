"""Response schemas of the report routes (no tables: every figure is computed on request)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from kai_match.models.matching import WeightProfileRef

# Counts of the programme report, in CSV column order (after site, month, german_level).
COUNT_FIELDS = (
    "active_participants",
    "complete_profiles",
    "first_trials",
    "trials_started",
    "trials_completed",
    "hires",
    "follow_ups_3m",
    "still_employed_3m",
    "follow_ups_6m",
    "still_employed_6m",
)
DAY_FIELDS = ("days_to_first_trial_median", "days_to_first_trial_mean")


class ProgrammeRow(BaseModel):
    """One site, month and German level ("all" = every level); null = suppressed small cell.

    For analysts a level's count is also null when it would give a small one away through the
    "all" row (complementary suppression, docs/security.md).
    """

    site: str = Field(examples=["grimma"])
    month: str = Field(examples=["2026-03"], description="Calendar month, YYYY-MM")
    german_level: str = Field(examples=["all"], description='"all" or a CEFR level (current)')
    active_participants: int | None = Field(description="In the programme during the month")
    complete_profiles: int | None = Field(
        description="Of those: skills, home postal code, availability and consent recorded"
    )
    first_trials: int | None = Field(description="People whose first work trial began this month")
    days_to_first_trial_median: float | None = Field(description="Entry to first trial, days")
    days_to_first_trial_mean: float | None
    trials_started: int | None = Field(description="Placements reaching trial_running")
    trials_completed: int | None = Field(description="Placements reaching completed")
    hires: int | None = Field(description="Hires by hired_on (first working day)")
    follow_ups_3m: int | None = Field(description="Of this month's hires: 3-month check recorded")
    still_employed_3m: int | None = Field(description="… and still employed at 3 months")
    follow_ups_6m: int | None
    still_employed_6m: int | None


class ProgrammeReport(BaseModel):
    """Programme KPIs per site and month, also by CEFR level (definitions: docs/analysts.md)."""

    from_: dt.date = Field(alias="from", serialization_alias="from")
    to: dt.date
    site: str | None = Field(description="The site filter (forced for counsellors)")
    min_cell: int = Field(description="Counts below this are null (1 = exact figures)")
    rows: list[ProgrammeRow]

    model_config = {"populate_by_name": True}


class MissingAttribute(BaseModel):
    attribute: str = Field(examples=["gender"])
    reason: str


class FairnessGroup(BaseModel):
    """One group of one attribute; every figure null when the group is suppressed (n < 5)."""

    attribute: str = Field(examples=["site"])
    group: str = Field(examples=["grimma"])
    people: int | None = Field(
        description=(
            "Null when suppressed, and in the group that would give a suppressed group's size"
            " away through the total (complementary suppression; its rates are still shown)"
        )
    )
    candidates: int | None = Field(
        description="(vacancy, person) pairs of the group; null whenever people is"
    )
    eligible_rate: float | None
    score_mean: float | None
    score_quartiles: list[float] | None
    selection_rate: float | None = Field(description="Share of the group's pairs in the top k")
    exposure: float | None = Field(description="Mean 1/log2(1 + rank); 0 when not shown")
    ratio_to_best: float | None = Field(description="Selection rate / the best group's")
    flagged: bool = Field(description="Ratio below four fifths: a prompt to look, not a verdict")
    suppressed: bool


class FairnessReport(BaseModel):
    """Who the rankings of open vacancies show, by site and age band."""

    weight_profile: WeightProfileRef
    as_of: dt.date
    k: int
    participants: int = Field(description="Active participants ranked")
    vacancies: int = Field(description="Open vacancies ranked")
    min_cell: int
    four_fifths: float
    attributes: list[str]
    missing_attributes: list[MissingAttribute]
    groups: list[FairnessGroup]
