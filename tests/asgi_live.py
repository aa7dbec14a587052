"""`asgi_live_server`: the whole ASGI application (pages, static files through WhiteNoise and
the flow websocket) served by uvicorn on a loopback port, for browser tests that need the
websocket, which pytest-django's WSGI `live_server` cannot serve.

One server for the session, in a thread of the test process, so it reads and writes the
same test database as the test (tests that use it need `django_db(transaction=True)` for
their rows to be visible to it). The channel layer is the embedded in-memory one.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass(frozen=True)
class AsgiLiveServer:
    url: str

    def __str__(self) -> str:
        return self.url


@pytest.fixture(scope="session")
def asgi_live_server(django_db_setup: Any, django_db_blocker: Any) -> Iterator[AsgiLiveServer]:
    import uvicorn

    from studio_clone.asgi import application

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        application, lifespan="off", log_level="warning", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    with django_db_blocker.unblock():
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the ASGI live server did not start")
            time.sleep(0.02)
        yield AsgiLiveServer(f"http://127.0.0.1:{port}")
        server.should_exit = True
        thread.join(timeout=10)
    listener.close()
