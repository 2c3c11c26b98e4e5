"""Dependencies as ``Annotated`` aliases: session, pagination, load-or-404 records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from sqlmodel import Session

from kai_match.config import Settings
from kai_match.db import session_scope
from kai_match.models import Employer, Participant, Vacancy
from kai_match.services.employers import get_employer
from kai_match.services.pagination import PageRequest, decode_cursor
from kai_match.services.participants import get_participant
from kai_match.services.vacancies import get_vacancy


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _session(request: Request) -> Iterator[Session]:
    yield from session_scope(request.app.state.engine)


SettingsDep = Annotated[Settings, Depends(_settings)]
SessionDep = Annotated[Session, Depends(_session)]
IfMatch = Annotated[str | None, Header(alias="If-Match", description="ETag from a previous GET")]


def _page(
    settings: SettingsDep,
    limit: Annotated[
        int | None, Query(ge=1, description="Page size; capped at the maximum")
    ] = None,
    cursor: Annotated[
        str | None, Query(max_length=200, description="next_cursor of the previous page")
    ] = None,
) -> PageRequest:
    size = min(limit or settings.page_limit_default, settings.page_limit_max)
    return PageRequest(limit=size, after_id=decode_cursor(cursor))


PageDep = Annotated[PageRequest, Depends(_page)]


def _participant(
    session: SessionDep, participant_id: Annotated[int, Path(ge=1, le=2**62)]
) -> Participant:
    return get_participant(session=session, participant_id=participant_id)


def _employer(session: SessionDep, employer_id: Annotated[int, Path(ge=1, le=2**62)]) -> Employer:
    return get_employer(session=session, employer_id=employer_id)


def _vacancy(session: SessionDep, vacancy_id: Annotated[int, Path(ge=1, le=2**62)]) -> Vacancy:
    return get_vacancy(session=session, vacancy_id=vacancy_id)


ParticipantDep = Annotated[Participant, Depends(_participant)]
EmployerDep = Annotated[Employer, Depends(_employer)]
VacancyDep = Annotated[Vacancy, Depends(_vacancy)]
