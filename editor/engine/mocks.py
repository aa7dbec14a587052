"""Canned responses for test runs: a Make HTTP Request or Run Function widget with a mock
gets it instead of making its request, so a flow can be tried before its backend exists and
with the answers a test needs. Widgets without one make their real request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .http import HttpFailure, HttpPort, HttpRequest, HttpResponse


@dataclass(frozen=True)
class Mock:
    status: int
    headers: dict[str, str]
    body: str

    def response(self) -> HttpResponse:
        headers = {name.lower(): value for name, value in self.headers.items()}
        content_type = headers.get("content-type", "")
        return HttpResponse(self.status, content_type, self.body, headers, mocked=True)

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "headers": dict(self.headers), "body": self.body}


class MockedHttp:
    """The HTTP port of a test run: mocks by widget name, else the real port."""

    def __init__(self, real: HttpPort | None, mocks: Mapping[str, Mock]) -> None:
        self.real = real
        self.mocks = mocks

    def fetch(self, request: HttpRequest) -> HttpResponse:
        mock = self.mocks.get(request.widget)
        if mock is not None:
            return mock.response()
        if self.real is None:
            raise HttpFailure("connection", "outbound HTTP is not available to this engine")
        return self.real.fetch(request)
