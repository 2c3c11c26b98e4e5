"""Load-or-404 for participants: the caller's scope is part of the query, so out of reach is 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from kai_match.api.deps import PrincipalDep, SessionDep
from kai_match.models import Participant
from kai_match.models.common import MAX_RECORD_ID
from kai_match.participants.service import get_participant


def _participant(
    session: SessionDep,
    principal: PrincipalDep,
    participant_id: Annotated[int, Path(ge=1, le=MAX_RECORD_ID)],
) -> Participant:
    return get_participant(session=session, participant_id=participant_id, principal=principal)


ParticipantDep = Annotated[Participant, Depends(_participant)]
