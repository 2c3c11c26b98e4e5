"""Protected attributes are never scoring inputs: changing only them never changes a score.

Scoring profiles have no such fields; these properties show it end to end. Two stored
participants that differ only in personal data (birth date → age band, names → suggested
origin) or counselling site become the same engine profile through the service conversion,
so every score is the same; and relabelling the simulator's attributes changes no score.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine, select

from kai_match.analytics import District, PairTable, fairness_report
from kai_match.data.geo import CommuteEstimator
from kai_match.data.taxonomy import related_skills
from kai_match.matching.inputs import participant_profiles
from kai_match.models import Participant, metadata
from kai_match.models.participant import ParticipantCreate
from kai_match.participants.service import create_participant
from kai_match.scoring import DEFAULT_PROFILE, RankingContext, explain
from tests.builders import participant_body

names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnoöäüß -", min_size=1, max_size=30)
personal = st.fixed_dictionaries(
    {
        "first_name": names.filter(str.strip),
        "last_name": names.filter(str.strip),
        "birth_date": st.dates(date(1960, 1, 1), date(2007, 1, 1)),
        "site": st.sampled_from(["borna", "grimma", "markkleeberg", "wurzen"]),
    }
)


@pytest.fixture(scope="module")
def db_engine():
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(a=personal, b=personal)
def test_service_conversion_ignores_personal_data(db_engine, district: District, a, b) -> None:
    with Session(db_engine, expire_on_commit=False) as session:
        ids = []
        for extra in (a, b):
            body = participant_body(**{**extra, "birth_date": extra["birth_date"].isoformat()})
            ids.append(create_participant(session=session, data=ParticipantCreate(**body)).id)
        rows = list(session.exec(select(Participant).where(Participant.id.in_(ids))))
        first, second = participant_profiles(session, sorted(rows, key=lambda r: r.id))
    assert dataclasses.replace(second, id=first.id) == first
    vacancy = district.vacancies[0]
    scores = [
        explain(
            p,
            vacancy,
            RankingContext(
                commute=CommuteEstimator(), as_of=district.as_of, related=related_skills
            ),
        ).score
        for p in (first, second)
    ]
    assert scores[0] == scores[1]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1))
def test_relabelled_attributes_change_no_score(district: District, table: PairTable, seed) -> None:
    rng = np.random.default_rng(seed)
    relabelled = {
        a.participant_id: {
            "gender": str(rng.choice(["female", "male"])),
            "age_band": str(rng.choice(["18–24", "25–34", "55+"])),
            "nationality_group": str(rng.choice(["a", "b", "c"])),
            "site": a.site,
        }
        for a in district.attributes
    }
    scores = table.scores(DEFAULT_PROFILE.weights)
    # The engine's inputs do not carry the attributes, so the scores are those of the table;
    # only the grouping of the fairness report changes.
    report = fairness_report(table, scores, relabelled, ["gender"], k=5)
    assert sum(f.candidates or 0 for f in report) <= len(scores)
    assert np.array_equal(table.scores(DEFAULT_PROFILE.weights), scores)
