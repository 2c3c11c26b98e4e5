"""Weight-profile routes: create a version, list, get, activate, delete an unused one."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Path, Query, Response, status
from pydantic import BaseModel

from kai_match.api.deps import PageDep, SessionDep, allow
from kai_match.api.examples import WEIGHT_PROFILE_CREATE, example
from kai_match.api.problems import problem_responses
from kai_match.api.unit_of_work import domain_router
from kai_match.matching import profiles as service
from kai_match.models import WeightProfileRecord
from kai_match.models.api_key import Role
from kai_match.models.common import MAX_RECORD_ID
from kai_match.models.weight_profile import WeightProfileCreate, WeightProfilePublic

router = domain_router(prefix="/weight-profiles", tags=["weight profiles"])


def _record(
    session: SessionDep, profile_id: Annotated[int, Path(ge=1, le=MAX_RECORD_ID)]
) -> WeightProfileRecord:
    return service.get_profile_record(session=session, profile_id=profile_id)


RecordDep = Annotated[WeightProfileRecord, Depends(_record)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WeightProfilePublic,
    responses=problem_responses(400, 413, 422, 503),
    **allow(Role.admin, Role.analyst),
)
def create_profile(
    session: SessionDep,
    data: Annotated[
        WeightProfileCreate,
        Body(openapi_examples=example("Commute matters more", WEIGHT_PROFILE_CREATE)),
    ],
) -> WeightProfilePublic:
    """Store the next version of the named profile (versions never change once stored)."""
    return service.create_profile(session=session, data=data)


class WeightProfilePage(BaseModel):
    items: list[WeightProfilePublic]
    next_cursor: str | None


@router.get(
    "",
    response_model=WeightProfilePage,
    responses=problem_responses(422, 503),
    **allow(Role.admin, Role.counsellor, Role.partner, Role.analyst),
)
def list_profiles(
    session: SessionDep,
    page: PageDep,
    name: Annotated[str | None, Query(max_length=64, description="Versions of this name")] = None,
) -> WeightProfilePage:
    """Every stored version, oldest first; ``{items, next_cursor}`` like every list."""
    result = service.list_profiles(session=session, page=page, name=name)
    return WeightProfilePage(items=result.items, next_cursor=result.next_cursor)


@router.get(
    "/{profile_id:int}",
    response_model=WeightProfilePublic,
    responses=problem_responses(404, 422, 503),
    **allow(Role.admin, Role.counsellor, Role.partner, Role.analyst),
)
def get_profile(record: RecordDep) -> WeightProfilePublic:
    return service.profile_public(record)


@router.post(
    "/{profile_id:int}/activate",
    response_model=WeightProfilePublic,
    responses=problem_responses(404, 422, 503),
    **allow(Role.admin),
)
def activate_profile(session: SessionDep, record: RecordDep) -> WeightProfilePublic:
    """Make this version the one every ranking uses from now on."""
    return service.activate_profile(session=session, record=record)


@router.delete(
    "/{profile_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 409, 422, 503),
    **allow(Role.admin),
)
def delete_profile(session: SessionDep, record: RecordDep) -> Response:
    service.delete_profile(session=session, record=record)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
