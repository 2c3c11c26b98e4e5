"""/docs and /redoc are served with kai-match's own assets: nothing from a CDN or Google Fonts."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from kai_match.main import create_app
from tests.builders import bearer
from tests.conftest import ADMIN_KEY


def _external(page: str) -> list[str]:
    return re.findall(r'(?:src|href)=["\'](https?://[^"\']+)', page)


def test_swagger_ui_and_redoc_load_only_local_files(settings) -> None:
    with TestClient(create_app(settings)) as client:
        for path, script in (
            ("/docs", "/docs-assets/swagger-ui-bundle.js"),
            ("/redoc", "/docs-assets/redoc.standalone.js"),
        ):
            page = client.get(path)
            assert page.status_code == 200 and script in page.text
            assert _external(page.text) == [], path
            assert "fonts.googleapis" not in page.text
            assert page.headers["content-security-policy"].startswith("default-src 'self'")
            asset = client.get(script)
            assert asset.status_code == 200 and len(asset.content) > 100_000
        assert client.get("/docs-assets/swagger-ui.css").status_code == 200


def test_in_production_the_pages_need_a_key(settings) -> None:
    production = settings.model_copy(
        update={"environment": "production", "cursor_keys": ["k" * 32]}
    )
    with TestClient(create_app(production), raise_server_exceptions=False) as client:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert client.get(path).status_code == 401, path
            assert client.get(path, headers=bearer(ADMIN_KEY)).status_code == 200, path
