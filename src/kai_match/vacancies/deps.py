"""Load-or-404 for vacancies: the caller's scope is part of the query, so out of reach is 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from kai_match.api.deps import PrincipalDep, SessionDep
from kai_match.models import Vacancy
from kai_match.models.common import MAX_RECORD_ID
from kai_match.vacancies.service import get_vacancy


def _vacancy(
    session: SessionDep,
    principal: PrincipalDep,
    vacancy_id: Annotated[int, Path(ge=1, le=MAX_RECORD_ID)],
) -> Vacancy:
    return get_vacancy(session=session, vacancy_id=vacancy_id, principal=principal)


VacancyDep = Annotated[Vacancy, Depends(_vacancy)]
