"""Recorded outcomes joined with what the engine says about each pair: the analyst's table.

Component values come from the engine itself (`rank_participants` restricted to the candidates
of a vacancy), so an evaluation scores exactly what a ranking would show. Component values do not
depend on the weights, only on a profile's parameters and hard constraints: one table serves
every profile that differs from it in weights alone (`PairTable.scores`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from tqdm import tqdm

from kai_match.scoring import (
    COMPONENTS,
    CommuteModel,
    ParticipantIndex,
    ParticipantProfile,
    RankingContext,
    RelatedSkills,
    VacancyProfile,
    WeightProfile,
    rank_participants,
)

__all__ = ["Outcome", "PairTable", "build_pairs", "same_components"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One candidate of a vacancy and what became of it (completed a trial, was hired)."""

    vacancy_id: int
    participant_id: int
    completed: bool
    hired: bool

    @property
    def relevance(self) -> int:
        """Graded gain for NDCG: 2 hired, 1 completed without a hire, 0 otherwise."""
        return 2 if self.hired else 1 if self.completed else 0


@dataclass(frozen=True)
class PairTable:
    """One row per (vacancy, candidate), sorted by vacancy then participant id.

    `values` holds the five component values (NaN where the profile finds the pair ineligible);
    `starts[g]:starts[g+1]` are the rows of the g-th vacancy.
    """

    vacancy_id: np.ndarray
    participant_id: np.ndarray
    values: np.ndarray
    eligible: np.ndarray
    relevance: np.ndarray
    starts: np.ndarray

    @property
    def n_groups(self) -> int:
        return len(self.starts) - 1

    def scores(self, weights: Mapping[str, float] | np.ndarray) -> np.ndarray:
        """Score 0–100 of every row under `weights`; ineligible rows get -inf (never shown)."""
        w = np.asarray(
            [weights[c] for c in COMPONENTS] if isinstance(weights, Mapping) else weights,
            dtype=np.float64,
        )
        shares = w / w.sum()
        out = np.full(len(self.eligible), -np.inf)
        out[self.eligible] = self.values[self.eligible] @ shares * 100.0
        return out

    def subset(self, groups: np.ndarray) -> PairTable:
        """The table restricted to some vacancy groups (for train / test splits)."""
        rows = np.concatenate([np.arange(self.starts[g], self.starts[g + 1]) for g in groups])
        sizes = np.diff(self.starts)[groups]
        return PairTable(
            self.vacancy_id[rows],
            self.participant_id[rows],
            self.values[rows],
            self.eligible[rows],
            self.relevance[rows],
            np.concatenate([[0], np.cumsum(sizes)]),
        )


def same_components(a: WeightProfile, b: WeightProfile) -> bool:
    """Whether two profiles give the same component values and eligibility (differ in weights)."""
    da, db = a.to_dict(), b.to_dict()
    return all(da[k] == db[k] for k in ("hard_constraints", "permit_rules", "params"))


def build_pairs(
    participants: Iterable[ParticipantProfile],
    vacancies: Iterable[VacancyProfile],
    outcomes: Sequence[Outcome],
    profile: WeightProfile,
    *,
    commute: CommuteModel,
    related: RelatedSkills | None,
    as_of: date | Mapping[int, date],
    progress: bool = False,
) -> PairTable:
    """Component values of every recorded (vacancy, candidate) pair under `profile`.

    `as_of` may be one day or a day per vacancy (the day its candidates were proposed), so that
    historical outcomes are judged by what the engine knew then.
    """
    people = {p.id: p for p in participants}
    jobs = {v.id: v for v in vacancies}
    pools: dict[int, dict[int, int]] = defaultdict(dict)
    for o in outcomes:
        if o.vacancy_id in jobs and o.participant_id in people:
            pools[o.vacancy_id][o.participant_id] = o.relevance
    index = ParticipantIndex(
        people[i] for i in sorted({p for pool in pools.values() for p in pool})
    )
    vids, pids, rel, elig, vals, sizes = [], [], [], [], [], []
    for vid in tqdm(sorted(pools), desc="pairs", unit="vacancy", disable=not progress):
        pool = pools[vid]
        ids = sorted(pool)
        day = as_of[vid] if isinstance(as_of, Mapping) else as_of
        context = RankingContext(commute=commute, as_of=day, profile=profile, related=related)
        result = rank_participants(jobs[vid], index, context, candidates=ids, limit=len(ids))
        found = {
            item.participant_id: [item.components[c].value for c in COMPONENTS]
            for item in result.items
        }
        for pid in ids:
            vids.append(vid)
            pids.append(pid)
            rel.append(pool[pid])
            elig.append(pid in found)
            vals.append(found.get(pid, [np.nan] * len(COMPONENTS)))
        sizes.append(len(ids))
    return PairTable(
        vacancy_id=np.asarray(vids, dtype=np.int64),
        participant_id=np.asarray(pids, dtype=np.int64),
        values=np.asarray(vals, dtype=np.float64).reshape(-1, len(COMPONENTS)),
        eligible=np.asarray(elig, dtype=np.bool_),
        relevance=np.asarray(rel, dtype=np.int8),
        starts=np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64),
    )
