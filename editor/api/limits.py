"""Request body size limit, enforced before anything reads the body.

Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only against a declared Content-Length, and only
when something reads `request.body`. A chunked upload (no Content-Length, possible under
ASGI servers) would be read whole. This middleware rejects a declared length over the limit
without reading anything, and reads an undeclared body only up to limit + 1 bytes.

The refusal speaks each client's language: Twilio's error envelope on /v2/, the same
envelope plus the limit in bytes on the canvas's JSON API (/api/), and a page with the limit
and what to do for everything a browser submits.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import BAD_PARAMETER, ApiError, envelope, error_response

API_PREFIXES = ("/v2/",)
JSON_PREFIXES = ("/api/",)
BODYLESS_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
TOO_LARGE = 20413


def max_request_bytes() -> int:
    return int(getattr(settings, "MAX_REQUEST_BYTES", 1024 * 1024))


def size_label(size: int) -> str:
    """1048576 -> "1 MB": binary units, as browsers and file managers show file sizes."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def over_label(size: int, limit: int) -> str:
    """A size over `limit`, never labelled as the limit itself: 1,100,000 bytes rounds to
    "1 MB", which beside a 1 MB limit read as if it were allowed."""
    label = size_label(size)
    return f"more than {size_label(limit)}" if label == size_label(limit) else label


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
                return bad_request(request, "The Content-Length header is not a number")
            if length < 0:
                return bad_request(request, "The Content-Length header is negative")
            if length > limit:
                return too_large(request, limit, length)
        elif request.method not in BODYLESS_METHODS:
            body = request.read(limit + 1)
            if len(body) > limit:
                return too_large(request, limit, None)
            # The stream is consumed: hand the bytes to Django (request.body, request.POST)
            # and declare their length so DRF's parsers, which trust Content-Length, see them.
            request._body = body
            request.META["CONTENT_LENGTH"] = str(len(body))
        return self.get_response(request)


def too_large(request: HttpRequest, limit: int, size: int | None) -> HttpResponse:
    path = request.path_info
    if path.startswith(API_PREFIXES):
        return error_response(
            ApiError(413, TOO_LARGE, f"The request body is larger than {limit} bytes")
        )
    if path.startswith(JSON_PREFIXES):
        message = (
            f"This is larger than the {size_label(limit)} limit, so nothing was saved. Flows "
            "are far smaller (about 0.3 MB at 1,000 widgets): check that this is the flow "
            "you meant."
        )
        return JsonResponse({**envelope(413, TOO_LARGE, message), "limit": limit}, status=413)
    context = {
        "limit": size_label(limit),
        "size": over_label(size, limit) if size is not None else None,
        "back": back_to(path),
    }
    return render(request, "413.html", context, status=413)


def back_to(path: str) -> str:
    """The page's Back link: the path posted to, unless it would leave the site. A page of
    another site may post a huge body to `//evil.example/…` (browsers keep the double
    slash), which as a link is that other site."""
    return path if url_has_allowed_host_and_scheme(path, allowed_hosts=None) else "/"


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    if request.path_info.startswith(API_PREFIXES + JSON_PREFIXES):
        return error_response(ApiError(400, BAD_PARAMETER, message))
    return render(request, "400.html", {"message": message}, status=400)
