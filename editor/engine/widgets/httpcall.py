"""Calling out over HTTP, shared by Make HTTP Request and Run Function (spec §2.6, §4.4)."""

from __future__ import annotations

from typing import Any

from ...flowspec.jsontext import loads
from ..http import HttpFailure, HttpRequest, HttpResponse


def call(run: Any, request: HttpRequest) -> HttpResponse | HttpFailure:
    """The response, or why there is none (blocked, timeout, too large, no port)."""
    if run.ports.http is None:
        return HttpFailure("connection", "outbound HTTP is not available to this engine")
    try:
        return run.ports.http.fetch(request)
    except HttpFailure as failure:
        return failure


def mock_of(response: HttpResponse) -> dict[str, Any] | None:
    """What a Step says of a response a test run's mock gave (docs/protocol.md, "Mocks")."""
    return {"status": response.status_code} if response.mocked else None


def failure_outputs(reason: str, message: str) -> dict[str, Any]:
    """What a request that got no response leaves in `widgets.NAME`: Studio records nothing
    there, which leaves a flow's author unable to tell a refused address from a timeout,
    so the reason goes under `error` (no Studio output has that name)."""
    return {"error": {"reason": reason, "message": message}}


def outputs(response: HttpResponse) -> dict[str, Any]:
    """status_code, content_type, body, and `parsed` for a JSON object.

    A body with NaN, Infinity, 1e999 or a lone surrogate is not JSON (strict `loads`): like
    any body that is not JSON it keeps `body` and has no `parsed`, and nothing unstorable
    reaches the execution's state.
    """
    out: dict[str, Any] = {
        "status_code": response.status_code,
        "content_type": response.content_type,
        "body": response.body,
    }
    media_type = response.content_type.split(";")[0].strip().lower()
    if media_type == "application/json":
        try:
            parsed = loads(response.body)
        except (ValueError, RecursionError):
            parsed = None
        if isinstance(parsed, dict):
            out["parsed"] = parsed
    return out
