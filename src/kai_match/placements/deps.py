"""Load-or-404 for placements: the caller's scope is part of the query, so out of reach is 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from kai_match.api.deps import PrincipalDep, SessionDep
from kai_match.models import Placement
from kai_match.models.common import MAX_RECORD_ID
from kai_match.placements.views import get_placement


def _placement(
    session: SessionDep,
    principal: PrincipalDep,
    placement_id: Annotated[int, Path(ge=1, le=MAX_RECORD_ID)],
) -> Placement:
    return get_placement(session=session, placement_id=placement_id, principal=principal)


PlacementDep = Annotated[Placement, Depends(_placement)]
