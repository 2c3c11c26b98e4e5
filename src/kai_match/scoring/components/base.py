"""What a scoring component is, and the inputs its value and reason functions read.

A component is one value in [0, 1] per pair. The engine ranks in two directions, so each
component computes its values for a batch of vacancy rows (vacancies for one participant) and
for a batch of participant rows (participants for one vacancy), with the same formulas; the
property tests check that both directions agree with the per-pair reference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ..profiles import ParticipantProfile, RequiredSkill, VacancyProfile
from ..protocols import RelatedSkills
from ..weights import DEFAULT_WEIGHTS, ScoringParams, WeightProfile

if TYPE_CHECKING:
    from ..participant_index import ParticipantIndex
    from ..person_query import PersonQuery
    from ..vacancy_index import VacancyIndex
    from ..vacancy_query import VacancyQuery


@dataclass
class VacancyRows:
    """Vacancy rows being scored for one participant (`q`), with what earlier stages found."""

    q: PersonQuery
    ix: VacancyIndex
    rows: np.ndarray
    minutes: np.ndarray  # commute per row
    skill_credit: np.ndarray  # importance-weighted skill credit per row
    b1_ok: np.ndarray | bool  # B1 expected by the start, per row (False: never)
    params: ScoringParams
    as_of_day: int
    schedule_share: np.ndarray  # share of the vacancy's working times that fit, per row


@dataclass
class ParticipantRows:
    """Participant rows being scored for one vacancy (`q`), with what earlier stages found."""

    q: VacancyQuery
    ix: ParticipantIndex
    rows: np.ndarray
    minutes: np.ndarray  # commute per row
    skill_credit: np.ndarray  # importance-weighted skill credit per row
    skill_total: float  # the vacancy's total importance weight (0: no skills asked)
    b1_ok: np.ndarray  # B1 expected by the start, per row
    params: ScoringParams
    as_of_day: int
    schedule_share: np.ndarray  # share of the vacancy's working times that fit, per row

    @cached_property
    def positions(self) -> np.ndarray:
        """Position in `rows` of every index row, -1 where absent (maps entry tables to rows)."""
        pos = np.full(self.ix.cols.n, -1, dtype=np.int64)
        pos[self.rows] = np.arange(len(self.rows))
        return pos


@dataclass(slots=True)
class PairFacts:
    """One returned pair with the per-pair facts the evaluation found (for reason texts)."""

    p: ParticipantProfile
    v: VacancyProfile
    b1_ok: bool
    minutes: float
    mode: int


class TextContext(Protocol):
    """What reason functions may read about the ranking they describe (see assemble.Describer)."""

    profile: WeightProfile
    as_of: date
    lang: str
    restricted_texts: bool
    related: RelatedSkills | None

    def skill_name(self, skill_id: str) -> str:
        """A human-readable label for a skill."""
        ...

    def field_name(self, field: str) -> str:
        """A human-readable label for an occupational field."""
        ...

    def group_name(self, group: str) -> str | None:
        """The title of an ISCO-08 group, if known."""
        ...

    def skill_status(self, p: ParticipantProfile, s: RequiredSkill) -> tuple[str, bool]:
        """As `reasons.skill_status`, memoised for the ranking."""
        ...


@dataclass(frozen=True)
class ScoringComponent:
    """A named component: vectorised values per ranking direction, and its reason text.

    `vacancy_values` and `participant_values` return one float64 value per row of their batch;
    `reason(text, pair, value)` says in words what the value means for one returned pair.
    """

    name: str
    vacancy_values: Callable[[VacancyRows], np.ndarray]
    participant_values: Callable[[ParticipantRows], np.ndarray]
    reason: Callable[[TextContext, PairFacts, float], str]

    @property
    def default_weight(self) -> float:
        """The weight of the default profile (weights.DEFAULT_WEIGHTS, tunable data)."""
        return DEFAULT_WEIGHTS[self.name]
