"""The websockets' Origin check: the page that opens a socket must be one of this site's
own, as Django's CSRF check wants of every form a browser posts.

Channels' AllowedHostsOriginValidator compared only the Origin's host name with
ALLOWED_HOSTS: a page on any scheme or port of an allowed host passed, and with
`ALLOWED_HOSTS=*` a page of any site could open a socket in a signed-in visitor's name
(cross-site WebSocket hijacking) while Django refused that page's form posts. Here the
Origin must be the socket's own origin (the scheme, Host and port it was opened on, the
scheme as `is_secure` reads it, SECURE_PROXY_SSL_HEADER included) with the Host in
ALLOWED_HOSTS, or one of CSRF_TRUSTED_ORIGINS, as django.middleware.csrf.CsrfViewMiddleware
decides for an HTTP request.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.http.request import is_same_domain


class SocketRequest(HttpRequest):
    """Enough of a request, from a websocket's scope, for Django to say which host it was
    opened on (get_host, against ALLOWED_HOSTS) and whether over TLS (is_secure)."""

    def __init__(self, scope: dict[str, Any], secure: bool) -> None:
        super().__init__()
        for name, value in scope.get("headers", []):
            key = "HTTP_" + name.decode("latin1").upper().replace("-", "_")
            self.META[key] = value.decode("latin1")
        self.secure = secure

    def _get_scheme(self) -> str:
        return "https" if self.secure else "http"


def trusted(origin: str) -> bool:
    """One of CSRF_TRUSTED_ORIGINS, with their `https://*.example.com` wildcards."""
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    try:
        asked = urlsplit(origin)
    except ValueError:
        return False
    for pattern in settings.CSRF_TRUSTED_ORIGINS:
        if "*" not in pattern:
            continue
        allowed = urlsplit(pattern)
        if allowed.scheme == asked.scheme and is_same_domain(
            asked.netloc, allowed.netloc.lstrip("*")
        ):
            return True
    return False


def own_origins(scope: dict[str, Any]) -> set[str] | None:
    """The origins of this site's pages that may open the socket (None: the Host is missing
    or not allowed). Daphne puts no `scheme` in a websocket's scope, even with
    --proxy-headers: there the socket may be the page's over TLS or not, so both count."""
    known = scope.get("scheme")
    origins = set()
    for secure in (True, False) if known is None else (known in ("wss", "https"),):
        request = SocketRequest(scope, secure)
        if "HTTP_HOST" not in request.META:
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        origins.add(f"{request.scheme}://{host}")
    return origins


def same_origin(scope: dict[str, Any]) -> bool:
    origin = next((v for k, v in scope.get("headers", []) if k == b"origin"), None)
    if not origin:
        return False
    origin = origin.decode("latin1")
    own = own_origins(scope)
    return own is not None and (origin in own or trusted(origin))


class SameOriginValidator:
    """ASGI middleware: a websocket whose Origin is not this site's is refused (403)."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and not same_origin(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
