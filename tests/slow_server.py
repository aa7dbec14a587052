"""A local JSON server whose answers take as long as a test needs, for Make HTTP Request.

Each GET records when it arrived, waits (the next of `delays`, else `delay` seconds, or
until `release` is set) and answers `{"answer": 42}`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer

from .local_server import QuietHandler


class SlowServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, delay: float, *, delays: tuple[float, ...] = ()) -> None:
        super().__init__(("127.0.0.1", 0), SlowHandler)
        self.delay = delay
        self.delays = list(delays)
        self.calls: list[float] = []
        self.arrived = threading.Event()
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/answer"

    def next_delay(self) -> float:
        return self.delays.pop(0) if self.delays else self.delay


class SlowHandler(QuietHandler):
    server: SlowServer

    def do_GET(self) -> None:
        self.server.calls.append(time.monotonic())
        self.server.arrived.set()
        self.server.release.wait(self.server.next_delay())
        self.answer(200, b'{"answer": 42}', "application/json")


@contextmanager
def serving(server: SlowServer) -> Iterator[SlowServer]:
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
