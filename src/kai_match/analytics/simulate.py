"""A synthetic district with a hidden ground truth, so that tuning can be checked against it.

Success is drawn from a hidden function of the engine's own component values — a weighted sum,
a language × skills interaction and per-pair noise, through a logistic link — with weights that
differ from the default profile. An analyst's method is good if it recovers a ranking close to
the *oracle* (the hidden systematic part, without the noise nobody can observe).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from tqdm import tqdm

from kai_match.data.geo import CommuteEstimator
from kai_match.data.taxonomy import related_skills
from kai_match.scoring import (
    COMPONENTS,
    DEFAULT_PROFILE,
    CommuteModel,
    ParticipantIndex,
    ParticipantProfile,
    RankingContext,
    RelatedSkills,
    VacancyProfile,
    rank_participants,
)

from .district import ProtectedAttributes, make_participants, make_vacancies
from .pairs import Outcome, PairTable

__all__ = ["AS_OF", "District", "HiddenTruth", "oracle_scores", "simulate"]

AS_OF = date(2027, 1, 4)
"""Default reference day of a simulation (fixed, so a seed always gives the same district)."""


@dataclass(frozen=True)
class HiddenTruth:
    """P(trial completed) = σ(intercept + Σ β·value + interaction·language·skills + noise)."""

    coefficients: Mapping[str, float] = field(
        default_factory=lambda: {
            "language": 2.5,
            "skills": 1.0,
            "occupation": 0.0,
            "commute": 6.0,
            "preferences": 4.0,
        }
    )
    interaction: float = 1.5
    noise_sd: float = 0.5
    base_rate: float = 0.3
    hire_shift: float = -0.5
    intercept: float = 0.0

    def systematic(self, values: np.ndarray) -> np.ndarray:
        """The observable part of the logit (without intercept and noise): the oracle score."""
        beta = np.asarray([self.coefficients[c] for c in COMPONENTS])
        lang, skills = (
            values[:, COMPONENTS.index("language")],
            values[:, COMPONENTS.index("skills")],
        )
        return values @ beta + self.interaction * lang * skills

    def to_dict(self) -> dict:
        return {
            "coefficients": dict(self.coefficients),
            "interaction": self.interaction,
            "noise_sd": self.noise_sd,
            "base_rate": self.base_rate,
            "hire_shift": self.hire_shift,
            "intercept": self.intercept,
        }


@dataclass(frozen=True)
class District:
    """Everything a simulation produced; `attributes` are for fairness checks only."""

    participants: list[ParticipantProfile]
    vacancies: list[VacancyProfile]
    attributes: list[ProtectedAttributes]
    outcomes: list[Outcome]
    truth: HiddenTruth
    as_of: date
    seed: int

    def summary(self) -> dict:
        """Counts an analyst checks first."""
        with_outcomes = {o.vacancy_id for o in self.outcomes}
        return {
            "participants": len(self.participants),
            "vacancies": len(self.vacancies),
            "vacancies_with_outcomes": len(with_outcomes),
            "candidates": len(self.outcomes),
            "completed": sum(o.completed for o in self.outcomes),
            "hired": sum(o.hired for o in self.outcomes),
            "german_levels": {
                lv: sum(p.german_level == lv for p in self.participants)
                for lv in ("A1", "A2", "B1", "B2", "C1", "C2")
            },
        }


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def simulate(
    participants: int = 400,
    vacancies: int = 120,
    seed: int = 0,
    *,
    as_of: date = AS_OF,
    outcome_share: float = 0.8,
    pool_size: tuple[int, int] = (8, 25),
    truth: HiddenTruth | None = None,
    commute: CommuteModel | None = None,
    related: RelatedSkills | None = related_skills,
    progress: bool = False,
) -> District:
    """A district, and outcomes for the candidates of most vacancies; same seed, same district.

    Candidates of a vacancy are drawn at random from the people the default profile finds
    eligible (counsellors only propose eligible pairs); outcomes then follow the hidden truth.
    """
    rng = np.random.default_rng(seed)
    truth = truth or HiddenTruth()
    commute = commute or CommuteEstimator()
    people, attributes = make_participants(rng, participants, as_of)
    jobs = make_vacancies(rng, vacancies, as_of)
    index = ParticipantIndex(people)
    context = RankingContext(commute=commute, as_of=as_of, profile=DEFAULT_PROFILE, related=related)
    pools: list[tuple[int, list[int], np.ndarray]] = []
    for job in tqdm(jobs, desc="outcomes", unit="vacancy", disable=not progress):
        if rng.random() >= outcome_share:
            continue
        ranked = rank_participants(job, index, context, limit=len(people))
        if len(ranked.items) < 3:
            continue
        size = min(len(ranked.items), int(rng.integers(pool_size[0], pool_size[1] + 1)))
        chosen = sorted(rng.choice(len(ranked.items), size=size, replace=False).tolist())
        items = [ranked.items[i] for i in chosen]
        values = np.array([[it.components[c].value for c in COMPONENTS] for it in items])
        pools.append((job.id, [it.participant_id for it in items], values))
    outcomes: list[Outcome] = []
    if pools:
        systematic = truth.systematic(np.vstack([v for _, _, v in pools]))
        # Calibrate the intercept so that about `base_rate` of candidates complete a trial.
        intercept = float(np.log(truth.base_rate / (1 - truth.base_rate)) - np.median(systematic))
        truth = HiddenTruth(**{**truth.to_dict(), "intercept": intercept})
        logit = intercept + systematic + rng.normal(0.0, truth.noise_sd, len(systematic))
        completed = rng.random(len(logit)) < _sigmoid(logit)
        hired = completed & (rng.random(len(logit)) < _sigmoid(logit + truth.hire_shift))
        row = 0
        for vid, pids, _ in pools:
            for pid in pids:
                outcomes.append(Outcome(vid, pid, bool(completed[row]), bool(hired[row])))
                row += 1
    return District(people, jobs, attributes, outcomes, truth, as_of, seed)


def oracle_scores(table: PairTable, truth: HiddenTruth) -> np.ndarray:
    """Ranking scores of the oracle: the hidden systematic success logit (-inf if ineligible)."""
    out = np.full(len(table.eligible), -np.inf)
    out[table.eligible] = truth.systematic(table.values[table.eligible])
    return out
