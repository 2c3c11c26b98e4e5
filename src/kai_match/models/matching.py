"""Response schemas of rankings and explanations (stable v1 names, see README.md)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from kai_match.models.common import MAX_RECORD_ID, PlacementType, RecordId, StrictModel


class WeightProfileRef(BaseModel):
    name: str = Field(examples=["default"])
    version: int = Field(examples=[1])


class ComponentOut(BaseModel):
    value: float = Field(examples=[0.8])
    weight: float = Field(examples=[0.3], description="Share of the total weight")
    contribution: float = Field(examples=[24.0], description="Points of the 0–100 score")
    reason: str = Field(examples=["Deutsch A2, gefordert B1 – mit Sprachbegleitung akzeptiert"])


class FlagOut(BaseModel):
    code: str = Field(examples=["approval_required"])
    reason: str = Field(examples=["Zustimmung der Ausländerbehörde erforderlich"])


class FailedConstraintOut(BaseModel):
    name: str = Field(examples=["language"])
    reason: str


class MatchItemOut(BaseModel):
    vacancy_id: int
    participant_id: int | None = Field(
        None,
        exclude_if=lambda v: v is None,
        description="Only for admins and counsellors of the site; others get the public id only",
    )
    participant_public_id: str
    rank: int
    score: float = Field(description="0–100, the sum of the contributions")
    components: dict[str, ComponentOut]
    commute_minutes: float
    commute_mode: str | None
    flags: list[FlagOut] = Field(default_factory=list)
    vacancy_title: str
    employer_name: str
    vacancy_postal_code: str


class RankingOut(BaseModel):
    weight_profile: WeightProfileRef
    items: list[MatchItemOut]
    total: int = Field(description="Eligible pairs after filters")
    next_cursor: str | None


class RoutedCommuteOut(BaseModel):
    """Door-to-door time from the configured routing server (OSRM / OpenTripPlanner)."""

    minutes: float
    mode: str
    source: str = Field(description="osrm, otp, or estimate where the server had no answer")


class ExplanationOut(BaseModel):
    participant_id: int | None = None
    participant_public_id: str
    vacancy_id: int
    eligible: bool
    failed_constraints: list[FailedConstraintOut]
    flags: list[FlagOut]
    score: float
    components: dict[str, ComponentOut]
    commute_minutes: float
    commute_mode: str | None
    routed_commute: RoutedCommuteOut | None = Field(
        None, description="Only when a routing server is configured (KAI_OSRM_URL, KAI_OTP_URL)"
    )
    weight_profile: WeightProfileRef


class BatchRequest(StrictModel):
    """Rankings for several participants, or for several vacancies, in one call."""

    # The largest batch any role may send; each role's own bound is smaller or equal
    # (``access.budget.BATCH_IDS`` and ``BATCH_ITEMS``: 422 naming the field and the bound).
    participant_ids: list[RecordId] | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="At most 200; fewer for some roles (see the operation)",
    )
    vacancy_ids: list[RecordId] | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="At most 200; fewer for some roles (see the operation)",
    )
    limit: int = Field(
        10, ge=1, le=50, description="Items per ranking: at most 50; fewer for some roles"
    )
    type: list[PlacementType] | None = None
    profile: str | None = Field(None, max_length=64)
    version: int | None = Field(None, ge=1, le=MAX_RECORD_ID)


class BatchEntry(BaseModel):
    participant_id: int | None = None
    vacancy_id: int | None = None
    ranking: RankingOut


class BatchOut(BaseModel):
    weight_profile: WeightProfileRef
    results: list[BatchEntry]
