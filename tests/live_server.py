"""The app in uvicorn on a free 127.0.0.1 port, for races over real HTTP.

Its own thread and event loop, sync routes in its thread pool, one database connection per
request, so concurrent clients meet the same locks they meet in production.
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn


def serve(app) -> tuple[uvicorn.Server, threading.Thread, str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # Racers connect first and then wait at a barrier; on a loaded machine that wait can pass
    # uvicorn's 5 s keep-alive, and a POST on the closed connection is reset by the peer.
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="warning",
            lifespan="on",
            limit_concurrency=200,
            timeout_keep_alive=120,
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"
