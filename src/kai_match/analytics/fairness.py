"""Who gets shown: score distributions, top-k selection rates and exposure by group.

Groups come from attributes the engine never sees (gender, nationality group, age band, site).
A group with fewer than `min_cell` people is suppressed (its figures are None), because a small
cell could single a person out; when that leaves one group of an attribute suppressed, the
people and candidate counts of the next-smallest group are None as well (complementary
suppression, `analytics.disclosure`), since the groups add up to everyone ranked. A selection rate below four fifths of the best group's rate is
flagged (the "four-fifths rule" of adverse-impact analysis) — a prompt to look, not a verdict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from .disclosure import hidden_cells
from .metrics import ranks_within
from .pairs import PairTable

__all__ = ["FOUR_FIFTHS", "MIN_CELL", "GroupFigures", "fairness_report"]

MIN_CELL = 5
FOUR_FIFTHS = 0.8


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """One group of one attribute; every figure is None when the group is suppressed.

    `people` and `candidates` alone are None (and `suppressed` False) for the complement of a
    suppressed group: the group whose size would otherwise give the suppressed one's away.
    """

    attribute: str
    group: str
    people: int | None
    candidates: int | None
    eligible_rate: float | None
    score_mean: float | None
    score_quartiles: tuple[float, float, float] | None
    selection_rate: float | None
    exposure: float | None
    ratio_to_best: float | None
    flagged: bool
    suppressed: bool

    def to_dict(self) -> dict:
        return asdict(self)


def _r(x: float) -> float:
    return round(float(x), 4)


def fairness_report(
    table: PairTable,
    scores: np.ndarray,
    attributes: Mapping[int, Mapping[str, str]],
    dimensions: Sequence[str],
    *,
    k: int = 10,
    min_cell: int = MIN_CELL,
) -> list[GroupFigures]:
    """Figures per (attribute, group) over every (vacancy, candidate) row of `table`.

    `selection_rate`: share of a group's rows in the top k of their vacancy; `exposure`: mean
    position weight 1/log2(1 + rank) (0 when not shown), as in ranking-fairness work.
    """
    shown = np.isfinite(scores)
    ranks = ranks_within(table, scores)
    top = shown & (ranks <= k)
    weight = np.where(shown, 1.0 / np.log2(ranks + 1.0), 0.0)
    out: list[GroupFigures] = []
    for dim in dimensions:
        rows_by: dict[str, list[int]] = defaultdict(list)
        for i, pid in enumerate(table.participant_id.tolist()):
            value = attributes.get(pid, {}).get(dim)
            rows_by["unknown" if value is None else str(value)].append(i)
        figures = []
        groups = sorted(rows_by)
        sizes = {g: len(np.unique(table.participant_id[np.asarray(rows_by[g])])) for g in groups}
        # Every person is in one group of the attribute and the report names how many were
        # ranked, so a suppressed group's size must not be the difference: the counts of its
        # complement are hidden as well (its rates stay, they give no size away).
        uncounted = hidden_cells(sizes, [groups], min_cell=min_cell, floor=1)
        for group in groups:
            rows = np.asarray(rows_by[group])
            people = sizes[group]
            if people < min_cell:
                figures.append(
                    GroupFigures(dim, group, *([None] * 8), flagged=False, suppressed=True)
                )
                continue
            ok = rows[shown[rows]]
            quart = (
                tuple(_r(q) for q in np.percentile(scores[ok], [25, 50, 75])) if len(ok) else None
            )
            figures.append(
                GroupFigures(
                    dim,
                    group,
                    None if group in uncounted else people,
                    None if group in uncounted else len(rows),
                    _r(np.mean(shown[rows])),
                    _r(np.mean(scores[ok])) if len(ok) else None,
                    quart,
                    _r(np.mean(top[rows])),
                    _r(np.mean(weight[rows])),
                    None,
                    False,
                    False,
                )
            )
        rates = [f.selection_rate for f in figures if f.selection_rate is not None]
        best = max(rates, default=0.0)
        for f in figures:
            if f.selection_rate is None or best <= 0:
                out.append(f)
                continue
            ratio = _r(f.selection_rate / best)
            out.append(
                GroupFigures(
                    **{**f.to_dict(), "ratio_to_best": ratio, "flagged": ratio < FOUR_FIFTHS}
                )
            )
    return out
