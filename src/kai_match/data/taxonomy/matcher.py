"""Fuzzy + TF-IDF name index: the one search engine behind skill and occupation normalisation.

Why two signals: rapidfuzz's ``WRatio`` is good at typos and at a known term inside a longer
phrase ("ich kann Gabelstapler fahren"), but it happily scores random letters against short
names; character n-gram TF-IDF (``char_wb``, 2–4) rewards shared word pieces and punishes
gibberish. A name's score is ``weight × (0.65·fuzzy + 0.35·tfidf)``; names that are only there
for recall (long English label lists) use ``weight × tfidf``. The weight ranks sources: curated
labels above ESCO German labels above English ones. An owner's confidence is its best name.

Speed: rapidfuzz scans only the names flagged ``scan`` (the short, curated and German ones);
every other name is reached through the TF-IDF top hits, which are then re-scored with
``WRatio``. Queries are vectorised with a small fast path equal to ``TfidfVectorizer.transform``
(a test pins the equality), because the generic transform costs more than the whole search.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from scipy import sparse

from .text import clean_query, names_nothing
from .text import process as normal_form

FUZZY_SHARE = 0.65
TOP_TFIDF = 30
TOP_FUZZY = 10
MIN_FUZZY_LEN = 4
# A query found only inside a longer word of a name is that compound's head, and the compound
# names something narrower ("Reinigung" in "Industriereinigung"): no partial-match credit then.
NARROWER_NAME = 1.5


@dataclass(frozen=True, slots=True)
class Name:
    """One searchable string: its text, whom it names, the source weight, and whether to scan it."""

    text: str
    owner: str
    weight: float
    scan: bool = True


class NameIndex:
    """Searchable names of one taxonomy (skills or occupations)."""

    def __init__(self, names: list[Name]) -> None:
        best: dict[tuple[str, str], Name] = {}
        for n in names:
            key = (normal_form(n.text), n.owner)
            if not key[0]:
                continue
            old = best.get(key)
            if old is None or (n.weight, n.scan) > (old.weight, old.scan):
                best[key] = n
        keys = sorted(best)
        self.texts = [k[0] for k in keys]
        self.owners = [k[1] for k in keys]
        self.weights = np.array([best[k].weight for k in keys], dtype=np.float64)
        self.scan = np.array([best[k].scan for k in keys], dtype=bool)
        self.scan_ids = np.flatnonzero(self.scan)
        self.scan_texts = [self.texts[i] for i in self.scan_ids]

        from sklearn.feature_extraction.text import TfidfVectorizer  # heavy: import on first use

        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, max_df=0.2, dtype=np.float32
        )
        matrix = self.vectorizer.fit_transform(self.texts)
        self.by_feature = matrix.T.tocsr()  # feature -> names, for a fast q·Xᵀ
        self._analyzer = self.vectorizer.build_analyzer()
        self._vocabulary = self.vectorizer.vocabulary_
        self._idf = self.vectorizer.idf_

    def __len__(self) -> int:
        return len(self.texts)

    def query_vector(self, processed: str) -> sparse.csr_matrix:
        """TF-IDF vector of an already processed query (same result as ``transform``)."""
        from scipy import sparse

        counts = Counter(self._analyzer(processed))
        pairs = sorted(
            (self._vocabulary[g], (1.0 + math.log(c)) * self._idf[self._vocabulary[g]])
            for g, c in counts.items()
            if g in self._vocabulary
        )
        n_features = len(self._vocabulary)
        if not pairs:
            return sparse.csr_matrix((1, n_features), dtype=np.float32)
        cols = np.array([p[0] for p in pairs], dtype=np.int32)
        vals = np.array([p[1] for p in pairs], dtype=np.float64)
        vals /= np.linalg.norm(vals)
        return sparse.csr_matrix(
            (vals.astype(np.float32), cols, np.array([0, len(cols)])), shape=(1, n_features)
        )

    def search(self, text: str, limit: int) -> list[tuple[str, float]]:
        """Best owners for ``text`` as (owner, confidence), confidence desc then owner asc."""
        query = normal_form(clean_query(text))
        if not query or limit <= 0 or names_nothing(query):
            return []
        sims = (self.query_vector(query) @ self.by_feature).toarray().ravel()
        k = min(TOP_TFIDF, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        cands = {int(i) for i in top if sims[i] > 0}
        # whole-string typos ("Gabelstabler") that share few n-grams: a cheap ratio scan
        for _, _, pos in process.extract(
            query,
            self.scan_texts,
            scorer=fuzz.ratio,
            processor=None,
            limit=TOP_FUZZY,
            score_cutoff=70,
        ):
            cands.add(int(self.scan_ids[pos]))
        fuzzy = {i: _fuzzy(query, self.texts[i]) for i in cands if self.scan[i]}

        best: dict[str, float] = {}
        for i in cands:
            if self.scan[i]:
                raw = FUZZY_SHARE * fuzzy.get(i, 0.0) + (1 - FUZZY_SHARE) * float(sims[i])
            else:
                raw = float(sims[i])
            score = round(min(1.0, raw * float(self.weights[i])), 4)
            owner = self.owners[i]
            if score > best.get(owner, -1.0):
                best[owner] = score
        ranked = sorted(best.items(), key=lambda x: (-x[1], x[0]))
        return ranked[:limit]


def _fuzzy(query: str, name: str) -> float:
    """WRatio in [0, 1]; very short names ("R", "C#") only count when they equal the query.

    No partial-match credit when the query is only part of a longer word of the name.
    """
    if len(name) < MIN_FUZZY_LEN:
        return 1.0 if name == query else 0.0
    if len(name) > NARROWER_NAME * len(query) and not set(query.split()) <= set(name.split()):
        whole = max(fuzz.ratio(query, name), fuzz.token_sort_ratio(query, name, processor=None))
        return whole / 100.0
    return fuzz.WRatio(query, name, processor=None) / 100.0
