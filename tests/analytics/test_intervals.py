"""Intervals of the programme rates against published reference values."""

from __future__ import annotations

import pytest

from kai_match.analytics.intervals import per_person, proportion


def test_wilson_interval_matches_the_reference_values() -> None:
    half = proportion(5, 10)
    assert half is not None
    assert (half.value, round(half.low, 4), round(half.high, 4)) == (0.5, 0.2366, 0.7634)
    none = proportion(0, 4)  # upper bound z²/(n + z²)
    assert none is not None and none.low == 0.0 and round(none.high, 4) == 0.4899
    every = proportion(4, 4)
    assert every is not None and every.high == 1.0 and round(every.low, 4) == 0.5101


def test_poisson_interval_matches_the_exact_garwood_limits() -> None:
    # Published exact 95 % limits for a count of 10: 4.7954 and 18.3904; of 0: 0 and 3.6889.
    ten = per_person(10, 20)
    assert ten is not None and ten.value == 0.5
    assert (round(ten.low * 20, 4), round(ten.high * 20, 4)) == (4.7954, 18.3904)
    zero = per_person(0, 5)
    assert zero is not None and zero.low == 0.0 and round(zero.high * 5, 4) == 3.6889


def test_nobody_gives_no_rate_and_impossible_counts_are_refused() -> None:
    assert proportion(0, 0) is None and per_person(3, 0) is None
    with pytest.raises(ValueError, match="between 0 and 3"):
        proportion(4, 3)
    with pytest.raises(ValueError, match="negative"):
        per_person(-1, 3)
