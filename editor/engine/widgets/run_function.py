from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from ..http import HttpFailure, HttpRequest
from .base import Next, Widget
from .httpcall import call, failure_outputs, mock_of, outputs

CONCURRENCY = "x-twilio-function-concurrency"


class RunFunction(Widget):
    """POST the parameters to the function; 2xx or 3xx is success (spec §2.7)."""

    type = "run-function"

    def enter(self, run: Any) -> Next:
        url = self.text(run, "url").strip()
        body = urlencode(self.pairs(run, "parameters")).encode()
        request = HttpRequest(
            method="POST",
            url=url,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            body=body,
            widget=self.name,
        )
        response = call(run, request)
        if isinstance(response, HttpFailure):
            return Next("fail", failure_outputs(response.reason, response.message))
        result = outputs(response)
        if CONCURRENCY in response.headers:
            result["headers"] = {CONCURRENCY: response.headers[CONCURRENCY]}
        event = "success" if 200 <= response.status_code < 400 else "fail"
        return Next(event, result, mock=mock_of(response))
