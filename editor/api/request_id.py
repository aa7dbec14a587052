"""`Twilio-Request-Id`: every Studio API response names its request (RQ…), as Twilio's do.

The SDKs show it beside a response's status and headers (`create_with_http_info` in
Python, `createWithHttpInfo` in Node), and an execution started through the API is
`initiated_by` the same SID (executions.py), so a client's log line finds the execution.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ..sids import new_sid

HEADER = "Twilio-Request-Id"
PREFIX = "RQ"
API_PREFIXES = ("/v2/", "/v1/Flows")


def request_sid(request: HttpRequest) -> str:
    """This request's RQ… SID (a new one outside the middleware, as in tests)."""
    sid = getattr(request, "twilio_request_sid", None)
    return sid if sid else new_sid(PREFIX)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIXES):
            return self.get_response(request)
        sid = request.twilio_request_sid = new_sid(PREFIX)
        response = self.get_response(request)
        response[HEADER] = sid
        return response
