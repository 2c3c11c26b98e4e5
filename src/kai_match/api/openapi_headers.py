"""Response headers in the OpenAPI: what each answer really sends, so clients can read them.

ETag and Location are set by the routes themselves (a table here, checked against real answers
by ``tests/cross/test_openapi_document.py``); Link comes with every paged answer
(``api.page_links``: a GET with ``cursor`` whose answer has ``next_cursor``); Retry-After with
every 429 and 503, WWW-Authenticate with every 401, and Idempotent-Replayed with the answers of
a ``POST`` under ``/api/v1`` that an ``Idempotency-Key`` retry can replay (``api.idempotency``).
"""

from __future__ import annotations

from typing import Any

ETAG = {
    "description": "The version of the record; send it as If-Match with the next change",
    "schema": {"type": "string"},
}
LOCATION = {"description": "The URL of the created record", "schema": {"type": "string"}}
LINK = {
    "description": 'The next page, `<…?cursor=…>; rel="next"` (absent on the last page)',
    "schema": {"type": "string"},
}
RETRY_AFTER = {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}
WWW_AUTHENTICATE = {
    "description": 'The bearer challenge (`error="invalid_token"` when a credential was sent)',
    "schema": {"type": "string"},
}
REPLAYED = {
    "description": "`true` when this is the stored answer of an earlier request with the same "
    "Idempotency-Key (nothing was done again)",
    "schema": {"type": "string", "enum": ["true"]},
}

P = "/api/v1/participants/{participant_id}"
E = "/api/v1/employers/{employer_id}"
V = "/api/v1/vacancies/{vacancy_id}"
PL = "/api/v1/placements/{placement_id}"
W = "/api/v1/webhooks/{webhook_id}"
# (method, path, status) → the headers that route sets itself.
ROUTE_HEADERS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("post", "/api/v1/participants", "201"): ("Location", "ETag"),
    ("get", P, "200"): ("ETag",),
    ("patch", P, "200"): ("ETag",),
    ("post", "/api/v1/employers", "201"): ("Location",),
    ("get", E, "200"): ("ETag",),
    ("patch", E, "200"): ("ETag",),
    ("post", "/api/v1/vacancies", "201"): ("Location", "ETag"),
    ("post", "/api/v1/vacancies/jobposting", "201"): ("Location",),
    ("get", V, "200"): ("ETag",),
    ("patch", V, "200"): ("ETag",),
    ("post", "/api/v1/placements", "201"): ("Location", "ETag"),
    ("get", PL, "200"): ("ETag",),
    ("patch", PL, "200"): ("ETag",),
    ("post", f"{PL}/transitions", "200"): ("ETag",),
    ("post", "/api/v1/api-keys", "201"): ("Location",),
    ("post", "/api/v1/webhooks", "201"): ("Location", "ETag"),
    ("get", W, "200"): ("ETag",),
    ("patch", W, "200"): ("ETag",),
}
_DOCS = {"ETag": ETAG, "Location": LOCATION}


def declare(document: dict[str, Any]) -> None:
    """Write the headers into every answer of ``document`` that sends them."""
    schemas = document.get("components", {}).get("schemas", {})
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            for status, answer in operation.get("responses", {}).items():
                headers = answer.setdefault("headers", {})
                for name in ROUTE_HEADERS.get((method, path, status), ()):
                    headers[name] = _DOCS[name]
                if status == "200" and _is_paged(operation, schemas):
                    headers["Link"] = LINK
                if status in ("429", "503"):
                    headers["Retry-After"] = RETRY_AFTER
                if status == "401":
                    headers["WWW-Authenticate"] = WWW_AUTHENTICATE
                if method == "post" and path.startswith("/api/v1/") and _replayable(status):
                    headers["Idempotent-Replayed"] = REPLAYED
                if not headers:
                    del answer["headers"]


def _replayable(status: str) -> bool:
    """Answers kept for a retry: success and the client errors of a request that was claimed
    (401, 403 and 413 come before the claim; 409, 429 and 5xx are never kept)."""
    return status.startswith("2") or status in ("400", "404", "412", "422", "428")


def _is_paged(operation: dict[str, Any], schemas: dict[str, Any]) -> bool:
    """A GET with a ``cursor`` parameter whose answer carries ``next_cursor``."""
    names = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    if "cursor" not in names:
        return False
    content = operation["responses"]["200"].get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    schema = schemas.get(ref.rsplit("/", 1)[-1], {})
    return "next_cursor" in schema.get("properties", {})
