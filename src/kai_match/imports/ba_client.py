"""HTTP client of the BA's public job search ("Jobsuche"), used only when a URL is configured.

It pages through a search and fetches an ad's details; it maps nothing (``ba_mapping`` does).
Failures become ``BaUnavailable`` naming the URL and the reason, so the import command can stop
before it takes vanished search results for closed vacancies. Paths are those of the community
OpenAPI (github.com/bundesAPI/jobsuche-api); docs/ba-import.md says what is uncertain about them.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx
import structlog

from kai_match.imports.ba_mapping import search_items

log = structlog.get_logger("kai_match.imports.ba")

DEFAULT_API_KEY = "jobboerse-jobsuche"  # the public client id of the BA's own web app
MAX_PAGE_SIZE = 100  # the API answers at most 100 items a page


class BaUnavailable(Exception):
    """The BA API failed or timed out; the message says which URL and why."""


class BaClient:
    """Search and details of the BA job search: one retry on connection errors and 502/503/504."""

    SEARCH_PATH = "/pc/v4/jobs"
    DETAILS_PATH = "/pc/v4/jobdetails/"
    RETRY_STATUSES = frozenset({502, 503, 504})
    RETRY_BACKOFF_SECONDS = 0.5

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str = DEFAULT_API_KEY,
        timeout_seconds: float = 10.0,
        page_size: int = 50,
        max_pages: int = 40,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url.strip():
            raise ValueError("base_url is empty")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
        if max_pages < 1 or timeout_seconds <= 0:
            raise ValueError("max_pages and timeout_seconds must be positive")
        self.page_size = page_size
        self.max_pages = max_pages
        self.timeout_seconds = timeout_seconds
        # After a search: True if it ended at the last result, False if cut off or failed.
        self.last_search_complete: bool | None = None
        self._http = httpx.Client(
            base_url=base_url.strip().rstrip("/"),
            headers={"X-API-Key": api_key, "Accept": "application/json"},
            timeout=httpx.Timeout(timeout_seconds),
            transport=transport,
        )

    def search(self, **params: str | int) -> Iterator[dict[str, Any]]:
        """All items over all pages, each refnr once (``page`` and ``size`` are the client's).

        Stops at an empty or short page, once ``maxErgebnisse`` items came, or after
        ``max_pages``; only the first three set ``last_search_complete``.
        """
        self.last_search_complete = False
        seen: set[str] = set()
        received = 0
        for page in range(1, self.max_pages + 1):
            query = {**params, "page": page, "size": self.page_size}
            document = self._get_json(self.SEARCH_PATH, query, missing_is_none=False)
            items = search_items(document or {})
            received += len(items)
            for item in items:
                reference = str(item.get("refnr") or item.get("referenznummer") or "")
                if reference and reference in seen:
                    continue
                seen.add(reference)
                yield item
            if _last_page(items, self.page_size, received, _total(document or {})):
                self.last_search_complete = True
                return
        log.warning("ba_search_cut_off", max_pages=self.max_pages, items=received)

    def details(self, reference: str) -> dict[str, Any] | None:
        """The details of one ad by its refnr; None when the BA no longer has it (404)."""
        if not reference.strip():
            raise ValueError("reference is empty")
        code = base64.b64encode(reference.encode("utf-8")).decode("ascii")
        path = self.DETAILS_PATH + quote(code, safe="=")
        return self._get_json(path, None, missing_is_none=True)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BaClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _get_json(
        self, path: str, params: Mapping[str, str | int] | None, *, missing_is_none: bool
    ) -> dict[str, Any] | None:
        """GET and decode an object; 404 is None where ``missing_is_none``, else an error."""
        request = self._http.build_request("GET", path, params=params)
        response = self._send(request)
        if response.status_code == 404 and missing_is_none:
            return None
        if not response.is_success:
            hint = " (the search path may have moved)" if path == self.SEARCH_PATH else ""
            raise BaUnavailable(f"{request.url}: HTTP {response.status_code}{hint}")
        try:
            document = response.json()
        except ValueError as exc:
            raise BaUnavailable(f"{request.url}: the answer is no JSON") from exc
        if not isinstance(document, dict):
            raise BaUnavailable(f"{request.url}: the answer is no JSON object")
        return document

    def _send(self, request: httpx.Request) -> httpx.Response:
        """One retry after a short pause for connection errors and 502/503/504."""
        for attempt in (1, 2):
            try:
                response = self._http.send(request)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if attempt == 1:
                    self._pause(request, type(exc).__name__)
                    continue
                raise BaUnavailable(f"{request.url}: cannot connect ({_reason(exc)})") from exc
            except httpx.TimeoutException as exc:
                raise BaUnavailable(
                    f"{request.url}: no answer within {self.timeout_seconds:g} s ({_reason(exc)})"
                ) from exc
            except httpx.HTTPError as exc:
                raise BaUnavailable(f"{request.url}: {_reason(exc)}") from exc
            if response.status_code in self.RETRY_STATUSES and attempt == 1:
                response.close()
                self._pause(request, f"HTTP {response.status_code}")
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, request: httpx.Request, reason: str) -> None:
        log.info("ba_retry", url=str(request.url), reason=reason)
        time.sleep(self.RETRY_BACKOFF_SECONDS)


def _total(document: Mapping[str, Any]) -> int | None:
    """``maxErgebnisse``: a string in the OpenAPI, a number in recorded answers."""
    try:
        return int(str(document.get("maxErgebnisse")).strip())
    except ValueError:
        return None


def _last_page(items: list[dict[str, Any]], size: int, received: int, total: int | None) -> bool:
    return not items or len(items) < size or (total is not None and received >= total)


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
