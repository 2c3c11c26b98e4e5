"""API documentation behind sign-in, for production.

The OpenAPI document lists every operation, parameter and example of the service; an
authority's deployment should not hand it to anyone who finds the address. In production
(unless ``KAI_DOCS_PUBLIC=true``) ``/openapi.json`` and ``/docs`` need a valid API key or token
like every ``/api/v1`` route: integrators fetch the document with their key (e.g. to generate
a client); browsers without one get a 401.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from kai_match.api.deps import current_principal

OPENAPI_PATH = "/openapi.json"
DOCS_PATH = "/docs"


def signed_in_only(environment: str, docs_public: bool) -> bool:
    """Whether the documentation needs a caller (production, unless configured public)."""
    return environment == "production" and not docs_public


def install_signed_in_docs(app: FastAPI) -> None:
    """``/openapi.json`` and ``/docs`` as routes that authenticate their caller first."""
    signed_in = [Depends(current_principal)]

    @app.get(OPENAPI_PATH, include_in_schema=False, dependencies=signed_in)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get(DOCS_PATH, include_in_schema=False, dependencies=signed_in)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=OPENAPI_PATH, title=f"{app.title} – API")
