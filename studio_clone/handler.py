"""Django's ASGI handler, with the synchronous middleware chain run in one thread hop and
on a warm thread.

Every view and middleware of this project is synchronous. Django's own ASGIHandler builds an
asynchronous middleware chain, and under it each hook of each synchronous middleware
(`process_request`, `process_response`, ...) is a separate trip from the event loop to a
worker thread and back, then the view is one more: a dozen trips per request, which cost
more CPU than a small API view itself (bench B6, bench/RESULTS.md). This handler loads the
same middleware as WSGI does and runs the whole chain, view included, in a single trip to
the request's thread, exactly as `manage.py runserver` under WSGI or any WSGI server would.

Django also gives every request a thread of its own (asgiref's ThreadSensitiveContext makes
a one-thread executor per request, and a second thread to join it at the end), and with the
new thread a new database connection wrapper, opened afresh from the pool. Here a request
borrows a warm one-thread executor instead (`WarmThreads`), keeping Django's guarantee that
all of one request's synchronous work (the request_started and request_finished signals,
the middleware, the view) runs on one thread, and never two requests' at once on it.

Everything else is Django's: request parsing, the request_started/request_finished signals
(so database connections are still returned to the pool after each request), client
disconnects and streaming responses. An async view would still work (Django wraps it with
async_to_sync), it would just not gain anything; add one only together with async
middleware and drop this.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase

# Warm threads kept per process. A request finding none idle gets a new one (it is never
# made to wait for another request), which is kept afterwards while fewer than this are idle.
KEEP = 16


class RequestThread(ThreadPoolExecutor):
    """A one-thread executor that knows whether work it was given is still running."""

    def __init__(self) -> None:
        super().__init__(max_workers=1, thread_name_prefix="request")
        self.pending = 0
        self.lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self.lock:
            self.pending += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self.done(None)
            raise
        future.add_done_callback(self.done)
        return future

    def done(self, _: Future[Any] | None) -> None:
        with self.lock:
            self.pending -= 1


class WarmThreads:
    """Idle request threads of one process, lent one to each request in turn."""

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self.idle: list[RequestThread] = []
        self.lock = threading.Lock()

    def lend(self) -> RequestThread:
        with self.lock:
            if self.idle:
                return self.idle.pop()  # the most recently used: its caches are warmest
        return RequestThread()

    def give_back(self, thread: RequestThread) -> None:
        # Work still running there (a view that outlived a cancelled request) would make the
        # next request queue behind it: such a thread finishes that work and ends.
        with self.lock:
            if thread.pending == 0 and len(self.idle) < self.keep:
                self.idle.append(thread)
                return
        thread.shutdown(wait=False)


class SyncChainASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self.threads = WarmThreads()

    def load_middleware(self, is_async: bool = False) -> None:
        # The chain WSGI would build: plain calls from one middleware to the next.
        super().load_middleware(is_async=False)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        thread = self.threads.lend()
        try:
            # Every thread-sensitive call of this request goes to `thread`, as Django's own
            # context would send it to the thread it makes for the request.
            async with ThreadSensitiveContext(executor=thread):
                await self.handle(scope, receive, send)
        finally:
            self.threads.give_back(thread)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        # Thread-sensitive: the same thread as the rest of this request's synchronous work
        # (the request_finished signal closes the database connection this thread opened).
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
