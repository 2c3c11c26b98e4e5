"""The console's pages: sign-in and sign-out, the caseload, a participant's record, accounts.

Each page runs in one transaction (its audit entries commit with the page that shows the data)
and acts through the same services and scopes as the API, with the signed-in person as the
caller (``accounts.principal_of``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import col, select

from kai_match.audit import service as audit
from kai_match.console import accounts, labels, sessions
from kai_match.console.caseload import SORTS, Filters, caseload
from kai_match.console.rendering import PREFIX, SIGN_IN_PATH, language, render
from kai_match.console.visits import (
    Visit,
    lifetime_of,
    render_page,
    root_app,
    settings_of,
    signed_in_visit,
    transaction,
)
from kai_match.errors import Forbidden, KaiError
from kai_match.matching import service as matching
from kai_match.matching.service import RankingRequest
from kai_match.models import Placement, UserAccount, Vacancy
from kai_match.models.api_key import Role
from kai_match.models.common import Site
from kai_match.participants.service import get_participant, read_participant
from kai_match.scoring.constants import CEFR_LEVELS, PARTICIPANT_STATUSES
from kai_match.vacancies.service import get_vacancy

router = APIRouter()
SUGGESTIONS = 10  # a counsellor looks at the first ten; the API pages further


# -- sign-in ---------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    with transaction(request) as db:
        signed_in = sessions.resolve(
            db, request.cookies.get(sessions.COOKIE), lifetime_of(settings_of(request))
        )
    if signed_in is None:
        return RedirectResponse(SIGN_IN_PATH, status_code=303)
    return RedirectResponse(f"{PREFIX}/caseload", status_code=303)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request):
    return render(request, "sign_in.html", {"username": "", "refused": None})


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
):
    settings = settings_of(request)
    with transaction(request) as db:
        try:
            account = accounts.authenticate(
                db,
                username.strip().lower(),
                password,
                max_attempts=settings.console_max_failed_sign_ins,
                lockout=timedelta(minutes=settings.console_lockout_minutes),
                cheap=settings.environment == "test",
            )
        except accounts.SignInRefused as refused:
            db.commit()  # the failed attempt counts even though the answer is a refusal
            context = {"username": username, "refused": refused}
            return render(request, "sign_in.html", context, status=401)
        token = sessions.open_session(db, account, lifetime_of(settings))
        audit.record(db, accounts.principal_of(account, f"POST {SIGN_IN_PATH}"), "sign_in")
    answer = RedirectResponse(f"{PREFIX}/caseload", status_code=303)
    answer.set_cookie(
        sessions.COOKIE,
        token,
        path=PREFIX,
        httponly=True,
        secure=True,
        samesite="strict",
        max_age=settings.console_session_hours * 3600,
    )
    return answer


@router.post("/sign-out")
def sign_out(request: Request):
    with transaction(request) as db:
        sessions.close_session(db, request.cookies.get(sessions.COOKIE))
    answer = RedirectResponse(SIGN_IN_PATH, status_code=303)
    answer.delete_cookie(sessions.COOKIE, path=PREFIX, httponly=True, secure=True)
    return answer


# -- caseload --------------------------------------------------------------------------------


@router.get("/caseload", response_class=HTMLResponse)
def caseload_page(
    request: Request,
    q: Annotated[str, Query(max_length=100)] = "",
    site: Annotated[str, Query(max_length=20)] = "",
    status: Annotated[str, Query(max_length=20)] = "active",
    level: Annotated[str, Query(max_length=2)] = "",
    without_placement: bool = False,
    sort: Annotated[str, Query(max_length=10)] = "name",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
):
    with signed_in_visit(request, "/caseload") as visit:
        if visit.account.role == Role.counsellor and site not in ("", visit.account.site):
            raise Forbidden(detail="Counsellors see the participants of their own site.")
        filters = Filters(q, site, status, level, without_placement, sort, page)
        found = caseload(visit.db, visit.principal, filters)
        context = {
            "filters": filters,
            "found": found,
            "sites": [s.value for s in Site],
            "levels": CEFR_LEVELS,
            "statuses": PARTICIPANT_STATUSES,
            "sorts": list(SORTS),
        }
        return render_page(visit, request, "caseload.html", context)


@router.get("/participants/{participant_id}", response_class=HTMLResponse)
def participant_page(request: Request, participant_id: int):
    with signed_in_visit(request, "/participants/{participant_id}") as visit:
        row = get_participant(
            session=visit.db, participant_id=participant_id, principal=visit.principal
        )
        person = read_participant(session=visit.db, participant=row, principal=visit.principal)
        history = visit.db.exec(
            select(Placement, Vacancy.title)
            .join(Vacancy, col(Vacancy.id) == col(Placement.vacancy_id))
            .where(Placement.participant_id == participant_id)
            .order_by(col(Placement.id).desc())
        ).all()
        reads = audit.entries_about(visit.db, row.public_id)[-20:]
        context = {"person": person, "history": history, "reads": reads}
        return render_page(visit, request, "participant.html", context)


@router.get("/participants/{participant_id}/suggestions", response_class=HTMLResponse)
def suggestions_page(
    request: Request,
    participant_id: int,
    type: Annotated[str, Query(max_length=20)] = "",
    max_commute: Annotated[int | None, Query(ge=5, le=240)] = None,
):
    """The ranked placements with a bar per component, the reasons, flags and commute."""
    with signed_in_visit(request, "/participants/{participant_id}/suggestions") as visit:
        row = get_participant(
            session=visit.db, participant_id=participant_id, principal=visit.principal
        )
        person = read_participant(session=visit.db, participant=row, principal=visit.principal)
        wanted = RankingRequest(
            limit=SUGGESTIONS,
            types=(type,) if type in labels.PLACEMENT_TYPE else None,
            max_commute_minutes=max_commute,
            lang=language(request),
        )
        ranking = matching.matches_for_participant(
            session=visit.db,
            indexes=root_app(request).state.matching,
            participant=row,
            request=wanted,
            principal=visit.principal,
        )
        context = {
            "person": person,
            "ranking": ranking,
            "type": type,
            "max_commute": max_commute,
            "components": labels.COMPONENT,
            "modes": labels.MODE,
        }
        return render_page(visit, request, "suggestions.html", context)


@router.get("/participants/{participant_id}/why-not", response_class=HTMLResponse)
def why_not_page(
    request: Request,
    participant_id: int,
    vacancy_id: Annotated[int, Query(ge=1, le=2_147_483_647)],
):
    """One pair explained: every failed rule in words, the score computed regardless."""
    with signed_in_visit(request, "/participants/{participant_id}/why-not") as visit:
        row = get_participant(
            session=visit.db, participant_id=participant_id, principal=visit.principal
        )
        vacancy = get_vacancy(session=visit.db, vacancy_id=vacancy_id, principal=visit.principal)
        person = read_participant(session=visit.db, participant=row, principal=visit.principal)
        explanation = matching.explain_pair(
            session=visit.db,
            participant=row,
            vacancy=vacancy,
            request=RankingRequest(lang=language(request)),
            principal=visit.principal,
        )
        context = {
            "person": person,
            "vacancy": vacancy,
            "explanation": explanation,
            "components": labels.COMPONENT,
            "modes": labels.MODE,
        }
        return render_page(visit, request, "why_not.html", context)


# -- accounts (admins) -----------------------------------------------------------------------


@router.get("/accounts", response_class=HTMLResponse)
def accounts_page(request: Request):
    with signed_in_visit(request, "/accounts") as visit:
        _admin_only(visit)
        return render_page(visit, request, "accounts.html", _accounts_context(visit))


@router.post("/accounts", response_class=HTMLResponse)
def create_account(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=16)] = "counsellor",
    site: Annotated[str, Form(max_length=20)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
):
    with signed_in_visit(request, "/accounts") as visit:
        _admin_only(visit)
        try:
            with visit.db.begin_nested():
                accounts.create_account(
                    visit.db,
                    username=username.strip().lower(),
                    display_name=display_name,
                    role=role,
                    site=site or None,
                    password=password,
                    cheap=settings_of(request).environment == "test",
                )
        except KaiError as refused:
            form = {"username": username, "display_name": display_name, "role": role, "site": site}
            context = _accounts_context(visit) | {"refused": refused, "form": form}
            return render_page(visit, request, "accounts.html", context, status=refused.status)
        audit.record(visit.db, visit.principal, "account_create", fields=["username", "role"])
    return RedirectResponse(f"{PREFIX}/accounts", status_code=303)


def _admin_only(visit: Visit) -> None:
    if visit.account.role != Role.admin:
        raise Forbidden(detail="Only admins manage console accounts.")


def _accounts_context(visit: Visit) -> dict:
    rows = visit.db.exec(select(UserAccount).order_by(col(UserAccount.username))).all()
    return {"accounts": rows, "sites": [s.value for s in Site], "refused": None, "form": {}}
