"""Aggregates for analysts: counts, never records; small groups are suppressed for them."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from kai_match.access.scopes import participant_scope
from kai_match.kit.principal import Principal
from kai_match.models import Participant
from kai_match.models.api_key import Role
from kai_match.models.statistics import (
    CountGroup,
    ParticipantDimension,
    ParticipantStatistics,
)

# Groups smaller than this could single a person out; analysts see them as null.
MIN_CELL = 5


def participant_counts(
    *, session: Session, principal: Principal, by: list[ParticipantDimension]
) -> ParticipantStatistics:
    """Counts of participants in the caller's reach, grouped by ``by`` (site when empty)."""
    dimensions = list(dict.fromkeys(by)) or [ParticipantDimension.site]
    columns = [getattr(Participant, d.value) for d in dimensions]
    query = (
        select(*columns, func.count(col(Participant.id)))
        .where(*participant_scope(principal))
        .group_by(*columns)
        .order_by(*columns)
    )
    min_cell = MIN_CELL if principal.role == Role.analyst else 1
    groups = []
    total = 0
    for row in session.exec(query):
        *values, count = row
        total += count
        groups.append(
            CountGroup(
                key={d.value: v for d, v in zip(dimensions, values, strict=True)},
                count=count if count >= min_cell else None,
            )
        )
    return ParticipantStatistics(by=dimensions, groups=groups, total=total, min_cell=min_cell)
