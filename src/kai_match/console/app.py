"""The console as a sub-application under ``/console``: pages, static files, CSRF, errors.

Its own FastAPI app so that its answers are HTML pages (the API's are problem documents) and so
that the CSRF gate wraps only the forms, never the API. The gate's secret is derived from the
service's signing key (``kit.signing``), so every worker accepts every other worker's tokens.
"""

from __future__ import annotations

from asgi_csrf import Errors, asgi_csrf
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from kai_match.console import pages, placement_pages
from kai_match.console.rendering import HERE, PREFIX, SIGN_IN_PATH, SignInNeeded, render
from kai_match.errors import KaiError


def build_console(root: FastAPI) -> ASGIApp:
    """The console app for ``root`` (whose state holds engine, settings and signing keys)."""
    console = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    console.state.root = root
    console.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    console.include_router(pages.router)
    console.include_router(placement_pages.router)

    @console.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, exc: SignInNeeded) -> RedirectResponse:
        return RedirectResponse(SIGN_IN_PATH, status_code=303)

    @console.exception_handler(KaiError)
    async def refused(request: Request, exc: KaiError) -> HTMLResponse:
        return render(request, "error.html", {"status": exc.status, "error": exc}, exc.status)

    @console.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> HTMLResponse:
        return render(request, "error.html", {"status": 404, "error": None}, 404)

    return CsrfGate(console, root)


class CsrfGate:
    """asgi-csrf around the console, built on the first request (the key is loaded by then)."""

    def __init__(self, app: ASGIApp, root: FastAPI) -> None:
        self._app = app
        self._root = root
        self._gated: ASGIApp | None = None

    @property
    def routes(self) -> list:
        """The console's routes, so that ``url_for("console:…")`` finds them through the mount."""
        return self._app.routes  # type: ignore[attr-defined]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._gated is None:
            secret = self._root.state.cursor_keys.sign("console-csrf-secret", b"")
            self._gated = asgi_csrf(
                self._app,
                signing_secret=secret,
                always_protect={SIGN_IN_PATH},
                cookie_path=PREFIX,
                cookie_secure=True,
                cookie_samesite="Strict",
                send_csrf_failed=_csrf_failed,
            )
        await self._gated(scope, receive, send)


async def _csrf_failed(scope: Scope, send: Send, message_id: Errors | int) -> None:
    """403 in plain words: the form was not sent from this page (or the page is too old)."""
    body = (
        "<!doctype html><html lang=de><meta charset=utf-8><title>Formular abgelaufen</title>"
        "<main><h1>Formular nicht angenommen</h1><p>Das Formular kam nicht von dieser Seite "
        "oder ist abgelaufen. Bitte die Seite neu laden und noch einmal senden.</p>"
        f'<p><a href="{PREFIX}/">Zur Konsole</a></p></main></html>'
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"x-csrf-refused", str(getattr(message_id, "value", message_id)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
