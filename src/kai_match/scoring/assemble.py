"""Turn evaluated rows into explained results (components with reasons, failures, flags).

Reason texts are built only for the returned page; within one ranking, the status of a
required skill for a participant is worked out once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from .constants import CONSTRAINTS, MODES
from .evaluation import Evaluation
from .profiles import ParticipantProfile, RequiredSkill, VacancyProfile
from .protocols import RelatedSkills, SkillName
from .reasons import (
    commute_reason,
    language_reason,
    occupation_reason,
    preferences_reason,
    skill_status,
    skills_reason,
)
from .results import Component, ConstraintFailure, Flag
from .weights import WeightProfile
from .why_not import constraint_reason, flags

_NO_FAILS = dict.fromkeys(CONSTRAINTS, False)


@dataclass(slots=True)
class PairText:
    """Everything a result item says about one pair."""

    score: float
    components: dict[str, Component]
    failed: tuple[ConstraintFailure, ...]
    flags: tuple[Flag, ...]
    minutes: float
    mode: str | None


class _MemoRelated:
    """`related` with answers kept for the duration of one ranking."""

    def __init__(self, related: RelatedSkills) -> None:
        self._related = related
        self._seen: dict[str, Mapping[str, float]] = {}

    def __call__(self, skill_id: str) -> Mapping[str, float]:
        found = self._seen.get(skill_id)
        if found is None:
            found = self._seen[skill_id] = self._related(skill_id)
        return found


class Describer:
    """Builds the explained items of one ranking or explanation."""

    def __init__(
        self,
        profile: WeightProfile,
        *,
        as_of: date,
        lang: str,
        related: RelatedSkills | None,
        skill_name: SkillName | None,
        employer_view: bool,
        skill_status: Callable[[ParticipantProfile, RequiredSkill], tuple[str, bool]] | None = None,
    ) -> None:
        self.profile = profile
        self._status_hint = skill_status
        self.as_of = as_of
        self.lang = lang
        self.related = _MemoRelated(related) if related is not None else None
        self.name = skill_name or str
        self.employer_view = employer_view
        self.shares = profile.weight_shares()
        self._status: dict[tuple, tuple[str, bool]] = {}

    def _skill_status(self, p: ParticipantProfile, s: RequiredSkill) -> tuple[str, bool]:
        if self._status_hint is not None:
            return self._status_hint(p, s)
        key = (p.id, s.skill_id, s.level)
        found = self._status.get(key)
        if found is None:
            found = self._status[key] = skill_status(p, s, self.related, self.profile)
        return found

    def page(
        self, ev: Evaluation, pairs: list[tuple[ParticipantProfile, VacancyProfile]]
    ) -> list[PairText]:
        """Texts for every row of an evaluation; `pairs[i]` are the profiles of row i."""
        values = [v.tolist() for v in ev.values]
        contributions = [c.tolist() for c in ev.contributions]
        scores = ev.score.tolist()
        minutes = ev.minutes.tolist()
        modes = ev.modes.tolist()
        b1 = np.asarray(ev.b1_ok).tolist()
        rules = np.asarray(ev.rule).tolist()
        fails = {c: np.asarray(ev.fails[c]).tolist() for c in CONSTRAINTS}
        any_fail = np.logical_or.reduce([np.asarray(ev.fails[c]) for c in CONSTRAINTS]).tolist()
        values_by_row = list(zip(*values, strict=True))
        contributions_by_row = list(zip(*contributions, strict=True))
        out = []
        for i, (p, v) in enumerate(pairs):
            row_fails = {c: fails[c][i] for c in CONSTRAINTS} if any_fail[i] else _NO_FAILS
            out.append(
                self._pair(
                    p,
                    v,
                    values_by_row[i],
                    contributions_by_row[i],
                    scores[i],
                    minutes[i],
                    modes[i],
                    b1[i],
                    rules[i],
                    row_fails,
                )
            )
        return out

    def _pair(self, p, v, values, contributions, score, minutes, mode, b1_ok, rule, fails):
        lang, prm, shares = self.lang, self.profile, self.shares
        skills = skills_reason(
            p, v, values[1], self.related, prm, lang, self.name, self._skill_status
        )
        components = {
            "language": Component(
                values[0], shares[0], contributions[0], language_reason(p, v, b1_ok, lang)
            ),
            "skills": Component(values[1], shares[1], contributions[1], skills),
            "occupation": Component(
                values[2], shares[2], contributions[2], occupation_reason(p, v, prm, lang)
            ),
            "commute": Component(
                values[3], shares[3], contributions[3], commute_reason(p, v, minutes, mode, lang)
            ),
            "preferences": Component(
                values[4],
                shares[4],
                contributions[4],
                preferences_reason(p, v, self.as_of, lang),
            ),
        }

        def reason_of(constraint: str) -> str:
            return constraint_reason(
                constraint,
                p,
                v,
                minutes=minutes,
                profile=prm,
                as_of=self.as_of,
                lang=lang,
                related=self.related,
                skill_name=self.name,
                employer_view=self.employer_view,
                rule=rule,
            )

        failed: tuple[ConstraintFailure, ...] = ()
        if any(fails.values()):
            hard = prm.hard_constraints[v.type]
            failed = tuple(
                ConstraintFailure(c, reason_of(c)) for c in CONSTRAINTS if fails[c] and c in hard
            )
        pair_flags = flags(
            p,
            v,
            fails,
            b1_ok=b1_ok,
            rule=rule,
            profile=prm,
            as_of=self.as_of,
            lang=lang,
            reason_of=reason_of,
        )
        return PairText(
            score=score,
            components=components,
            failed=failed,
            flags=pair_flags,
            minutes=minutes,
            mode=MODES[mode] if minutes < float("inf") and 0 <= mode < len(MODES) else None,
        )
