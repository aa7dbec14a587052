"""An ASGI live server for browser tests that need websockets: the project's own ASGI
application (HTTP and websockets, static files served as runserver does) under uvicorn, in a
thread of the test process, so it shares the test database and the in-memory channel layer.
It has the `url` attribute of pytest-django's live_server, so the browser helpers take
either."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from channels.layers import channel_layers
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler


def fresh_channel_layer() -> None:
    """Forget the process's channel layer, so the next event loop makes its own. A server
    process has one loop for its life; tests start a loop per live server or scenario, and
    the Redis layer's receive lock belongs to the loop that first used it."""
    channel_layers.backends.clear()


class AsgiLiveServer:
    def __init__(self) -> None:
        from studio_clone.asgi import application

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            ASGIStaticFilesHandler(application),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the ASGI live server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(name="asgi_live_server")
def asgi_live_server_fixture(transactional_db: Any, settings: Any) -> Iterator[AsgiLiveServer]:
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    fresh_channel_layer()
    server = AsgiLiveServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        fresh_channel_layer()
