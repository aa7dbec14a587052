"""Request body size limit, enforced before anything reads the body.

Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only against a declared Content-Length, and only
when something reads `request.body`. A chunked upload (no Content-Length, possible under
ASGI servers) would be read whole. This middleware rejects a declared length over the limit
without reading anything, and reads an undeclared body only up to limit + 1 bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .errors import ApiError, error_response

API_PREFIXES = ("/v2/",)
BODYLESS_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def max_request_bytes() -> int:
    return int(getattr(settings, "MAX_REQUEST_BYTES", 1024 * 1024))


class RequestSizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = max_request_bytes()
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared.strip():
            try:
                length = int(declared)
            except ValueError:
                return self.reject(request, 400, "The Content-Length header is not a number")
            if length < 0:
                return self.reject(request, 400, "The Content-Length header is negative")
            if length > limit:
                return self.too_large(request, limit)
        elif request.method not in BODYLESS_METHODS:
            body = request.read(limit + 1)
            if len(body) > limit:
                return self.too_large(request, limit)
            # The stream is consumed: hand the bytes to Django (request.body, request.POST)
            # and declare their length so DRF's parsers, which trust Content-Length, see them.
            request._body = body
            request.META["CONTENT_LENGTH"] = str(len(body))
        return self.get_response(request)

    def too_large(self, request: HttpRequest, limit: int) -> HttpResponse:
        return self.reject(request, 413, f"The request body is larger than {limit} bytes")

    def reject(self, request: HttpRequest, http_status: int, message: str) -> HttpResponse:
        if request.path_info.startswith(API_PREFIXES):
            code = 20413 if http_status == 413 else 20001
            return error_response(ApiError(http_status, code, message))
        return HttpResponse(message, status=http_status, content_type="text/plain")
