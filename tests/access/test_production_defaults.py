"""Defaults of a production deployment (issue 17, privacy by design: weak defaults).

- the bootstrap admin key opens an empty service only: once a real admin key exists it is
  refused (it cannot be revoked and names nobody in the audit); revoking the last admin key
  lets it in again, so an operator cannot lock themselves out for good;
- ``/openapi.json`` and ``/docs`` need a caller unless ``KAI_DOCS_PUBLIC=true``.
PostgreSQL only: production refuses the embedded database.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kai_match.main import create_app
from tests.builders import bearer

BOOTSTRAP = "bootstrap-" + "b" * 40


@pytest.fixture
def production(settings, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("production runs on PostgreSQL only")
    return settings.model_copy(
        update={
            "environment": "production",
            "bootstrap_admin_key": BOOTSTRAP,
            "cursor_keys": ["c" * 40],
        }
    )


def _client(settings) -> TestClient:
    return TestClient(create_app(settings), raise_server_exceptions=False)


def test_the_bootstrap_key_retires_once_an_admin_key_exists(production):
    with _client(production) as client:
        boot = bearer(BOOTSTRAP)
        assert client.get("/api/v1/api-keys", headers=boot).status_code == 200
        made = client.post("/api/v1/api-keys", json={"role": "admin"}, headers=boot)
        assert made.status_code == 201, made.text
        admin = bearer(made.json()["key"])

        refused = client.get("/api/v1/api-keys", headers=boot)
        assert refused.status_code == 401
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert client.get("/api/v1/api-keys", headers=admin).status_code == 200

        revoked = client.delete(f"/api/v1/api-keys/{made.json()['id']}", headers=admin)
        assert revoked.status_code == 204, revoked.text
        assert client.get("/api/v1/api-keys", headers=boot).status_code == 200


def test_a_counsellor_key_does_not_retire_the_bootstrap_key(production):
    with _client(production) as client:
        boot = bearer(BOOTSTRAP)
        made = client.post(
            "/api/v1/api-keys", json={"role": "counsellor", "site": "grimma"}, headers=boot
        )
        assert made.status_code == 201
        assert client.get("/api/v1/api-keys", headers=boot).status_code == 200


def test_documentation_needs_a_caller_in_production(production):
    with _client(production) as client:
        for path in ("/openapi.json", "/docs"):
            assert client.get(path).status_code == 401, path
        document = client.get("/openapi.json", headers=bearer(BOOTSTRAP))
        assert document.status_code == 200
        assert document.json()["info"]["title"] == "kai-match"
        page = client.get("/docs", headers=bearer(BOOTSTRAP))
        assert page.status_code == 200 and "/openapi.json" in page.text
    with _client(production.model_copy(update={"docs_public": True})) as client:
        assert client.get("/openapi.json").status_code == 200


def test_documentation_stays_open_outside_production(client):
    assert client.get("/openapi.json", headers={"Authorization": ""}).status_code == 200
