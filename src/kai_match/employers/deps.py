"""Load-or-404 for employers: the caller's scope is part of the query, so out of reach is 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from kai_match.api.deps import PrincipalDep, SessionDep
from kai_match.employers.service import get_employer
from kai_match.models import Employer
from kai_match.models.common import MAX_RECORD_ID


def _employer(
    session: SessionDep,
    principal: PrincipalDep,
    employer_id: Annotated[int, Path(ge=1, le=MAX_RECORD_ID)],
) -> Employer:
    return get_employer(session=session, employer_id=employer_id, principal=principal)


EmployerDep = Annotated[Employer, Depends(_employer)]
