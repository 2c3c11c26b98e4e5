"""A fresh index build that races a write still ends in step with the database.

A transaction holding a lower change id may commit after a newer one: the build must note the
missing id as in flight (a gap), so the sync after the commit reloads that record. PostgreSQL
only: SQLite's write lock serialises the build and the write.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session

from kai_match.matching.indexes import MatchingIndexes
from kai_match.models import ChangeLog
from tests.builders import make_employer, matching_job


@pytest.mark.postgres
def test_a_vacancy_closed_by_a_late_commit_leaves_the_index(client, engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises the build and the write")
    employer = make_employer(client)
    closing = matching_job(client, employer["id"])

    with Session(engine) as writer:
        # A write in flight: it has its change id but has not committed yet.
        writer.execute(
            text("UPDATE vacancy SET status = 'closed' WHERE id = :id"), {"id": closing["id"]}
        )
        writer.add(ChangeLog(entity="vacancy", entity_id=closing["id"]))
        writer.flush()
        # A later write commits first and gets the newer change id.
        later = matching_job(client, employer["id"])

        indexes = MatchingIndexes()
        with Session(engine) as reader:
            indexes.sync(reader)
        assert closing["id"] in indexes.vacancies  # still open in what the build could see
        assert later["id"] in indexes.vacancies
        writer.commit()

    with Session(engine) as reader:
        indexes.sync(reader)
    assert closing["id"] not in indexes.vacancies
    assert later["id"] in indexes.vacancies
    assert not indexes.gaps  # the in-flight id showed up and was applied
