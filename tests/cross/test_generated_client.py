"""A client generated from the live OpenAPI works as an integrator's would (issue 19, item 6).

openapi-python-client turns ``/openapi.json`` into a package in a temporary directory (no
network); the test imports it and talks to the app in uvicorn over real HTTP with a bearer key:
create an employer and a vacancy, a participant who fits, rank, and two errors that must parse
into the generated ``Problem`` model (``parsed`` is ``None`` when the schema declares the
error under another media type than the server sends).
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from types import ModuleType
from typing import Any

import pytest

from kai_match.config import Settings
from kai_match.main import create_app
from tests.builders import PICKING, employer_body, participant_body, vacancy_body
from tests.conftest import ADMIN_KEY
from tests.live_server import serve

pytest.importorskip(
    "openapi_python_client", reason="openapi-python-client (dev extra) is not installed"
)

PACKAGE = "kai_match_generated_client"
TODAY = date.today()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The generated package, imported from a temporary directory."""
    root = tmp_path_factory.mktemp("generated")
    schema = root / "schema.json"
    document = create_app(Settings(database_url="sqlite://", auto_migrate=False)).openapi()
    schema.write_text(json.dumps(document))
    config = root / "config.yml"
    config.write_text("post_hooks: []\n")  # no formatter run on the generated code
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(schema)]
    command += ["--output-path", str(root / PACKAGE), "--meta", "none", "--config", str(config)]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture
def base_url(settings: Settings) -> Iterator[str]:
    server, thread, url = serve(create_app(settings))
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _module(package: ModuleType, name: str) -> Any:
    return importlib.import_module(f"{package.__name__}.{name}")


def test_create_rank_and_errors_through_the_generated_client(generated, base_url):
    api = lambda name: _module(generated, f"api.{name}")  # noqa: E731
    models = _module(generated, "models")
    client = generated.AuthenticatedClient(base_url=base_url, token=ADMIN_KEY)

    employer = api("employers.employers_create").sync_detailed(
        client=client, body=models.EmployerCreate.from_dict(employer_body(name="Logistik GmbH"))
    )
    assert employer.status_code == 201, employer.content
    assert employer.headers["Location"] == f"/api/v1/employers/{employer.parsed.id}"

    job = vacancy_body(
        employer_id=employer.parsed.id,
        occupation=None,
        skills=[{"skill_id": PICKING, "importance": "must", "level": 2}],
        min_german_level="B1",
        postal_code="04552",
        shifts=["day"],
        start_date=(TODAY + timedelta(days=60)).isoformat(),
        valid_through=(TODAY + timedelta(days=120)).isoformat(),
    )
    vacancy = api("vacancies.vacancies_create").sync_detailed(
        client=client, body=models.VacancyCreate.from_dict(job)
    )
    assert vacancy.status_code == 201, vacancy.content
    assert isinstance(vacancy.parsed, models.VacancyPublic)
    assert vacancy.headers["ETag"]

    person = participant_body(
        site="grimma",
        german_level="B1",
        expected_b1_date=None,
        home_postal_code="04552",
        skills=[{"skill_id": PICKING, "level": 3, "source": "assessed"}],
        occupations=[],
        mobility={"has_car": True, "driving_licences": ["B"], "max_commute_minutes": 60},
        availability={"earliest_start": TODAY.isoformat(), "hours_per_week": 40},
        work_permit={"status": "permitted", "valid_until": (TODAY + timedelta(900)).isoformat()},
        consent={"processing": True, "share_with_employers": True},
    )
    participant = api("participants.participants_create").sync(
        client=client, body=models.ParticipantCreate.from_dict(person)
    )
    assert isinstance(participant, models.ParticipantPublic), participant

    ranking = api("matching.vacancies_matches").sync(
        client=client, vacancy_id=vacancy.parsed.id, limit=5
    )
    assert isinstance(ranking, models.RankingOut), ranking
    assert [(i.rank, i.participant_id) for i in ranking.items] == [(1, participant.id)]

    # An unknown postal code: the service's own rule, a 422 that names the field.
    invalid = api("vacancies.vacancies_create").sync_detailed(
        client=client, body=models.VacancyCreate.from_dict(job | {"postal_code": "00000"})
    )
    assert invalid.status_code == 422
    problem = invalid.parsed
    assert isinstance(problem, models.Problem), invalid.content
    assert (problem.status, problem.type_) == (422, "/problems/validation-error")
    assert [e.field for e in problem.errors] == ["postal_code"]
    # The type resolves (relative to the service) to what it means.
    meaning = client.get_httpx_client().get(problem.type_)
    assert meaning.status_code == 200
    assert meaning.json()["title"] == problem.title == "Unprocessable Content"

    # One rule for page sizes: above the maximum is a 422 naming `limit` and the maximum.
    too_many = api("matching.vacancies_matches").sync_detailed(
        client=client, vacancy_id=vacancy.parsed.id, limit=101
    )
    assert too_many.status_code == 422
    assert isinstance(too_many.parsed, models.Problem), too_many.content
    assert [(e.field, e.message) for e in too_many.parsed.errors] == [
        ("limit", "must be at most 100")
    ]
