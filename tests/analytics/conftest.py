"""One small simulated district per test session (simulating is the slow part)."""

from __future__ import annotations

import pytest

from kai_match.analytics import District, PairTable, build_pairs, simulate
from kai_match.data.geo import CommuteEstimator
from kai_match.data.taxonomy import related_skills
from kai_match.scoring import DEFAULT_PROFILE


@pytest.fixture(scope="session")
def district() -> District:
    return simulate(participants=250, vacancies=120, seed=11)


@pytest.fixture(scope="session")
def table(district: District) -> PairTable:
    return build_pairs(
        district.participants,
        district.vacancies,
        district.outcomes,
        DEFAULT_PROFILE,
        commute=CommuteEstimator(),
        related=related_skills,
        as_of=district.as_of,
    )
