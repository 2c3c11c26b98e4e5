"""Precision and recall of skill/occupation normalisation on the labelled phrase set.

Shared by ``tests/data/test_normalisation_quality.py`` and ``benchmarks/normalize.py --quality``
so the test and the printed figures can never disagree about what "correct" means.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import kai_match.data.taxonomy as tx
from kai_match.data.taxonomy import occupations, skills
from kai_match.data.taxonomy.text import clean_query, process

PHRASES = Path(__file__).resolve().parent / "phrases.csv"


@dataclass(frozen=True, slots=True)
class Phrase:
    """One labelled row: what was typed, what it should become (empty: nothing)."""

    text: str
    kind: str  # "skill" | "occupation"
    expected: str
    also_ok: frozenset[str]
    category: str
    note: str

    def is_right(self, answer: str) -> bool:
        return answer == self.expected or answer in self.also_ok


@dataclass(frozen=True, slots=True)
class Answer:
    """The normaliser's best candidate for a phrase (id '' when there is none)."""

    phrase: Phrase
    id: str
    label: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Figures:
    """Counts at one threshold; precision over accepted answers, recall over labelled phrases."""

    accepted: int
    correct: int
    labelled: int
    phrases: int

    @property
    def precision(self) -> float:
        return self.correct / self.accepted if self.accepted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0


def load(path: Path = PHRASES) -> list[Phrase]:
    """The labelled set (see README.md next to it)."""
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Phrase(
                r["phrase"],
                r["kind"],
                r["expected"],
                frozenset(x for x in r["also_ok"].split("|") if x),
                r["category"],
                r["note"],
            )
            for r in csv.DictReader(f)
        ]


def answer(phrase: Phrase) -> Answer:
    """Best candidate regardless of threshold, so one run serves every threshold."""
    search = tx.normalize_skill if phrase.kind == "skill" else tx.normalize_occupation
    hits = search(phrase.text, limit=1)
    if not hits:
        return Answer(phrase, "", "", 0.0)
    return Answer(phrase, hits[0].id, hits[0].label, hits[0].confidence)


def verbatim(phrase: Phrase) -> bool:
    """True when the phrase is (in normal form) a name in the index: a look-up, not a search."""
    index = skills.skill_index() if phrase.kind == "skill" else occupations.occupation_index()
    return process(clean_query(phrase.text)) in _texts(id(index), index.texts)


_TEXTS: dict[int, frozenset[str]] = {}


def _texts(key: int, texts: list[str]) -> frozenset[str]:
    if key not in _TEXTS:
        _TEXTS[key] = frozenset(texts)
    return _TEXTS[key]


def expected_label(phrase: Phrase) -> str:
    """Display label of the expected id ('' for none)."""
    if not phrase.expected:
        return ""
    if phrase.kind == "skill":
        return tx.skill_label(phrase.expected) or phrase.expected
    info = tx.occupation_info(phrase.expected)
    return info.label if info else phrase.expected


def answers(phrases: Iterable[Phrase]) -> list[Answer]:
    return [answer(p) for p in phrases]


def shipped_threshold(kind: str, *, requirement: bool = False) -> float:
    """The threshold in force: profile entries, vacancy requirements, occupations."""
    if kind == "occupation":
        return tx.OCCUPATION_THRESHOLD
    return tx.REQUIREMENT_THRESHOLD if requirement else tx.SKILL_THRESHOLD


def figures(results: Iterable[Answer], threshold: Callable[[Answer], float]) -> Figures:
    """Count accepted / correct answers, each judged against its own threshold."""
    accepted = correct = labelled = n = 0
    for a in results:
        n += 1
        labelled += bool(a.phrase.expected)
        if a.id and a.confidence >= threshold(a):
            accepted += 1
            correct += a.phrase.is_right(a.id)
    return Figures(accepted, correct, labelled, n)


def at_shipped(results: Iterable[Answer], *, requirement: bool = False) -> Figures:
    return figures(results, lambda a: shipped_threshold(a.phrase.kind, requirement=requirement))


def at(results: Iterable[Answer], value: float) -> Figures:
    return figures(results, lambda a: value)


def misses(results: Iterable[Answer], *, requirement: bool = False) -> list[tuple[str, Answer]]:
    """("wrong" | "false positive" | "missed", answer) for every answer that costs a point."""
    out = []
    for a in results:
        accepted = bool(a.id) and a.confidence >= shipped_threshold(
            a.phrase.kind, requirement=requirement
        )
        if accepted and not a.phrase.expected:
            out.append(("false positive", a))
        elif accepted and not a.phrase.is_right(a.id):
            out.append(("wrong", a))
        elif not accepted and a.phrase.expected:
            out.append(("missed", a))
    return out
