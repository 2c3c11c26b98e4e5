"""Analyst toolkit: simulate a district, evaluate and learn weights, check fairness, assign.

Pure like the engine it builds on: imports `kai_match.scoring` and `kai_match.data`, never the
API, services or table models, so every part runs on plain data (see docs/analysts.md).
"""

from .assign import Assignment, greedy_assignment, lp_bound, optimal_assignment
from .district import ProtectedAttributes
from .evaluate import (
    Comparison,
    Mover,
    ProfileEvaluation,
    compare_scores,
    evaluate_outcomes,
    evaluate_scores,
)
from .fairness import FOUR_FIFTHS, MIN_CELL, GroupFigures, fairness_report
from .learn import FitResult, fit_weights
from .metrics import METRICS, Interval
from .pairs import Outcome, PairTable, build_pairs, same_components
from .records import read_district, write_district
from .simulate import AS_OF, District, HiddenTruth, oracle_scores, simulate

__all__ = [
    "AS_OF",
    "FOUR_FIFTHS",
    "METRICS",
    "MIN_CELL",
    "Assignment",
    "Comparison",
    "District",
    "FitResult",
    "GroupFigures",
    "HiddenTruth",
    "Interval",
    "Mover",
    "Outcome",
    "PairTable",
    "ProfileEvaluation",
    "ProtectedAttributes",
    "build_pairs",
    "compare_scores",
    "evaluate_outcomes",
    "evaluate_scores",
    "fairness_report",
    "fit_weights",
    "greedy_assignment",
    "lp_bound",
    "optimal_assignment",
    "oracle_scores",
    "read_district",
    "same_components",
    "simulate",
    "write_district",
]
