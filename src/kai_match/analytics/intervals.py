"""Confidence intervals for the programme's rates: few people per site, so say how sure we are.

A site places a handful of people a year; "2 of 3 trials led to a job" is not 67 % in any sense
a funder should plan with. Proportions get the Wilson score interval (good coverage for small
n, never outside 0–1); a count per person (trials per participant) gets the exact (Garwood)
Poisson interval on the count. Both come from scipy.stats.
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy.stats import binomtest, chi2

__all__ = ["Estimate", "per_person", "proportion"]

CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class Estimate:
    """A rate with its interval; ``numerator`` events over ``denominator`` people or trials."""

    numerator: int
    denominator: int
    value: float
    low: float
    high: float

    def as_tuple(self) -> tuple[float, float, float]:
        return self.value, self.low, self.high


def proportion(successes: int, trials: int, confidence: float = CONFIDENCE) -> Estimate | None:
    """Wilson score interval of ``successes / trials``; None without trials."""
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must lie between 0 and {trials}, got {successes}")
    interval = binomtest(successes, trials).proportion_ci(confidence, method="wilson")
    return Estimate(successes, trials, successes / trials, interval.low, interval.high)


def per_person(events: int, people: int, confidence: float = CONFIDENCE) -> Estimate | None:
    """Events per person with the exact Poisson interval on the count; None for nobody."""
    if people <= 0:
        return None
    if events < 0:
        raise ValueError(f"events must not be negative, got {events}")
    tail = (1 - confidence) / 2
    low = chi2.ppf(tail, 2 * events) / 2 if events > 0 else 0.0
    high = chi2.ppf(1 - tail, 2 * events + 2) / 2
    return Estimate(events, people, events / people, float(low) / people, float(high) / people)
