"""language: German level against the vacancy's minimum and tolerance (docs/scoring.md).

An expected B1 by the start, language support at work, literacy and wanted other languages
adjust the value. Vacancies for a participant read the query's per-key tables.
"""

from __future__ import annotations

import numpy as np

from ..formulas import language_value
from ..reasons import language_reason
from .base import PairFacts, ParticipantRows, ScoringComponent, TextContext, VacancyRows


def vacancy_values(r: VacancyRows) -> np.ndarray:
    """Table look-up by (B1 expected, lang_key), plus the wanted-languages bonus where asked."""
    c, rows, q, prm = r.ix.cols, r.rows, r.q, r.params
    value = q.language[np.asarray(r.b1_ok, dtype=np.intp), c["lang_key"][rows]]
    if len(q.lang_levels):
        n_langs = c["n_langs"][rows]
        sub = np.flatnonzero(n_langs)
        if len(sub):
            # Language entries are stored in row order: find each row's run of entries.
            e = r.ix.entries["langs"]
            lengths = n_langs[sub].astype(np.int64)
            starts = np.searchsorted(e["row"], rows[sub])
            pos = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(
                lengths.sum()
            )
            met = q.lang_levels[e["code"][pos]] >= e["level"][pos]
            owner = np.repeat(np.arange(len(sub)), lengths)
            frac = np.zeros(len(rows))
            frac[sub] = np.bincount(owner, weights=met, minlength=len(sub)) / lengths
            unclipped = q.language_raw[np.asarray(r.b1_ok, dtype=np.intp), c["lang_key"][rows]]
            value = np.clip(unclipped + prm.languages_wanted_bonus * frac, 0.0, 1.0)
    return value


def participant_values(r: ParticipantRows) -> np.ndarray:
    """The language formula over the participants' levels and spoken wanted languages."""
    c, rows, q = r.ix.cols, r.rows, r.q
    m = len(rows)
    langs_frac = np.zeros(m)
    if q.langs:
        e = r.ix.entries["langs"]
        at = r.positions[e["row"]]
        met = np.zeros(m)
        for code, level in q.langs:
            hit = (at >= 0) & (e["code"] == code) & (e["level"] >= level)
            met += np.bincount(at[hit], minlength=m)
        langs_frac = met / len(q.langs)
    return language_value(
        c["level"][rows],
        r.b1_ok,
        c["literate"][rows],
        q.min_level,
        q.v.german_tolerance,
        q.v.employer_offers_language_support,
        langs_frac,
        r.params,
    )


def reason(text: TextContext, pair: PairFacts, value: float) -> str:
    """Levels, tolerance, expected B1, support and wanted languages in words."""
    return language_reason(pair.p, pair.v, pair.b1_ok, text.lang, restricted=text.restricted_texts)


COMPONENT = ScoringComponent(
    name="language",
    vacancy_values=vacancy_values,
    participant_values=participant_values,
    reason=reason,
)
