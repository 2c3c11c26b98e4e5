"""Turn evaluated rows into explained results (components with reasons, failures, flags).

Reason texts are built only for the returned page; within one ranking, the status of a
required skill for a participant is worked out once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .components import REGISTRY, PairFacts
from .constants import CONSTRAINTS, MODES
from .context import RankingContext
from .evaluation import Evaluation
from .profiles import ParticipantProfile, RequiredSkill, VacancyProfile
from .protocols import RelatedSkills
from .reasons import skill_status as plain_skill_status
from .results import Component, ConstraintFailure, Flag
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
    """Builds the explained items of one ranking or explanation (a components.TextContext)."""

    def __init__(
        self,
        context: RankingContext,
        *,
        skill_status: Callable[[ParticipantProfile, RequiredSkill], tuple[str, bool]] | None = None,
    ) -> None:
        self.profile = context.profile
        self._status_hint = skill_status
        self.as_of = context.as_of
        self.lang = context.lang
        self.related = _MemoRelated(context.related) if context.related is not None else None
        self.skill_name = context.skill_name or str
        self._field_name = context.field_name
        self._group_name = context.group_name
        self.employer_view = context.employer_view
        self.restricted_texts = context.restricted_texts
        self.shares = context.profile.shares
        self._status: dict[tuple, tuple[str, bool]] = {}

    def field_name(self, field: str) -> str:
        """The label of an occupational field in the reasons' language (else its code)."""
        return field if self._field_name is None else self._field_name(field, self.lang)

    def group_name(self, group: str) -> str | None:
        """The title of an ISCO-08 group in the reasons' language, if known."""
        return None if self._group_name is None else self._group_name(group, self.lang)

    def skill_status(self, p: ParticipantProfile, s: RequiredSkill) -> tuple[str, bool]:
        """As `reasons.skill_status`, worked out once per ranking (or read from the query)."""
        if self._status_hint is not None:
            return self._status_hint(p, s)
        key = (p.id, s.skill_id, s.level)
        found = self._status.get(key)
        if found is None:
            found = self._status[key] = plain_skill_status(p, s, self.related, self.profile)
        return found

    def page(
        self, ev: Evaluation, pairs: list[tuple[ParticipantProfile, VacancyProfile]]
    ) -> list[PairText]:
        """Texts for every row of an evaluation; `pairs[i]` are the profiles of row i."""
        # Per component: name, reason, the values and contributions of every row, its share.
        columns = [
            (
                c.name,
                c.reason,
                ev.values[c.name].tolist(),
                ev.contributions[c.name].tolist(),
                self.shares[c.name],
            )
            for c in REGISTRY
        ]
        scores = ev.score.tolist()
        minutes = ev.minutes.tolist()
        modes = ev.modes.tolist()
        b1 = np.asarray(ev.b1_ok).tolist()
        rules = np.asarray(ev.rule).tolist()
        fails = {c: np.asarray(ev.fails[c]).tolist() for c in CONSTRAINTS}
        any_fail = np.logical_or.reduce([np.asarray(ev.fails[c]) for c in CONSTRAINTS]).tolist()
        out = []
        for i, (p, v) in enumerate(pairs):
            facts = PairFacts(p, v, b1_ok=b1[i], minutes=minutes[i], mode=modes[i])
            row_fails = {c: fails[c][i] for c in CONSTRAINTS} if any_fail[i] else _NO_FAILS
            components = {
                name: Component(values[i], share, points[i], reason(self, facts, values[i]))
                for name, reason, values, points, share in columns
            }
            out.append(self._pair(facts, components, scores[i], rules[i], row_fails))
        return out

    def _pair(
        self,
        pair: PairFacts,
        components: dict[str, Component],
        score: float,
        rule: int,
        fails: Mapping[str, bool],
    ) -> PairText:
        p, v, minutes, mode = pair.p, pair.v, pair.minutes, pair.mode
        lang, prm = self.lang, self.profile

        def reason_of(constraint: str) -> str:
            return constraint_reason(
                constraint,
                p,
                v,
                minutes=minutes,
                mode=mode,
                profile=prm,
                as_of=self.as_of,
                lang=lang,
                related=self.related,
                skill_name=self.skill_name,
                employer_view=self.employer_view,
                restricted=self.restricted_texts,
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
            b1_ok=pair.b1_ok,
            rule=rule,
            profile=prm,
            as_of=self.as_of,
            lang=lang,
            reason_of=reason_of,
            skill_name=self.skill_name,
            restricted=self.restricted_texts,
            employer_view=self.employer_view,
        )
        return PairText(
            score=score,
            components=components,
            failed=failed,
            flags=pair_flags,
            minutes=minutes,
            mode=MODES[mode] if minutes < float("inf") and 0 <= mode < len(MODES) else None,
        )
