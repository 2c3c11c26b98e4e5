"""The API documentation pages: served without a CDN, and behind sign-in in production.

``/docs`` (Swagger UI) and ``/redoc`` load their scripts and styles from kai-match itself
(the files of the ``fastapi-offline`` package, under ``/docs-assets``), so they work in an
authority network without internet access, and ReDoc is told not to fetch Google's fonts.

The OpenAPI document lists every operation, parameter and example of the service; an
authority's deployment should not hand it to anyone who finds the address. In production
(unless ``KAI_DOCS_PUBLIC=true``) ``/openapi.json``, ``/docs`` and ``/redoc`` need a valid API
key or token like every ``/api/v1`` route: integrators fetch the document with their key (e.g.
to generate a client); browsers without one get a 401.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from kai_match.api.deps import current_principal

OPENAPI_PATH = "/openapi.json"
DOCS_PATH = "/docs"
REDOC_PATH = "/redoc"
ASSETS_PATH = "/docs-assets"
# The pages may load from kai-match only; this also stops ReDoc's footer logo from its CDN.
# Both UIs start from an inline script and ReDoc runs a worker from a blob.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; font-src 'self' data:"
)


def signed_in_only(environment: str, docs_public: bool) -> bool:
    """Whether the documentation needs a caller (production, unless configured public)."""
    return environment == "production" and not docs_public


def install_docs(app: FastAPI, *, signed_in: bool) -> None:
    """``/openapi.json``, ``/docs`` and ``/redoc`` with local assets; authenticated if asked."""
    assets = files("fastapi_offline") / "static"
    app.mount(ASSETS_PATH, StaticFiles(directory=str(assets)), name="docs-assets")
    guard = [Depends(current_principal)] if signed_in else []
    title = f"{app.title} – API"

    @app.get(OPENAPI_PATH, include_in_schema=False, dependencies=guard)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get(DOCS_PATH, include_in_schema=False, dependencies=guard)
    async def swagger_ui() -> HTMLResponse:
        return _local_only(
            get_swagger_ui_html(
                openapi_url=OPENAPI_PATH,
                title=title,
                swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
                swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
                swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
            )
        )

    @app.get(REDOC_PATH, include_in_schema=False, dependencies=guard)
    async def redoc() -> HTMLResponse:
        return _local_only(
            get_redoc_html(
                openapi_url=OPENAPI_PATH,
                title=title,
                redoc_js_url=f"{ASSETS_PATH}/redoc.standalone.js",
                redoc_favicon_url=f"{ASSETS_PATH}/favicon.png",
                with_google_fonts=False,
            )
        )


def _local_only(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return page
