"""The engine's ports for a test case: a clock that moves only when the script waits out a
timer, HTTP answered from the case's mocks (an unmocked request fails the case unless the
case allows the network), and subflows answered from the case's subflow mocks."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ..engine.http import HttpFailure, HttpPort, HttpRequest, HttpResponse
from ..engine.ports import Subflow

Loader = Callable[[str, str, bool], Subflow | None]


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start if start.tzinfo else start.replace(tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def counting_sids() -> Callable[[str], str]:
    """Deterministic SIDs (SM…01, SM…02), so a case's expectations can name them."""
    counter = itertools.count(1)
    return lambda prefix: f"{prefix}{next(counter):032x}"


def response_of(mock: dict[str, Any]) -> HttpResponse:
    """A case's mock as the response the widget gets; `mocked` makes its step say so, as a
    test run's mock does (editor/engine/widgets/httpcall.py mock_of, docs/protocol.md)."""
    headers = {str(k).lower(): str(v) for k, v in (mock.get("headers") or {}).items()}
    body = mock.get("body", "")
    if not isinstance(body, str):
        body = json.dumps(body, ensure_ascii=False)
        headers.setdefault("content-type", "application/json")
    status, content_type = int(mock.get("status", 200)), headers.get("content-type", "")
    return HttpResponse(status, content_type, body, headers, mocked=True)


class CaseHttp:
    """Mocks by widget name; a list of responses answers successive calls (the last one
    repeats). Without a mock the request is refused and remembered, so the case fails
    with "not mocked" rather than with whatever the flow does on `failed`."""

    def __init__(
        self,
        mocks: dict[str, Any],
        *,
        real: HttpPort | None,
        deadline: float,
        types: dict[str, str],
    ) -> None:
        self.mocks = mocks
        self.real = real
        self.deadline = deadline
        self.types = types
        self.calls: dict[str, int] = {}
        self.unmocked: list[str] = []
        self.requests: list[dict[str, Any]] = []

    def fetch(self, request: HttpRequest) -> HttpResponse:
        widget = request.widget
        self.requests.append({"widget": widget, "method": request.method, "url": request.url})
        mock = self.mocks.get(widget)
        if mock is not None:
            if isinstance(mock, list):
                n = self.calls.get(widget, 0)
                self.calls[widget] = n + 1
                mock = mock[min(n, len(mock) - 1)]
            if mock.get("failure"):
                raise HttpFailure(mock["failure"], f"mocked {mock['failure']}")
            return response_of(mock)
        if self.real is None:
            if widget not in self.unmocked:
                self.unmocked.append(widget)
            raise HttpFailure("connection", f"{widget} is not mocked")
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise HttpFailure("timeout", "the test case ran out of time")
        bounded = HttpRequest(
            request.method,
            request.url,
            request.headers,
            request.body,
            min(request.timeout, left),
            request.max_bytes,
            request.widget,
        )
        return self.real.fetch(bounded)


def mocked_subflow(outputs: dict[str, Any], sid: str) -> dict[str, Any]:
    """A stand-in child flow that sets the mocked outputs as its variables and ends, so the
    Run Subflow widget completes with exactly them."""
    variables = [
        {
            "key": key,
            "value": "{% raw %}" + json.dumps(value, ensure_ascii=False) + "{% endraw %}",
            "parse_as_json": True,
        }
        for key, value in outputs.items()
    ]
    states = [
        {
            "name": "Trigger",
            "type": "trigger",
            "properties": {},
            "transitions": [{"event": "incomingParent", "next": "mocked_outputs"}],
        },
        {
            "name": "mocked_outputs",
            "type": "set-variables",
            "properties": {"variables": variables},
            "transitions": [{"event": "next"}],
        },
    ]
    return {"description": f"mock of {sid}", "initial_state": "Trigger", "states": states}


class CaseSubflows:
    """Subflow mocks are named by Run Subflow widget; the engine asks by flow SID."""

    def __init__(
        self, mocks: dict[str, Any], definition: dict[str, Any], real: Loader | None
    ) -> None:
        self.by_sid: dict[str, dict[str, Any]] = {}
        self.widgets: dict[str, str] = {}
        for state in definition.get("states", []):
            if state.get("type") == "run-subflow":
                sid = str((state.get("properties") or {}).get("flow_sid", ""))
                self.widgets.setdefault(sid, state["name"])
                if state["name"] in mocks:
                    self.by_sid[sid] = mocks[state["name"]]
        self.real = real
        self.unmocked: list[str] = []

    def __call__(self, sid: str, revision: str, test_user: bool) -> Subflow | None:
        mock = self.by_sid.get(sid)
        if mock is not None:
            if mock.get("failed"):
                return None
            return Subflow(sid, 1, mocked_subflow(mock.get("outputs") or {}, sid))
        if self.real is not None:
            return self.real(sid, revision, test_user)
        widget = self.widgets.get(sid, sid)
        if widget not in self.unmocked:
            self.unmocked.append(widget)
        return None
