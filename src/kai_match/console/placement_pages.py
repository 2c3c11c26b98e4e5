"""The console's placements: create one from a suggestion, the board by state, and moves.

Everything goes through ``placements.service`` with the signed-in person as caller, so the
state machine, eligibility, overrides, openings and audit are the API's. A move carries the
ETag the page was drawn with: when someone else moved the placement meanwhile, the move is
refused (412) instead of silently overwriting theirs.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlmodel import col, select

from kai_match.api.problems import field_errors_from_validation
from kai_match.console.rendering import PREFIX
from kai_match.console.visits import render_page, settings_of, signed_in_visit
from kai_match.errors import Conflict, InvalidInput, KaiError, PreconditionFailed
from kai_match.kit.versioning import record_etag
from kai_match.models import Participant, ParticipantPersonal, Placement, Vacancy
from kai_match.models.placement import (
    ENDING_STATES,
    FINAL_STATES,
    TRIAL_STATES,
    FollowUpIn,
    PlacementCreate,
    PlacementState,
    ReasonCode,
    TransitionIn,
)
from kai_match.placements.congestion import ProposalCaps
from kai_match.placements.follow_ups import follow_ups_due, record_follow_up
from kai_match.placements.service import NOT_OVERRIDABLE, create_placement, transition
from kai_match.placements.views import (
    audit_placement_reads,
    get_placement,
    placement_scope,
    read_placement,
)

router = APIRouter()
# Ended placements stay on the board this long, so a counsellor sees this month's outcomes.
BOARD_ENDED_DAYS = 30


@router.post("/placements", response_class=HTMLResponse)
def create_from_suggestion(
    request: Request,
    participant_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    vacancy_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    override_reason: Annotated[str, Form(max_length=2000)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
):
    """A placement in ``suggested``; a pair that fails a rule needs a reason where allowed."""
    with signed_in_visit(request, "/placements") as visit:
        try:
            with visit.db.begin_nested():
                created = create_placement(
                    session=visit.db,
                    data=PlacementCreate(
                        participant_id=participant_id,
                        vacancy_id=vacancy_id,
                        override_reason=override_reason.strip() or None,
                        note=note.strip() or None,
                    ),
                    principal=visit.principal,
                )
        except (Conflict, InvalidInput) as refused:
            failed = {e.field for e in refused.errors} - {"override_reason", "vacancy_id"}
            context = {
                "refused": refused,
                "participant_id": participant_id,
                "vacancy_id": vacancy_id,
                "can_override": bool(failed) and not (failed & NOT_OVERRIDABLE),
            }
            return render_page(visit, request, "placement_refused.html", context, refused.status)
    return RedirectResponse(f"{PREFIX}/placements/{created.id}", status_code=303)


@router.get("/board", response_class=HTMLResponse)
def board_page(request: Request, site: Annotated[str, Query(max_length=20)] = ""):
    """Placements by state: open ones, and those ended in the last 30 days."""
    with signed_in_visit(request, "/board") as visit:
        recent = date.today() - timedelta(days=BOARD_ENDED_DAYS)
        query = (
            select(Placement, ParticipantPersonal, Vacancy.title)
            .join(Participant, col(Participant.id) == col(Placement.participant_id))
            .join(ParticipantPersonal, col(ParticipantPersonal.participant_id) == Participant.id)
            .join(Vacancy, col(Vacancy.id) == col(Placement.vacancy_id))
            .where(*placement_scope(visit.principal))
            .where(
                col(Placement.state).not_in(tuple(FINAL_STATES))
                | (col(Placement.ended_on) >= recent)
                | (col(Placement.hired_on) >= recent)
            )
            .order_by(col(Placement.updated_at).desc())
        )
        if site and visit.account.role == "admin":
            query = query.where(Participant.site == site)
        columns: dict[str, list] = {state.value: [] for state in PlacementState}
        rows = visit.db.exec(query).all()
        for placement, personal, title in rows:
            columns[placement.state].append((placement, personal, title))
        audit_placement_reads(visit.db, visit.principal, [p for p, _, _ in rows], "placement_list")
        return render_page(visit, request, "board.html", {"columns": columns, "site": site})


@router.get("/placements/{placement_id}", response_class=HTMLResponse)
def placement_page(request: Request, placement_id: int):
    with signed_in_visit(request, "/placements/{placement_id}") as visit:
        row = get_placement(session=visit.db, placement_id=placement_id, principal=visit.principal)
        return render_page(visit, request, "placement.html", _placement_context(visit, row))


@router.post("/placements/{placement_id}/move", response_class=HTMLResponse)
def move(
    request: Request,
    placement_id: int,
    to: Annotated[str, Form(max_length=30)],
    etag: Annotated[str, Form(max_length=100)],
    on: Annotated[str, Form(max_length=10)] = "",
    trial_end: Annotated[str, Form(max_length=10)] = "",
    reason_code: Annotated[str, Form(max_length=30)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
):
    """One move of the state machine, as the buttons of the placement page offer them."""
    with signed_in_visit(request, "/placements/{placement_id}/move") as visit:
        row = get_placement(session=visit.db, placement_id=placement_id, principal=visit.principal)
        try:
            data = _transition_in(to, on, trial_end, reason_code, note)
            with visit.db.begin_nested():
                transition(
                    session=visit.db,
                    placement=row,
                    data=data,
                    principal=visit.principal,
                    if_match=etag,
                    caps=ProposalCaps.from_settings(settings_of(request)),
                )
        except KaiError as refused:
            visit.db.refresh(row)
            context = _placement_context(visit, row) | {
                "refused": refused,
                "stale": isinstance(refused, PreconditionFailed),
                "form": {"to": to, "on": on, "trial_end": trial_end, "reason_code": reason_code},
            }
            return render_page(visit, request, "placement.html", context, refused.status)
    return RedirectResponse(f"{PREFIX}/placements/{placement_id}", status_code=303)


@router.get("/follow-ups", response_class=HTMLResponse)
def follow_ups_page(request: Request):
    """Whom to call: hires whose 3-, 6- or 12-month check has come and is not recorded."""
    with signed_in_visit(request, "/follow-ups") as visit:
        due = follow_ups_due(
            session=visit.db, principal=visit.principal, site=None, as_of=date.today()
        )
        names = {
            row.participant_id: row
            for row in visit.db.exec(
                select(ParticipantPersonal).where(
                    col(ParticipantPersonal.participant_id).in_(
                        [item.participant_id for item in due.items]
                    )
                )
            )
        }
        context = {"due": due.items, "names": names, "today": date.today().isoformat()}
        return render_page(visit, request, "follow_ups.html", context)


@router.post("/placements/{placement_id}/follow-ups", response_class=HTMLResponse)
def record_check(
    request: Request,
    placement_id: int,
    month: Annotated[int, Form(ge=1, le=12)],
    still_employed: Annotated[str, Form(max_length=5)],
    checked_on: Annotated[str, Form(max_length=10)] = "",
):
    """The answer of one follow-up call; refusals (a date before the month has come) in words."""
    with signed_in_visit(request, "/placements/{placement_id}/follow-ups") as visit:
        row = get_placement(session=visit.db, placement_id=placement_id, principal=visit.principal)
        try:
            data = FollowUpIn(
                month=month,
                still_employed=still_employed == "yes",
                checked_on=checked_on or date.today(),
            )
            with visit.db.begin_nested():
                record_follow_up(
                    session=visit.db, placement=row, data=data, principal=visit.principal
                )
        except ValidationError as error:
            refused = _invalid(error, "The follow-up could not be recorded.")
            return render_page(visit, request, "error.html", {"status": 422, "error": refused}, 422)
        except KaiError as refused:
            context = {"status": refused.status, "error": refused}
            return render_page(visit, request, "error.html", context, refused.status)
    return RedirectResponse(f"{PREFIX}/follow-ups", status_code=303)


def _transition_in(to: str, on: str, trial_end: str, reason_code: str, note: str) -> TransitionIn:
    """The form's fields as the API's body; its validation errors as field errors (422)."""
    try:
        return TransitionIn(
            to=to,
            date=on or None,
            trial_end=trial_end or None,
            reason_code=reason_code or None,
            note=note.strip() or None,
        )
    except ValidationError as error:
        raise _invalid(error, "The move could not be recorded.") from None


def _invalid(error: ValidationError, detail: str) -> InvalidInput:
    """A form's validation errors as the API words them (``api.problems``), for the page."""
    return InvalidInput(detail=detail, errors=field_errors_from_validation(error)[1])


def _placement_context(visit, row: Placement) -> dict:
    shown = read_placement(session=visit.db, placement=row, principal=visit.principal)
    participant = visit.db.get(ParticipantPersonal, row.participant_id)
    vacancy = visit.db.get(Vacancy, row.vacancy_id)
    return {
        "placement": shown,
        "person": participant,
        "vacancy": vacancy,
        "etag": record_etag(row),
        "ending": {s.value for s in ENDING_STATES},
        "trial": {s.value for s in TRIAL_STATES},
        "reasons": [r.value for r in ReasonCode],
        "today": date.today().isoformat(),
        "refused": None,
        "stale": False,
        "form": {},
    }
