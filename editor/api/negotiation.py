"""Content negotiation answered at once for what API clients send.

Every API response is JSON (settings.py REST_FRAMEWORK: JSONRenderer is the only renderer),
and Twilio's SDKs send `Accept: application/json`. DRF's DefaultContentNegotiation still
parses the header into media types on every request, ≈ 15 µs; for no Accept header, `*/*`
or `application/json`, with no `?format=` override, its answer is known: the JSON renderer
and `application/json`. Anything else goes through DRF's own negotiation.
"""

from __future__ import annotations

from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

JSON = "application/json"
PLAIN_ACCEPTS = ("*/*", JSON)  # a missing header counts as */*, as DRF counts it


class ApiNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Any, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        if format_suffix is None and len(renderers) == 1 and renderers[0].media_type == JSON:
            accept = request.META.get("HTTP_ACCEPT", "*/*")
            override = self.settings.URL_FORMAT_OVERRIDE
            if accept in PLAIN_ACCEPTS and (override is None or override not in request.GET):
                return renderers[0], JSON
        return super().select_renderer(request, renderers, format_suffix)
