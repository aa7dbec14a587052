"""The API's form parser (the Twilio SDKs' bodies): DRF's FormParser, except that a form
Django has read already for the request is taken as it is rather than parsed a second time
(api/auth.py reads an execution create's To and From with the API key, and Django's CSRF
check reads a signed-in browser's form)."""

from __future__ import annotations

from typing import IO, Any

from rest_framework.parsers import FormParser as DrfFormParser

FORM = "application/x-www-form-urlencoded"


class FormParser(DrfFormParser):
    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        request = getattr((parser_context or {}).get("request"), "_request", None)
        # Django sets `_post` of such a form only once it has read all of it without error.
        read = getattr(request, "_post", None)
        if read is not None and request.content_type == FORM:
            return read
        return super().parse(stream, media_type, parser_context)
