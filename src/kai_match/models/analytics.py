"""Request and response schemas of the analyst routes (no tables: everything is computed)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from kai_match.models.common import MAX_RECORD_ID, IsoDate, RecordId, StrictModel
from kai_match.models.matching import WeightProfileRef
from kai_match.models.weight_profile import WeightProfilePublic

ProfileName = Field(None, min_length=1, max_length=64, description="Weight profile name")


class EvaluationRequest(StrictModel):
    """Body of ``POST /evaluations``: a profile (default: the active one), optionally a baseline."""

    profile: str | None = ProfileName
    profile_version: int | None = Field(None, ge=1, le=MAX_RECORD_ID)
    baseline: str | None = Field(
        None, min_length=1, max_length=64, description="Compare against this profile (A)"
    )
    baseline_version: int | None = Field(None, ge=1, le=MAX_RECORD_ID)
    k: int = Field(10, ge=1, le=100, description="Cut-off of NDCG@k and precision@k")
    success: Literal["completed", "hired"] = Field(
        "completed", description="What counts as success: a completed trial (or hire), or a hire"
    )
    resamples: int = Field(1000, ge=100, le=5000, description="Bootstrap resamples")


class IntervalOut(BaseModel):
    """An estimate with its interval; the route leaves out null bounds, so they are optional."""

    mean: float | None = None
    low: float | None = None
    high: float | None = None
    n: int


class ProfileEvaluationOut(BaseModel):
    name: str
    version: int | None = None
    k: int
    vacancies: int = Field(description="Vacancies with at least one success")
    candidates: int
    successes: int
    metrics: dict[str, IntervalOut] = Field(description="ndcg, precision, mrr, auc, coverage")


class MoverOut(BaseModel):
    vacancy_id: int
    participant_public_id: str
    rank_a: int | None = Field(
        None, description="Rank under A; null when A would not suggest the pair"
    )
    rank_b: int | None = None
    relevance: int = Field(description="2 hired, 1 completed trial, 0 neither")


class EvaluationOut(BaseModel):
    """One evaluation, or A (baseline) and B (profile) with paired differences B − A."""

    evaluation: ProfileEvaluationOut | None = None
    a: ProfileEvaluationOut | None = None
    b: ProfileEvaluationOut | None = None
    difference: dict[str, IntervalOut] | None = None
    movers: list[MoverOut] | None = None


class FitRequest(StrictModel):
    """Body of ``POST /weight-profiles/fit``."""

    name: str = Field("learned", min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    store: bool = Field(
        False, description="Store the draft as a new inactive version (never activated)"
    )
    description: str | None = Field(None, max_length=2000)
    k: int = Field(10, ge=1, le=100)
    success: Literal["completed", "hired"] = "completed"


class FitOut(BaseModel):
    weights: dict[str, float] = Field(description="Learned weights, non-negative, summing to 1")
    regularisation_c: float
    cv_ndcg: dict[str, float] = Field(description="Cross-validated NDCG@k per C tried")
    pairs: int = Field(description="Candidate pairs with different outcomes learned from")
    comparison: EvaluationOut = Field(description="Active profile (A) beside the draft (B)")
    stored: WeightProfilePublic | None = None


class AssignmentRequest(StrictModel):
    """Body of ``POST /assignments``: who and which vacancies to allocate jointly."""

    participant_ids: list[RecordId] = Field(min_length=1, max_length=2000)
    vacancy_ids: list[RecordId] = Field(min_length=1, max_length=2000)
    profile: str | None = ProfileName
    profile_version: int | None = Field(None, ge=1, le=MAX_RECORD_ID)
    as_of: IsoDate | None = Field(None, description="Day the pairs are judged on (default today)")


class AssignedPair(BaseModel):
    participant_id: int
    participant_public_id: str
    vacancy_id: int
    score: float


class AssignmentOut(BaseModel):
    """A proposal: nothing is booked."""

    weight_profile: WeightProfileRef
    total_optimal: float
    total_greedy: float
    lp_bound: float = Field(description="Transportation LP optimum (HiGHS); integral, = optimum")
    ratio_to_lp_bound: float | None
    gain_over_greedy: float
    eligible_pairs: int
    openings: int
    assignments: list[AssignedPair]
    greedy_assignments: list[AssignedPair]
    unassigned_participant_ids: list[int]
