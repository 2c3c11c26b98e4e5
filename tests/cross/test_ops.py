"""Health, readiness, metrics, request ids, and errors that are not the client's fault."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kai_match.config import Settings
from kai_match.main import create_app
from tests.builders import bearer, make_participant
from tests.conftest import ADMIN_KEY


def test_health_ready_metrics(client):
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").status_code == 200
    make_participant(client)
    metrics = client.get("/metrics").text
    assert (
        'kai_http_requests_total{method="POST",route="/api/v1/participants",status="201"}'
        in metrics
    )
    assert "Amina" not in metrics


def test_request_id_is_echoed(client):
    response = client.get("/health", headers={"X-Request-ID": "0f6c3b1e2a4d4e8f9a7b6c5d4e3f2a1b"})
    assert response.headers["X-Request-ID"] == "0f6c3b1e2a4d4e8f9a7b6c5d4e3f2a1b"


def test_unknown_route_and_method_are_problems(client):
    missing = client.get("/api/v1/nothing")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    wrong = client.put("/api/v1/participants")
    assert wrong.status_code == 405
    assert wrong.headers["content-type"] == "application/problem+json"


def test_oversized_body_is_413(client):
    response = client.post(
        "/api/v1/participants",
        content=b'{"first_name": "' + b"x" * 1_100_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["field"] == "body"


def test_database_gone_gives_503_with_retry_after(tmp_path):
    missing_dir = tmp_path / "no" / "such" / "dir"
    settings = Settings(
        database_url=f"sqlite:///{missing_dir}/kai.db",
        auto_migrate=False,
        bootstrap_admin_key=ADMIN_KEY,
    )
    with TestClient(
        create_app(settings), raise_server_exceptions=False, headers=bearer(ADMIN_KEY)
    ) as client:
        ready = client.get("/ready")
        assert ready.status_code == 503
        assert ready.headers["Retry-After"] == "5"
        write = client.post("/api/v1/employers", json={"name": "X", "postal_code": "04552"})
        assert write.status_code == 503
        assert write.headers["content-type"] == "application/problem+json"
        assert write.headers["Retry-After"] == "5"
        assert "Traceback" not in write.text


def test_unexpected_error_is_500_problem_without_trace(settings, monkeypatch):
    from kai_match.participants import service as participants

    def explode(**_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(participants, "list_participants", explode)
    with TestClient(
        create_app(settings), raise_server_exceptions=False, headers=bearer(ADMIN_KEY)
    ) as client:
        response = client.get("/api/v1/participants")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "boom" not in response.text


def test_openapi_declares_problem_documents_and_examples(client):
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/api/v1/participants"]["post"]
    assert "application/problem+json" in post["responses"]["422"]["content"]
    assert "application/problem+json" in post["responses"]["400"]["content"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    assert examples["default"]["value"]["first_name"] == "Amina"
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if path.startswith("/api/v1"):
                assert "500" in operation["responses"], (method, path)
                assert "503" in operation["responses"], (method, path)
