"""ASGI entry point: HTTP through Django, websockets through Channels.

HTTP runs through SyncChainASGIHandler (studio_clone/handler.py): Django's ASGI handler
with the synchronous middleware chain and view run in one thread hop per request.
Websockets are wrapped in an Origin check (the page must be this site's own, as Django's
CSRF check wants: studio_clone/websocket_origin.py) and session auth; the consumers
themselves check per-flow authorisation on connect and on every message.
"""

from __future__ import annotations

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio_clone.settings")
# As django.core.asgi.get_asgi_application() does, before any model is imported.
django.setup(set_prefix=False)

from .gc_tuning import DEFAULT as GC_DEFAULT  # noqa: E402
from .gc_tuning import apply as apply_gc_thresholds  # noqa: E402
from .handler import SyncChainASGIHandler  # noqa: E402

django_asgi_app = SyncChainASGIHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from editor.consumers import websocket_urlpatterns  # noqa: E402

from .websocket_origin import SameOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# Everything loaded so far lives as long as the process. Freezing it keeps the cyclic
# garbage collector from rescanning it on every full collection, which otherwise makes big
# imports cost more than linearly (bench B4).
gc.freeze()
# And full collections, which stall the server, made rare (studio_clone/gc_tuning.py).
apply_gc_thresholds(os.environ.get("GC_THRESHOLDS", GC_DEFAULT))
