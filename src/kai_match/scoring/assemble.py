"""Turn evaluated rows into explained results (components with reasons, failures, flags)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .constants import COMPONENTS, CONSTRAINTS, MODES
from .evaluation import Evaluation
from .profiles import ParticipantProfile, VacancyProfile
from .protocols import RelatedSkills, SkillName
from .reasons import (
    commute_reason,
    language_reason,
    occupation_reason,
    preferences_reason,
    skills_reason,
)
from .results import Component, ConstraintFailure, Flag
from .weights import WeightProfile
from .why_not import constraint_reason, flags


@dataclass(frozen=True)
class PairText:
    """Everything a result item says about one pair."""

    score: float
    components: dict[str, Component]
    failed: tuple[ConstraintFailure, ...]
    flags: tuple[Flag, ...]
    minutes: float
    mode: str | None


def describe(
    p: ParticipantProfile,
    v: VacancyProfile,
    ev: Evaluation,
    i: int,
    profile: WeightProfile,
    *,
    as_of: date,
    lang: str,
    related: RelatedSkills | None,
    skill_name: SkillName | None,
    employer_view: bool,
) -> PairText:
    """Components, failed hard constraints and flags of row `i` of an evaluation."""
    name = skill_name or str
    values = [float(ev.values[k][i]) for k in range(len(COMPONENTS))]
    shares = profile.weight_shares()
    minutes = float(ev.minutes[i])
    mode = int(ev.modes[i])
    b1_ok = bool(np.asarray(ev.b1_ok)[i])
    rule = int(np.asarray(ev.rule)[i])
    reasons = {
        "language": language_reason(p, v, b1_ok, lang),
        "skills": skills_reason(p, v, values[1], related, profile, lang, name),
        "occupation": occupation_reason(p, v, profile, lang),
        "commute": commute_reason(p, v, minutes, mode, lang),
        "preferences": preferences_reason(p, v, as_of, lang),
    }
    components = {
        c: Component(values[k], shares[k], float(ev.contributions[k][i]), reasons[c])
        for k, c in enumerate(COMPONENTS)
    }
    fails = {c: bool(np.asarray(ev.fails[c])[i]) for c in CONSTRAINTS}

    def reason_of(constraint: str) -> str:
        return constraint_reason(
            constraint,
            p,
            v,
            minutes=minutes,
            profile=profile,
            as_of=as_of,
            lang=lang,
            related=related,
            skill_name=name,
            employer_view=employer_view,
            rule=rule,
        )

    failed = tuple(
        ConstraintFailure(c, reason_of(c))
        for c in CONSTRAINTS
        if fails[c] and profile.is_hard(c, v.type)
    )
    pair_flags = flags(
        p,
        v,
        fails,
        b1_ok=b1_ok,
        rule=rule,
        profile=profile,
        as_of=as_of,
        lang=lang,
        reason_of=reason_of,
    )
    return PairText(
        score=float(ev.score[i]),
        components=components,
        failed=failed,
        flags=pair_flags,
        minutes=minutes,
        mode=MODES[mode] if np.isfinite(minutes) and 0 <= mode < len(MODES) else None,
    )
