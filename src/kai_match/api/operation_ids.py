"""Short operationIds, ``<domain>_<verb>``: ``vacancies_create``, ``participants_matches``.

FastAPI's default (``create_vacancy_api_v1_vacancies_post``) becomes the method name of every
generated client. Here the domain is the first path segment under ``/api/v1`` (``ops`` for the
operational routes) and the verb is the route function's name without the domain's words, so
an id changes only when a route is renamed or moved. Two routes with one id are an error when
the document is built, not a silently renamed client method.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI

from kai_match.api.routes import walk_routes

API_PREFIX = "/api/v1/"
OPS_DOMAIN = "ops"
PATTERN = re.compile(r"^[a-z]+(_[a-z]+)*$")
_DEFAULT_VERBS = {"get": "list", "post": "create", "put": "replace", "patch": "update"}


def domain_of(path: str) -> str:
    """``/api/v1/weight-profiles/{id}`` → ``weight_profiles``; ``/health`` → ``ops``."""
    if not path.startswith(API_PREFIX):
        return OPS_DOMAIN
    return path.removeprefix(API_PREFIX).split("/")[0].replace("-", "_")


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word.removesuffix("s")


def operation_id(method: str, path: str, function_name: str) -> str:
    """The domain, then the function's words that do not repeat the domain."""
    domain = domain_of(path)
    said = {w for part in domain.split("_") for w in (part, _singular(part))}
    verb = [w for w in function_name.lower().split("_") if w and w not in said]
    return f"{domain}_{'_'.join(verb) or _DEFAULT_VERBS.get(method, method)}"


def assign(document: dict[str, Any], app: FastAPI) -> None:
    """Replace every operationId of ``document``; a duplicate is a ``ValueError`` naming both."""
    names: dict[tuple[str, str], str] = {}
    for prefix, route in walk_routes(app.routes):
        path = prefix + getattr(route, "path_format", "")
        for method in getattr(route, "methods", None) or ():
            names[(method.lower(), path)] = route.name
    seen: dict[str, str] = {}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            new = operation_id(method, path, names[(method, path)])
            where = f"{method.upper()} {path}"
            if new in seen:
                raise ValueError(f"operationId {new!r} of {where} is taken by {seen[new]}")
            seen[new] = where
            operation["operationId"] = new
