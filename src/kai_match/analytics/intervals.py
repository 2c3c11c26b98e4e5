"""Confidence intervals for the programme's rates: few people per site, so say how sure we are.

A site places a handful of people a year; "2 of 3 trials led to a job" is not 67 % in any sense
a funder should plan with. Proportions get the Wilson score interval (good coverage for small
n, never outside 0–1); a count per person (trials per participant) gets Byar's approximation of
the exact Poisson interval. Both are closed forms over the normal quantile, so no statistics
package is needed at run time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

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


def _z(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def proportion(successes: int, trials: int, confidence: float = CONFIDENCE) -> Estimate | None:
    """Wilson score interval of ``successes / trials``; None without trials."""
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must lie between 0 and {trials}, got {successes}")
    z = _z(confidence)
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials**2))
    return Estimate(successes, trials, p, max(0.0, centre - half), min(1.0, centre + half))


def per_person(events: int, people: int, confidence: float = CONFIDENCE) -> Estimate | None:
    """Events per person with Byar's approximate Poisson interval on the count; None for nobody."""
    if people <= 0:
        return None
    if events < 0:
        raise ValueError(f"events must not be negative, got {events}")
    z = _z(confidence)
    low = 0.0
    if events > 0:
        low = events * (1 - 1 / (9 * events) - z / (3 * math.sqrt(events))) ** 3
    upper = events + 1
    high = upper * (1 - 1 / (9 * upper) + z / (3 * math.sqrt(upper))) ** 3
    return Estimate(events, people, events / people, low / people, high / people)
