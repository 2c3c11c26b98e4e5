"""A running app notices a restore from a backup and ranks what the restored database holds.

A restore takes the change log back below the index's watermark, or, when writes after the
restore reused the ids, puts other rows at it. Both must make the next sync rebuild the index
(``matching/indexes.py``). The app keeps running throughout, as a worker would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kai_match.backup import backup, restore
from tests.builders import make_employer, matching_job, matching_person


@pytest.fixture
def backup_file(database_url: str, tmp_path: Path) -> Path:
    if database_url.startswith("postgresql"):
        missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
        if missing:
            pytest.skip(f"PostgreSQL client tools not on PATH: {', '.join(missing)}")
    return tmp_path / "backup"


def _ranked(client, participant_id: int) -> list[int]:
    response = client.get(f"/api/v1/participants/{participant_id}/matches")
    assert response.status_code == 200, response.text
    return sorted(item["vacancy_id"] for item in response.json()["items"])


def test_a_vacancy_created_after_the_backup_is_not_ranked_after_the_restore(
    client, database_url: str, backup_file: Path, caplog
) -> None:
    employer = make_employer(client)
    person = matching_person(client)
    kept = matching_job(client, employer["id"])
    assert _ranked(client, person["id"]) == [kept["id"]]  # index built
    backup(database_url, backup_file)

    later = matching_job(client, employer["id"])
    assert _ranked(client, person["id"]) == [kept["id"], later["id"]]  # watermark moved on

    restore(database_url, backup_file)

    assert client.get(f"/api/v1/vacancies/{later['id']}").status_code == 404
    assert _ranked(client, person["id"]) == [kept["id"]]


def test_writes_after_the_restore_that_reuse_the_change_ids_still_rebuild(
    client, database_url: str, backup_file: Path
) -> None:
    employer = make_employer(client)
    person = matching_person(client)
    kept = matching_job(client, employer["id"])
    assert _ranked(client, person["id"]) == [kept["id"]]
    backup(database_url, backup_file)
    later = matching_job(client, employer["id"])
    assert _ranked(client, person["id"]) == [kept["id"], later["id"]]

    restore(database_url, backup_file)
    # New writes before the next ranking: they take the ids (vacancy and change log) that
    # the lost vacancy had, so the change log reaches the old watermark again.
    elsewhere = matching_job(client, employer["id"], postal_code="01067")  # Dresden: too far
    extra = matching_job(client, employer["id"])
    assert elsewhere["id"] == later["id"]

    assert _ranked(client, person["id"]) == [kept["id"], extra["id"]]
