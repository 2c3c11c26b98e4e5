"""Aggregates for analysts: counts, never records; small groups are suppressed for them."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from sqlalchemy import func
from sqlmodel import Session, col, select

from kai_match.access.scopes import participant_scope
from kai_match.analytics.disclosure import hidden_cells
from kai_match.kit.principal import Principal
from kai_match.models import Participant
from kai_match.models.api_key import Role
from kai_match.models.statistics import (
    CountGroup,
    ParticipantDimension,
    ParticipantStatistics,
)

# Groups smaller than this could single a person out; analysts see them (and the cells that
# would give them away) as null.
MIN_CELL = 5


def participant_counts(
    *, session: Session, principal: Principal, by: list[ParticipantDimension]
) -> ParticipantStatistics:
    """Counts of participants in the caller's reach, grouped by ``by`` (site when empty).

    For analysts small groups are null, and so are the groups that would give them away
    (complementary suppression, ``analytics.disclosure``): the rows alike in some dimensions
    add up to the answer grouped by those dimensions alone (the whole table to ``total``), so
    no such set may leave one hidden count alone. A total below ``MIN_CELL`` is itself a small
    count and null as well.
    """
    dimensions = list(dict.fromkeys(by)) or [ParticipantDimension.site]
    columns = [getattr(Participant, d.value) for d in dimensions]
    query = (
        select(*columns, func.count(col(Participant.id)))
        .where(*participant_scope(principal))
        .group_by(*columns)
        .order_by(*columns)
    )
    min_cell = MIN_CELL if principal.role == Role.analyst else 1
    rows = [(tuple(values), count) for *values, count in session.exec(query)]
    counts = {i: count for i, (_, count) in enumerate(rows)}
    hidden = hidden_cells(counts, _groups(rows), min_cell=min_cell, floor=1)
    total = sum(counts.values())
    groups = [
        CountGroup(
            key={d.value: v for d, v in zip(dimensions, values, strict=True)},
            count=None if i in hidden else count,
        )
        for i, (values, count) in enumerate(rows)
    ]
    return ParticipantStatistics(
        by=dimensions,
        groups=groups,
        total=total if total >= min_cell else None,
        min_cell=min_cell,
    )


def _groups(rows: list[tuple[tuple, int]]) -> list[list[int]]:
    """Row positions of each group with a known total: rows alike in some of the dimensions.

    Fixing a subset of the dimensions (none: the whole table) selects rows whose sum is the
    answer grouped by that subset alone, so every proper subset makes groups.
    """
    width = len(rows[0][0]) if rows else 0
    groups: list[list[int]] = []
    for size in range(width):
        for fixed in combinations(range(width), size):
            by_fixed: dict[tuple, list[int]] = defaultdict(list)
            for i, (values, _) in enumerate(rows):
                by_fixed[tuple(values[d] for d in fixed)].append(i)
            groups.extend(by_fixed.values())
    return groups
