"""A participant encoded against a VacancyIndex for one ranking: ids, bitmasks and tables.

Components that depend on a few small vacancy keys (language: minimum × tolerance × support;
type × shifts; field) are computed once per query for every key value, with the shared formulas,
and then looked up per row. Skill credit is a table over (skill, required level).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

import numpy as np

from .constants import (
    B1,
    CEFR_INDEX,
    LICENCE_INDEX,
    PERMIT_INDEX,
    PLACEMENT_TYPES,
    RECOGNITION_ALLOWS,
    TYPE_INDEX,
    shift_mask,
)
from .evaluation import permit_table
from .formulas import (
    DAY_NONE_HIGH,
    DAY_NONE_LOW,
    DENY,
    day,
    field_fit,
    level_fit,
    type_fit,
)
from .formulas import language_raw as language_raw_value
from .profiles import ParticipantProfile, RequiredSkill
from .protocols import RelatedSkills
from .schedule import commitment_row
from .vacancy_index import VacancyIndex, isco_parts
from .weights import WeightProfile

_LEVELS = np.arange(1, 5)
_KEYS = np.arange(72)
_LANG_MIN, _LANG_TOL, _LANG_SUPPORT = _KEYS // 12, (_KEYS // 2) % 6, (_KEYS % 2) == 1
_TS_KEYS = np.arange(len(PLACEMENT_TYPES) * 32)


@dataclass
class PersonQuery:
    """A participant encoded against one VacancyIndex and profile (ids, masks, look-up tables)."""

    p: ParticipantProfile
    level: int
    b1_day: int
    earliest: int
    permit_until: int
    deny_bits: int  # placement types (bits) the profile's permit rules deny this person
    rule_by_type: np.ndarray  # (types,) permit rule code (RULE_INDEX) for this person
    licence_bits: int  # licence classes held (bits)
    shifts: int  # shifts the person can work (bits)
    commitments: tuple  # (kind code, days, start, end, from day, until day) per commitment
    language_raw: np.ndarray  # (2, 72) language value before bonus and clipping, by b1 ok / key
    language: np.ndarray  # (2, 72) the same, clipped: the value where no language is wanted
    ts_part: np.ndarray  # (types × 32,) weighted type fit by ts_key (shifts: schedule_fit)
    field_part: np.ndarray  # (1 + fields,) weighted field fit by field id + 1
    lang_levels: np.ndarray  # participant level per index language id (-1 = not spoken)
    occupations: list[tuple[int, int, int, int, float]]
    recognised: list[tuple[int, int]]  # (code, ISCO-4) of qualifications recognised or pending
    wished_types: int  # placement types the person asked for (bits; 0 = none stated)
    credit: np.ndarray  # (skills × 4,): credit for a required skill at level 1..4, at col*4+lvl-1
    covered: np.ndarray  # (skills,): counts as holding the skill for the must-skill check
    credit_cols: np.ndarray  # skill columns with some credit
    covered_cols: np.ndarray  # skill columns that count as held
    similar_cols: frozenset[int]  # skill columns with a held related skill
    skill_vocab: Mapping[str, int]

    def skill_status(self, p: ParticipantProfile, s: RequiredSkill) -> tuple[str, bool]:
        """As `reasons.skill_status`, read from this query's tables (no related() calls)."""
        held = p.skills.get(s.skill_id)
        if held is not None:
            return ("held" if held.level >= s.level_needed else "below"), True
        col = self.skill_vocab.get(s.skill_id)
        if col is None:
            return "missing", False
        return ("related" if col in self.similar_cols else "missing"), bool(self.covered[col])


def _skill_tables(p: ParticipantProfile, ix: VacancyIndex, profile: WeightProfile, related):
    """Credit per (required skill, required level) and must-skill coverage, as look-ups.

    Work is proportional to the participant's skills and their relations, not to the size of
    the skill vocabulary: only touched columns are written into zero-initialised tables.
    """
    reverse = ix.related_reverse(related)
    n_skills = len(ix.skill_vocab)
    prm = profile.params
    credit = np.zeros(n_skills * 4)
    covered = np.zeros(n_skills, dtype=np.bool_)
    held = [
        (ix.skill_vocab[skill_id], prm.skill_source_factors[h.source], h.level)
        for skill_id, h in p.skills.items()
        if skill_id in ix.skill_vocab
    ]
    if not held:
        empty = np.empty(0, dtype=np.int64)
        return credit, covered, empty, empty, frozenset()
    cols = np.array([h[0] for h in held], dtype=np.int64)
    factor = np.array([h[1] for h in held])
    level = np.array([h[2] for h in held])
    per_level = factor[:, None] * level_fit(level[:, None], _LEVELS[None, :], prm)  # (held, 4)
    links = [(i, reverse[c]) for i, c in enumerate(cols.tolist()) if c in reverse]
    if links:
        s_cols = np.concatenate([lk[1][0] for lk in links])
        sims = np.concatenate([lk[1][1] for lk in links])
        owner = np.concatenate([np.full(len(lk[1][0]), lk[0]) for lk in links])
        touched, slot = np.unique(np.concatenate([cols, s_cols]), return_inverse=True)
        rel = np.zeros((len(touched), 4))
        rel_sim = np.zeros(len(touched))
        rel_slot = slot[len(cols) :]
        np.maximum.at(rel, rel_slot, sims[:, None] * per_level[owner])
        np.maximum.at(rel_sim, rel_slot, sims)
    else:
        touched, slot = np.unique(cols, return_inverse=True)
        rel = np.zeros((len(touched), 4))
        rel_sim = np.zeros(len(touched))
    direct = np.zeros((len(touched), 4))
    direct[slot[: len(cols)]] = per_level
    table = np.maximum(direct, np.minimum(prm.related_credit_cap, rel))
    credit.reshape(n_skills, 4)[touched] = table
    is_covered = np.zeros(len(touched), dtype=np.bool_)
    is_covered[slot[: len(cols)]] = True
    if prm.must_skill_accepts_related:
        is_covered |= rel_sim >= prm.must_skill_related_threshold
    covered[touched] = is_covered
    similar = frozenset(touched[rel_sim > 0].tolist())
    return credit, covered, touched[(table > 0).any(axis=1)], touched[is_covered], similar


@lru_cache(maxsize=512)
def _language_table(
    level: int, literate: bool, params: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Language value by [B1 expected in time, lang_key]: unclipped and clipped (read-only)."""
    names = ("language_gap_penalty", "language_over_tolerance_penalty", "b1_expected_factor")
    names += ("language_support_bonus", "literacy_penalty")
    prm = SimpleNamespace(**dict(zip(names, params, strict=True)))
    table = np.stack(
        [
            language_raw_value(level, b1, literate, _LANG_MIN, _LANG_TOL, _LANG_SUPPORT, prm)
            for b1 in (False, True)
        ]
    )
    clipped = np.clip(table, 0.0, 1.0)
    table.flags.writeable = clipped.flags.writeable = False
    return table, clipped


@lru_cache(maxsize=512)
def _type_table(types: int, w_type: float) -> np.ndarray:
    """Weighted type fit by ts_key (shared, read-only)."""
    table = w_type * type_fit(types, _TS_KEYS // 32)
    table.flags.writeable = False
    return table


def person_query(
    p: ParticipantProfile, ix: VacancyIndex, profile: WeightProfile, related: RelatedSkills | None
) -> PersonQuery:
    """Encode a participant once per ranking, including its per-key component tables."""
    prm = profile.params
    level = CEFR_INDEX[p.german_level]
    rules = permit_table(profile)[:, PERMIT_INDEX[p.work_permit]]
    licence_bits = 0
    for cls in p.driving_licences:
        licence_bits |= 1 << LICENCE_INDEX[cls]
    language_raw, language = _language_table(
        level,
        p.latin_literacy,
        (
            prm.language_gap_penalty,
            prm.language_over_tolerance_penalty,
            prm.b1_expected_factor,
            prm.language_support_bonus,
            prm.literacy_penalty,
        ),
    )
    types = 0
    for t in p.placement_types:
        types |= 1 << TYPE_INDEX[t]
    w = prm.preference_weights
    ts_part = _type_table(types, w["type"])
    fv = ix.field_vocab
    wanted = np.zeros(len(fv) + 1, dtype=np.bool_)  # by field id + 1 (0: no field)
    wanted[[fv[f] + 1 for f in p.fields_wanted if f in fv]] = True
    excluded = np.zeros(len(fv) + 1, dtype=np.bool_)
    excluded[[fv[f] + 1 for f in p.fields_excluded if f in fv]] = True
    known = np.ones(len(fv) + 1, dtype=np.bool_)
    known[0] = False  # id 0: a vacancy without a field
    field_part = w["field"] * field_fit(excluded, bool(p.fields_wanted), wanted, prm, known)
    lang_levels = np.full(len(ix.lang_vocab), -1, dtype=np.int8)
    for code, lvl in p.other_languages.items():
        if code in ix.lang_vocab:
            lang_levels[ix.lang_vocab[code]] = CEFR_INDEX[lvl]
    occupations = [
        (
            -1 if occ.code is None else ix.occupation_vocab.get(occ.code, -1),
            *isco_parts(occ.isco_group),
            occ.years,
        )
        for occ in p.occupations
    ]
    recognised = [
        (code, i4)
        for (code, i4, _i3, _i2, _years), occ in zip(occupations, p.occupations, strict=True)
        if occ.recognition in RECOGNITION_ALLOWS
    ]
    credit, covered, credit_cols, covered_cols, similar = _skill_tables(p, ix, profile, related)
    return PersonQuery(
        p=p,
        level=level,
        b1_day=day(p.expected_b1_date, missing=DAY_NONE_HIGH) if level < B1 else DAY_NONE_HIGH,
        earliest=day(p.earliest_start, missing=DAY_NONE_LOW),
        permit_until=day(p.permit_valid_until, missing=DAY_NONE_HIGH),
        deny_bits=sum(1 << t for t in range(len(rules)) if rules[t] == DENY),
        rule_by_type=rules,
        licence_bits=licence_bits,
        shifts=shift_mask(p.shifts),
        commitments=tuple(commitment_row(c) for c in p.commitments),
        language_raw=language_raw,
        language=language,
        ts_part=ts_part,
        field_part=field_part,
        lang_levels=lang_levels,
        occupations=occupations,
        recognised=recognised,
        wished_types=types,
        credit=credit,
        covered=covered,
        credit_cols=credit_cols,
        covered_cols=covered_cols,
        similar_cols=similar,
        skill_vocab=ix.skill_vocab,
    )
