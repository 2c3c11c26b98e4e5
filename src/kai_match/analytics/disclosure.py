"""Small-cell suppression with complementary suppression, for every table analysts see.

A count below ``min_cell`` could single a person out, so it is hidden (primary suppression).
A hidden count is still derivable when its group's total is known: 301 − (149 + 72 + 79) = 1.
So in every *group* — cells whose sum is published, here or in another answer — the hidden
cells must leave more than one way to add up to what the total leaves for them:

- one hidden cell alone would be the difference, so the smallest shown cell of the group is
  hidden as well (complementary suppression; it is the cheapest figure to give up);
- hidden cells that could only all be at their lowest value (zeros in the programme report,
  ones in a grouped count, where no group of nobody is listed) are the difference as well, so
  the same happens then.

A cell belongs to several groups (a row and a column); hiding one for one group can leave
another with a single hidden cell, so this repeats until no group needs another cell.
Used by ``insights.statistics``, ``insights.reports`` and ``analytics.fairness``; the rule is
documented in docs/security.md ("Small cells").
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def hidden_cells(
    counts: Mapping[K, int],
    groups: Iterable[Sequence[K]],
    *,
    min_cell: int,
    floor: int = 0,
) -> set[K]:
    """The cells to publish as null: those below ``min_cell`` and their complements.

    ``groups`` lists the cells of each group with a known total (a cell may be in several);
    ``floor`` is the least a listed cell can hold (1 where empty groups are not listed).
    With ``min_cell`` 1 nothing is hidden. Ties are broken by the order of each group, so the
    same figures always hide the same cells.
    """
    if min_cell <= 1:
        return set()
    hidden = {key for key, count in counts.items() if count < min_cell}
    groups = [list(group) for group in groups]
    changed = bool(hidden)
    while changed:
        changed = False
        for group in groups:
            inside = [key for key in group if key in hidden]
            if not inside or not _derivable(inside, counts, floor):
                continue
            shown = [key for key in group if key not in hidden]
            if shown:
                hidden.add(min(shown, key=lambda key: counts[key]))
                changed = True
    return hidden


def _derivable(inside: list, counts: Mapping, floor: int) -> bool:
    """Whether the group's total pins its hidden cells down: one alone, or all at the floor."""
    return len(inside) == 1 or sum(counts[key] for key in inside) == floor * len(inside)
