"""The BA job search client (kai_match.imports.ba_client) against a real local HTTP server."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from kai_match.imports.ba_client import BaClient, BaUnavailable

DATA = Path(__file__).resolve().parents[1] / "data" / "ba"
PREFIX = "/jobboerse/jobsuche-service"
SEARCH = PREFIX + "/pc/v4/jobs"
DETAILS = PREFIX + "/pc/v4/jobdetails/"
NOT_FOUND = {"messages": [{"code": "STELLENANGEBOT_NICHT_GEFUNDEN"}]}


@dataclass
class Seen:
    """One request as the server saw it."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]


# An answer: (status, JSON body or raw bytes, seconds to stall before answering).
Answer = tuple[int, Any, float]
Responder = Callable[[Seen, int], Answer]


@dataclass
class Server:
    base_url: str
    seen: list[Seen] = field(default_factory=list)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    responder: Responder
    record: list[Seen]
    stop: threading.Event

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (the timeout test) is expected; keep the test output clean."""


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        seen = Seen(parts.path, query, {k.lower(): v for k, v in self.headers.items()})
        self.server.record.append(seen)
        status, body, stall = self.server.responder(seen, len(self.server.record))
        if stall:
            self.server.stop.wait(stall)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def serve() -> Iterator[Callable[[Responder], Server]]:
    """Start threaded servers on 127.0.0.1 (port 0); all are shut down after the test."""
    running: list[_HttpServer] = []

    def start(responder: Responder) -> Server:
        httpd = _HttpServer(("127.0.0.1", 0), _Handler)
        httpd.responder, httpd.record, httpd.stop = responder, [], threading.Event()
        threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
        running.append(httpd)
        return Server(f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}", httpd.record)

    yield start
    for httpd in running:
        httpd.stop.set()
        httpd.shutdown()
        httpd.server_close()


def fixtures(seen: Seen, _count: int) -> Answer:
    """The fixture search (two pages) and details by base64 refnr, as the BA would serve them."""
    if seen.path == SEARCH:
        page = DATA / f"search_page_{seen.query.get('page')}.json"
        if page.is_file():
            return 200, json.loads(page.read_text(encoding="utf-8")), 0
        return 200, {"stellenangebote": [], "maxErgebnisse": "8"}, 0
    if seen.path.startswith(DETAILS):
        reference = base64.b64decode(unquote(seen.path.removeprefix(DETAILS))).decode()
        details = DATA / "details" / f"{reference}.json"
        if details.is_file():
            return 200, json.loads(details.read_text(encoding="utf-8")), 0
    return 404, NOT_FOUND, 0


def _client(server: Server, **options: Any) -> BaClient:
    client = BaClient(server.base_url, **options)
    client.RETRY_BACKOFF_SECONDS = 0.05  # type: ignore[misc]
    return client


def _full_pages(total: int) -> Responder:
    """Endless full pages of five distinct items; ``maxErgebnisse`` says ``total``."""

    def answer(seen: Seen, _count: int) -> Answer:
        page = int(seen.query["page"])
        items = [{"refnr": f"R-{page}-{n}"} for n in range(5)]
        return 200, {"stellenangebote": items, "maxErgebnisse": total}, 0

    return answer


# --- search -------------------------------------------------------------------------------------


def test_search_collects_all_items_over_two_pages_in_order(serve) -> None:
    server = serve(fixtures)

    with _client(server, page_size=5) as client:
        refs = [item["refnr"] for item in client.search(wo="Borna", umkreis=25)]
        complete = client.last_search_complete

    assert refs == [f"10000-12990001{n:02d}-S" for n in range(1, 9)]
    assert complete is True
    assert [(s.path, s.query) for s in server.seen] == [
        (SEARCH, {"wo": "Borna", "umkreis": "25", "page": "1", "size": "5"}),
        (SEARCH, {"wo": "Borna", "umkreis": "25", "page": "2", "size": "5"}),
    ]


def test_the_api_key_header_is_sent(serve) -> None:
    server = serve(fixtures)

    with _client(server, page_size=5) as client:
        list(client.search(wo="Borna"))
        client.details("10000-1299000101-S")
    with _client(server, api_key="another-key") as client:
        client.details("10000-1299000101-S")

    keys = [s.headers.get("x-api-key") for s in server.seen]
    assert keys == ["jobboerse-jobsuche"] * 3 + ["another-key"]


def test_search_stops_once_max_ergebnisse_items_came(serve) -> None:
    server = serve(_full_pages(total=10))

    with _client(server, page_size=5) as client:
        items = list(client.search(was="Helfer"))

    assert len(items) == 10
    assert len(server.seen) == 2
    assert client.last_search_complete is True


def test_search_stops_at_max_pages_and_says_it_is_incomplete(serve) -> None:
    server = serve(_full_pages(total=1000))

    with _client(server, page_size=5, max_pages=3) as client:
        items = list(client.search(was="Helfer"))

    assert len(items) == 15
    assert [s.query["page"] for s in server.seen] == ["1", "2", "3"]
    assert client.last_search_complete is False


def test_search_yields_a_refnr_only_once(serve) -> None:
    def shifting(seen: Seen, _count: int) -> Answer:
        pages = {"1": ["A", "B"], "2": ["B", "C"], "3": []}
        return 200, {"stellenangebote": [{"refnr": r} for r in pages[seen.query["page"]]]}, 0

    with _client(serve(shifting), page_size=2) as client:
        assert [i["refnr"] for i in client.search()] == ["A", "B", "C"]


def test_search_path_not_found_raises(serve) -> None:
    server = serve(lambda seen, count: (404, NOT_FOUND, 0))

    with _client(server) as client, pytest.raises(BaUnavailable) as caught:
        list(client.search(wo="Borna"))

    assert f"{server.base_url}/pc/v4/jobs?wo=Borna" in str(caught.value)
    assert "HTTP 404" in str(caught.value)
    assert client.last_search_complete is False


def test_an_answer_that_is_no_json_raises(serve) -> None:
    server = serve(lambda seen, count: (200, b"<html>Wartungsarbeiten</html>", 0))

    with _client(server) as client, pytest.raises(BaUnavailable, match="no JSON"):
        list(client.search())


# --- details ------------------------------------------------------------------------------------


def test_details_by_base64_refnr(serve) -> None:
    server = serve(fixtures)

    with _client(server) as client:
        details = client.details("10000-1299000101-S")

    assert details == json.loads((DATA / "details/10000-1299000101-S.json").read_text())
    assert [s.path for s in server.seen] == [DETAILS + "MTAwMDAtMTI5OTAwMDEwMS1T"]


def test_details_not_found_is_none(serve) -> None:
    server = serve(fixtures)

    with _client(server) as client:
        assert client.details("10000-1299000199-S") is None
    assert len(server.seen) == 1


def test_details_path_survives_plus_slash_and_padding(serve) -> None:
    received: list[str] = []

    def echo(seen: Seen, _count: int) -> Answer:
        received.append(base64.b64decode(unquote(seen.path.removeprefix(DETAILS))).decode())
        return 200, {"referenznummer": received[-1]}, 0

    reference = "x?>>?ÿ~"  # its base64 has "+", "/" and "=" in it
    assert {"+", "/", "="} <= set(base64.b64encode(reference.encode()).decode())

    server = serve(echo)
    with _client(server) as client:
        assert client.details(reference) == {"referenznummer": reference}
    assert received == [reference]
    assert [s.path for s in server.seen] == [DETAILS + "eD8%2BPj%2FDv34="]


# --- failures -----------------------------------------------------------------------------------


def test_503_once_then_200_succeeds_after_one_retry(serve) -> None:
    def flaky(seen: Seen, count: int) -> Answer:
        return (503, {}, 0) if count == 1 else fixtures(seen, count)

    server = serve(flaky)

    with _client(server) as client:
        details = client.details("10000-1299000102-S")

    assert details is not None and details["referenznummer"] == "10000-1299000102-S"
    assert len(server.seen) == 2


def test_503_twice_raises_after_one_retry(serve) -> None:
    server = serve(lambda seen, count: (503, {}, 0))

    with _client(server) as client, pytest.raises(BaUnavailable, match="HTTP 503"):
        client.details("10000-1299000102-S")

    assert len(server.seen) == 2


def test_a_server_that_keeps_answering_500_raises_without_retry(serve) -> None:
    server = serve(lambda seen, count: (500, {"error": "intern"}, 0))

    with _client(server) as client, pytest.raises(BaUnavailable) as caught:
        client.details("10000-1299000102-S")

    assert str(caught.value) == (
        f"{server.base_url}/pc/v4/jobdetails/MTAwMDAtMTI5OTAwMDEwMi1T: HTTP 500"
    )
    assert len(server.seen) == 1


def test_a_stalling_server_raises_within_about_the_timeout(serve) -> None:
    server = serve(lambda seen, count: (200, {"stellenangebote": []}, 10.0))

    started = time.monotonic()
    with _client(server, timeout_seconds=0.5) as client, pytest.raises(BaUnavailable) as caught:
        list(client.search(wo="Borna"))
    elapsed = time.monotonic() - started

    assert elapsed < 3
    assert "no answer within 0.5 s" in str(caught.value)
    assert server.base_url in str(caught.value)


def test_a_closed_port_raises_after_one_retry() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = BaClient(f"http://127.0.0.1:{port}", timeout_seconds=0.5)
    client.RETRY_BACKOFF_SECONDS = 0.05  # type: ignore[misc]

    started = time.monotonic()
    with client, pytest.raises(BaUnavailable) as caught:
        client.details("10000-1299000101-S")

    assert f"127.0.0.1:{port}" in str(caught.value)
    assert "cannot connect" in str(caught.value)
    assert time.monotonic() - started < 3


def test_leaving_the_context_closes_the_client(serve) -> None:
    with _client(serve(fixtures)) as client:
        assert client.details("10000-1299000101-S") is not None

    with pytest.raises(RuntimeError, match="closed"):
        client.details("10000-1299000101-S")


@pytest.mark.parametrize(
    "options",
    [{"page_size": 0}, {"page_size": 101}, {"max_pages": 0}, {"timeout_seconds": 0}],
)
def test_bad_options_are_refused(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        BaClient("http://127.0.0.1:9", **options)
