"""How a console page is answered: the template in the reader's language with its CSRF token.

Shared by the pages and the sub-application's error handlers (``console.app``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from kai_match.console.i18n import DEFAULT_LANG, LANG_COOKIE, LANGUAGES, gettext_for, translator

PREFIX = "/console"
HERE = Path(__file__).parent
CSRF_FIELD = "csrftoken"
SIGN_IN_PATH = f"{PREFIX}/sign-in"

templates = Jinja2Templates(directory=HERE / "templates")


class SignInNeeded(Exception):
    """The page needs a signed-in person; answered with a redirect to the sign-in page."""


def language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANG


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """A page in the reader's language, with the CSRF token for its forms."""
    lang = language(request)
    token = request.scope.get("csrftoken")
    page = templates.TemplateResponse(
        request,
        name,
        {
            "_": gettext_for(lang),
            "ngettext": translator(lang).ngettext,
            "lang": lang,
            "csrf_field": CSRF_FIELD,
            "csrf_token": token() if callable(token) else "",
            **(context or {}),
        },
        status_code=status,
    )
    if request.query_params.get("lang") in LANGUAGES:
        page.set_cookie(LANG_COOKIE, lang, path=PREFIX, samesite="lax", secure=True)
    page.headers["Cache-Control"] = "no-store"  # pages show personal data
    return page
