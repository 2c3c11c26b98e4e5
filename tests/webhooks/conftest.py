"""Webhook fixtures: settings that let the service reach a local receiver the test starts."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kai_match.config import Settings
from kai_match.webhooks.dispatcher import Dispatcher
from tests.builders import make_key


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Loopback allowed for the receiver, short backoffs, no background thread (tests drive)."""
    return settings.model_copy(
        update={
            "webhook_dispatcher": False,
            "webhook_allow_http": True,
            "webhook_allowed_networks": ["127.0.0.1/32"],
            "webhook_backoff_seconds": 0.01,
            "webhook_backoff_max_seconds": 0.05,
            "webhook_disable_after_failures": 3,
            "webhook_max_attempts": 6,
        }
    )


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A local HTTP server: answers with the queued status codes, then 200; keeps each request."""

    url: str
    statuses: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    holder: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            me = holder[0]
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with me.lock:
                me.requests.append(Received(dict(self.headers.items()), body))
                status = me.statuses.pop(0) if me.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder.append(Receiver(url=f"http://127.0.0.1:{server.server_port}/hook"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder[0]
    server.shutdown()
    server.server_close()


@pytest.fixture
def dispatcher(client, settings: Settings) -> Iterator[Dispatcher]:
    found = Dispatcher(client.app.state.engine, settings, client.app.state.webhook_box)
    yield found
    found.client.close()


@pytest.fixture
def partner(client) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_key(client, 'partner', label='Jobcenter')['key']}"}
