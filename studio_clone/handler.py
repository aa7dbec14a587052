"""Django's ASGI handler, with the synchronous middleware chain run in one thread hop.

Every view and middleware of this project is synchronous. Django's own ASGIHandler builds an
asynchronous middleware chain, and under it each hook of each synchronous middleware
(`process_request`, `process_response`, ...) is a separate trip from the event loop to a
worker thread and back, then the view is one more: a dozen trips per request, which cost
more CPU than a small API view itself (bench B6, bench/RESULTS.md). This handler loads the
same middleware as WSGI does and runs the whole chain, view included, in a single trip to
the request's thread, exactly as `manage.py runserver` under WSGI or any WSGI server would.

Everything else is Django's: request parsing, the request_started/request_finished signals
(so database connections are still returned after each request), client disconnects and
streaming responses. An async view would still work (Django wraps it with async_to_sync), it
would just not gain anything; add one only together with async middleware and drop this.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class SyncChainASGIHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        # The chain WSGI would build: plain calls from one middleware to the next.
        super().load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        # Thread-sensitive: the same thread as the rest of this request's synchronous work
        # (the request_finished signal closes the database connection this thread opened).
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
