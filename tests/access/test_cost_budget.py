"""Cost budgets: expensive operations pay units per minute per key, beside the request limit."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kai_match.access.authentication import RateLimiter
from kai_match.access.budget import EXPENSES, check_bounds, cost_of
from kai_match.config import Settings
from kai_match.errors import InvalidInput, TooManyRequests
from kai_match.kit.principal import Principal
from kai_match.main import create_app
from kai_match.models.api_key import Role
from tests.builders import bearer, make_key
from tests.conftest import ADMIN_KEY

# 10 texts of 13 characters: ⌈10 / 2 + 130 / 150⌉ = 6 units.
TEXTS = {"kind": "skill", "texts": ["Staplerschein"] * 10, "limit": 1}


def _app_client(settings: Settings, **changes) -> TestClient:
    client = TestClient(
        create_app(settings.model_copy(update=changes)), raise_server_exceptions=False
    )
    client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
    return client


def test_the_budget_refuses_with_429_naming_it_and_other_requests_go_on(settings):
    with _app_client(settings, cost_budget_per_minute=10) as c:
        assert c.post("/api/v1/taxonomy/normalize", json=TEXTS).status_code == 200
        refused = c.post("/api/v1/taxonomy/normalize", json=TEXTS)
        assert refused.status_code == 429, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        problem = refused.json()
        assert problem["detail"].startswith(
            "The cost budget of 10 units per minute is used up: this text normalisation costs 6,"
            " 4 are left; retry in "
        )
        assert problem["errors"] == [
            {"field": "cost_budget", "message": "6 units asked, 10 per minute"}
        ]
        # The budget is not the request limit: cheap requests still pass, and a cheaper
        # expensive one that fits what is left as well.
        assert c.get("/api/v1/vacancies").status_code == 200
        small = {"kind": "skill", "texts": ["Stapler"] * 6, "limit": 1}  # ⌈3 + 42/150⌉ = 4
        assert c.post("/api/v1/taxonomy/normalize", json=small).status_code == 200
        assert c.post("/api/v1/taxonomy/normalize", json=small).status_code == 429


def test_each_key_has_a_budget_of_its_own(settings):
    with _app_client(settings, cost_budget_per_minute=10) as c:
        partner = bearer(make_key(c, "partner"))
        assert c.post("/api/v1/taxonomy/normalize", json=TEXTS).status_code == 200
        assert c.post("/api/v1/taxonomy/normalize", json=TEXTS).status_code == 429
        assert c.post("/api/v1/taxonomy/normalize", json=TEXTS, headers=partner).status_code == 200
        second = c.post("/api/v1/taxonomy/normalize", json=TEXTS, headers=partner)
        assert second.status_code == 429


def test_a_request_dearer_than_the_whole_budget_runs_once_a_minute(settings):
    with _app_client(settings, cost_budget_per_minute=5) as c:
        first = c.post("/api/v1/taxonomy/normalize", json=TEXTS)  # 6 units, charged as 5
        assert first.status_code == 200, first.text
        again = c.post("/api/v1/taxonomy/normalize", json=TEXTS)
        assert again.status_code == 429
        assert "costs 5, 0 are left" in again.json()["detail"]


def test_zero_switches_the_budget_off(settings):
    with _app_client(settings, cost_budget_per_minute=0) as c:
        answers = [c.post("/api/v1/taxonomy/normalize", json=TEXTS).status_code for _ in range(4)]
    assert answers == [200] * 4
    limiter = RateLimiter(0, "memory://", budget_per_minute=0)
    assert [limiter.charge("key:1", 10_000, "fairness report") for _ in range(3)] == [0, 0, 0]


def test_the_default_budget_covers_a_counsellors_day():
    """A counsellor's heavy minute: a cohort of 25 ranked (10 each), their programme report,
    an assignment proposal of the cohort to 40 vacancies and 20 texts normalised."""
    assert Settings().cost_budget_per_minute == 1000
    minute = (
        cost_of("batch", participant_ids=25, limit=10)
        + cost_of("programme")
        + cost_of("assignment", participant_ids=25, vacancy_ids=40)
        + cost_of("normalize", texts=20, characters=400)
    )
    assert minute == 10 + 10 + 13 + 13
    assert minute * 10 < 1000  # ten such minutes back to back would still pass


def test_the_limiter_charges_units_not_requests():
    limiter = RateLimiter(0, "memory://", budget_per_minute=100)
    assert limiter.charge("key:1", 60, "ranking batch") == 60
    assert limiter.charge("key:1", 40, "ranking batch") == 40
    with pytest.raises(TooManyRequests) as refused:
        limiter.charge("key:1", 1, "ranking batch")
    assert refused.value.status == 429
    assert "this ranking batch costs 1, 0 are left" in refused.value.detail
    assert limiter.charge("key:2", 100, "ranking batch") == 100  # another caller


@pytest.mark.parametrize(
    ("operation", "sizes", "units"),
    [
        ("batch", {"participant_ids": 200, "limit": 50}, 160),
        ("batch", {"vacancy_ids": 10, "limit": 10}, 4),
        ("batch", {"participant_ids": 1, "limit": 1}, 1),
        ("fairness", {"k": 10, "pairs": 300 * 400}, 342),
        ("fairness", {"k": 100, "pairs": 300 * 400}, 450),
        ("fairness", {"k": 10, "pairs": 0}, 1),
        ("evaluation", {"resamples": 1000, "baseline": False}, 32),
        ("evaluation", {"resamples": 5000, "baseline": True}, 50),
        ("fit", {}, 200),
        ("assignment", {"participant_ids": 20, "vacancy_ids": 20}, 11),
        ("assignment", {"participant_ids": 300, "vacancy_ids": 400}, 310),
        ("programme", {}, 10),
        ("normalize", {"texts": 200, "characters": 10_000}, 167),
    ],
)
def test_costs_follow_the_table(operation, sizes, units):
    assert cost_of(operation, **sizes) == units


def test_bounds_name_every_field_beyond_the_roles_bound():
    partner = Principal(role=Role.partner, actor="key:7")
    with pytest.raises(InvalidInput) as refused:
        check_bounds("batch", partner, participant_ids=51, limit=21)
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("participant_ids", "at most 50 for the role 'partner'"),
        ("limit", "at most 20 for the role 'partner'"),
    ]
    check_bounds("batch", partner, participant_ids=50, limit=20)  # the bound itself is allowed
    admin = Principal(role=Role.admin, actor="bootstrap")
    check_bounds("batch", admin, vacancy_ids=200, limit=50)
    assert set(EXPENSES) == {
        "batch",
        "fairness",
        "evaluation",
        "fit",
        "assignment",
        "programme",
        "normalize",
        "bulk_import",
    }
