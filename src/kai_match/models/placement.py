"""Placement: one participant × one vacancy, moved through a state machine (docs/placements.md).

``placement_transition`` keeps who moved it when; ``placement_follow_up`` whether a hired person
is still employed after 3, 6 and 12 months. Both carry ``participant_id`` so export and erasure
(``privacy.service``) find their rows and notes like those of any table about a person.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from kai_match.models.base import metadata  # noqa: F401
from kai_match.models.common import (
    MAX_RECORD_ID,
    PatchModel,
    PlausibleDate,
    ResponseModel,
    StrictModel,
    utcnow,
    vocabulary,
)
from kai_match.models.matching import ComponentOut, WeightProfileRef


class PlacementState(StrEnum):
    suggested = "suggested"
    proposed = "proposed"
    accepted_by_participant = "accepted_by_participant"
    sent_to_employer = "sent_to_employer"
    trial_scheduled = "trial_scheduled"
    trial_running = "trial_running"
    completed = "completed"
    hired = "hired"
    not_hired = "not_hired"
    withdrawn = "withdrawn"


S = PlacementState

# The state machine (docs/placements.md): every non-final state may also end in ``withdrawn``.
# Defined with the table's vocabulary because vacancies (openings), matching, placements and
# reports all ask these questions of a placement's state.
TRANSITIONS: dict[PlacementState, tuple[PlacementState, ...]] = {
    S.suggested: (S.proposed, S.withdrawn),
    S.proposed: (S.accepted_by_participant, S.withdrawn),
    S.accepted_by_participant: (S.sent_to_employer, S.withdrawn),
    S.sent_to_employer: (S.trial_scheduled, S.hired, S.not_hired, S.withdrawn),
    S.trial_scheduled: (S.trial_running, S.not_hired, S.withdrawn),
    S.trial_running: (S.completed, S.not_hired, S.withdrawn),
    S.completed: (S.hired, S.not_hired, S.withdrawn),
    S.hired: (),
    S.not_hired: (),
    S.withdrawn: (),
}
FINAL_STATES = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
# A running trial, a completed one and a hire each keep one of the vacancy's openings.
# ``completed`` keeps it: the employer's decision is still open.
HOLDING_STATES = frozenset({S.trial_running, S.completed, S.hired})
# What an employer records for its own vacancies: the trial and its outcome.
EMPLOYER_STATES = frozenset({S.trial_scheduled, S.trial_running, S.completed, S.hired, S.not_hired})
# Endings without a hire, which need a reason code.
ENDING_STATES = frozenset({S.not_hired, S.withdrawn})
# Events that may lie ahead: the planned start of a trial, the first day of a job.
FUTURE_ALLOWED = frozenset({S.trial_scheduled, S.hired})
TRIAL_STATES = frozenset({S.trial_scheduled, S.trial_running})
# Placements whose outcome is known, for evaluations of the scoring against outcomes.
OUTCOME_STATES = (S.completed, S.hired, S.not_hired, S.withdrawn)
# A completed trial or a hire: success in evaluations and reports.
SUCCESS_STATES = frozenset({S.completed, S.hired})
# An open proposal: the firm has the person's profile and has not answered yet. The caps on
# open proposals per opening and per firm count these (docs/placements.md, "Congestion").
OPEN_PROPOSAL_STATES = frozenset({S.sent_to_employer})


def proposal_cap(per_opening: int, openings: int) -> int:
    """Open proposals a vacancy may have: the cap per opening times its openings."""
    return per_opening * openings


# A hire is followed up this many months after its first day (lasting work, not the first contract).
FOLLOW_UP_MONTHS = (3, 6, 12)


class ReasonCode(StrEnum):
    """Why a placement ended without a hire (required for ``not_hired`` and ``withdrawn``)."""

    language = "language"
    skills = "skills"
    reliability = "reliability"
    commute = "commute"
    childcare = "childcare"
    health = "health"
    participant_declined = "participant_declined"
    employer_declined = "employer_declined"
    permit = "permit"
    vacancy_filled = "vacancy_filled"
    other = "other"


# What placement views show: the stored codes, plus ``personal``, which stands for health and
# childcare outside admin and counsellor views (``placements/views.py``). Never stored, never input.
ReasonCodeOut = vocabulary("ReasonCodeOut", (*ReasonCode, "personal"))
ReasonCodeOut.__doc__ = (
    "Why a placement ended without a hire. `personal` (persönliche Gründe) is shown instead of "
    "`health` and `childcare` to everyone but admins and counsellors."
)


def _fk(target: str, *, cascade: bool = False) -> Any:
    return Column(
        Integer,
        ForeignKey(target, ondelete="CASCADE" if cascade else None),
        index=True,
        nullable=False,
    )


# Key beside "reason" in each frozen component: the text for viewers outside counselling.
SHARED_REASON = "shared_reason"


class Placement(SQLModel, table=True):
    """The score and explanation are frozen at creation, so outcomes can be tuned against them."""

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(sa_column=_fk("participant.id"))
    vacancy_id: int = Field(sa_column=_fk("vacancy.id"))
    state: str = Field(default=PlacementState.suggested, index=True, max_length=24)
    score: float
    components: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    weight_profile_name: str = Field(max_length=64)
    weight_profile_version: int
    eligible: bool = True
    overridden_constraints: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    override_reason: str | None = Field(default=None, max_length=2000)
    note: str | None = Field(default=None, max_length=2000)
    reason_code: str | None = Field(default=None, max_length=24)
    proposed_on: date | None = None
    sent_on: date | None = Field(default=None, index=True)
    trial_start: date | None = None
    trial_end: date | None = None
    hired_on: date | None = Field(default=None, index=True)
    ended_on: date | None = None
    created_by: str = Field(max_length=80)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PlacementTransition(SQLModel, table=True):
    """One step of a placement's history; append-only."""

    __tablename__ = "placement_transition"

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(sa_column=_fk("placement.id", cascade=True))
    participant_id: int = Field(sa_column=_fk("participant.id"))
    from_state: str | None = Field(default=None, max_length=24)
    to_state: str = Field(max_length=24)
    event_date: date
    reason_code: str | None = Field(default=None, max_length=24)
    note: str | None = Field(default=None, max_length=2000)
    actor: str = Field(max_length=80)
    role: str = Field(max_length=16)
    at: datetime = Field(default_factory=utcnow)


class PlacementFollowUp(SQLModel, table=True):
    """Still employed N months after the hire? One row per placement and month."""

    __tablename__ = "placement_follow_up"
    __table_args__ = (UniqueConstraint("placement_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(sa_column=_fk("placement.id", cascade=True))
    participant_id: int = Field(sa_column=_fk("participant.id"))
    month: int
    still_employed: bool
    checked_on: date
    note: str | None = Field(default=None, max_length=2000)
    recorded_by: str = Field(max_length=80)
    recorded_at: datetime = Field(default_factory=utcnow)


# --- request bodies --------------------------------------------------------------------------


class PlacementCreate(StrictModel):
    """Body of ``POST /api/v1/placements``: a pair from a ranking or an explanation."""

    participant_id: int = PydanticField(ge=1, le=MAX_RECORD_ID)
    vacancy_id: int = PydanticField(ge=1, le=MAX_RECORD_ID)
    note: str | None = PydanticField(None, max_length=2000)
    override_reason: str | None = PydanticField(
        None,
        min_length=10,
        max_length=2000,
        description="Place a pair that fails hard constraints anyway (not work_permit, consent)",
    )


class PlacementUpdate(PatchModel):
    """Body of ``PATCH``: the note and planned trial dates; states move by transitions only."""

    patch_tables = (Placement,)

    note: str | None = PydanticField(None, max_length=2000)
    trial_start: PlausibleDate | None = None
    trial_end: PlausibleDate | None = None


class TransitionIn(StrictModel):
    """Body of ``POST /placements/{id}/transitions``."""

    to: PlacementState
    date: PlausibleDate | None = PydanticField(
        None,
        description="Day of the event (default today); for trial_scheduled the planned start",
    )
    trial_end: PlausibleDate | None = PydanticField(
        None, description="Planned last day of the trial (trial_scheduled, trial_running)"
    )
    reason_code: ReasonCode | None = PydanticField(
        None, description="Required for not_hired and withdrawn, refused otherwise"
    )
    note: str | None = PydanticField(None, max_length=2000)


class FollowUpIn(StrictModel):
    """Body of ``POST /placements/{id}/follow-ups``."""

    month: Literal[FOLLOW_UP_MONTHS]
    still_employed: bool
    checked_on: PlausibleDate
    note: str | None = PydanticField(None, max_length=2000)


# --- responses -------------------------------------------------------------------------------


class TransitionOut(ResponseModel):
    from_state: PlacementState | None
    to_state: PlacementState
    date: dt.date = PydanticField(description="Day of the event")
    reason_code: ReasonCodeOut | None
    note: str | None = PydanticField(None, exclude_if=lambda v: v is None)
    actor: str | None = PydanticField(None, exclude_if=lambda v: v is None)
    role: str
    at: datetime


class FollowUpOut(ResponseModel):
    month: int
    still_employed: bool
    checked_on: date
    note: str | None = PydanticField(None, exclude_if=lambda v: v is None)
    recorded_at: datetime


class PlacementPublic(ResponseModel):
    """A placement; pseudonymised views leave out ``participant_id``, notes and actors."""

    id: int
    participant_id: int | None = PydanticField(
        None,
        exclude_if=lambda v: v is None,
        description="Only for admins and counsellors of the participant's site",
    )
    participant_public_id: str
    vacancy_id: int
    state: PlacementState
    allowed_next: list[PlacementState] = PydanticField(
        description="States the caller's role may move this placement to"
    )
    holds_opening: bool = PydanticField(description="Counts against the vacancy's openings")
    score: float
    components: dict[str, ComponentOut]
    weight_profile: WeightProfileRef
    eligible: bool = PydanticField(description="All hard constraints passed at creation")
    overridden_constraints: list[str] | None = PydanticField(None, exclude_if=lambda v: v is None)
    override_reason: str | None = PydanticField(None, exclude_if=lambda v: v is None)
    note: str | None = PydanticField(None, exclude_if=lambda v: v is None)
    reason_code: ReasonCodeOut | None
    proposed_on: date | None
    sent_on: date | None
    trial_start: date | None
    trial_end: date | None
    hired_on: date | None
    ended_on: date | None
    history: list[TransitionOut]
    follow_ups: list[FollowUpOut]
    created_at: datetime
    updated_at: datetime


class PlacementPage(ResponseModel):
    items: list[PlacementPublic]
    next_cursor: str | None


class FollowUpDue(ResponseModel):
    placement_id: int
    participant_id: int
    participant_public_id: str
    vacancy_id: int
    site: str
    hired_on: date
    month: int
    due_on: date


class FollowUpDueList(ResponseModel):
    as_of: date
    site: str | None
    items: list[FollowUpDue]


class WaitingProposal(ResponseModel):
    """One proposal the firm has not answered (the caller's site only)."""

    placement_id: int
    participant_id: int
    participant_public_id: str
    site: str
    sent_on: date
    days_waiting: int


class VacancyProposals(ResponseModel):
    vacancy_id: int
    title: str
    openings: int
    open_proposals: int = PydanticField(description="Unanswered proposals of every site")
    cap: int = PydanticField(description="KAI_PROPOSALS_PER_OPENING × openings")
    oldest_sent_on: date
    days_waiting: int = PydanticField(description="Days since the oldest proposal was sent")
    proposals: list[WaitingProposal] = PydanticField(description="Oldest first")


class EmployerProposals(ResponseModel):
    employer_id: int
    employer_name: str
    open_proposals: int = PydanticField(description="Unanswered proposals of every site")
    cap: int = PydanticField(description="KAI_PROPOSALS_PER_EMPLOYER")
    oldest_sent_on: date
    days_waiting: int
    vacancies: list[VacancyProposals] = PydanticField(description="Oldest proposal first")


class ProposalReport(ResponseModel):
    """Firms and vacancies with unanswered proposals, the longest waiting first."""

    as_of: date
    site: str | None = PydanticField(description="Proposals of this site's participants; null: all")
    employers: list[EmployerProposals]
