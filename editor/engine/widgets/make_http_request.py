from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from ..http import HttpFailure, HttpRequest
from .base import Next, Widget
from .httpcall import call, failure_outputs, mock_of, outputs

FORM = "application/x-www-form-urlencoded"


class MakeHttpRequest(Widget):
    """GET or POST with form parameters or a raw body; 2xx is success (spec §2.6)."""

    type = "make-http-request"

    def enter(self, run: Any) -> Next:
        url = self.text(run, "url").strip()
        method = self.choice("method").upper()
        content_type = self.choice("content_type")
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:  # "http://[" and the like; the port refuses it as well
            host = ""
        # "Authenticate with Twilio" only ever sends credentials to Twilio's own APIs.
        twilio = host == "twilio.com" or host.endswith(".twilio.com")
        if self.flag("add_twilio_auth") and not twilio:
            return Next(
                "failed",
                failure_outputs(
                    "not_twilio",
                    f"Authenticate with Twilio sends credentials only to twilio.com; "
                    f"{host or 'this URL'} is not a Twilio API",
                ),
            )
        headers = {"Content-Type": content_type} if method == "POST" else {}
        body = None
        if content_type.startswith(FORM):
            parameters = urlencode(self.pairs(run, "parameters"))
            if method == "GET" and parameters:
                url += ("&" if "?" in url else "?") + parameters
            elif method == "POST":
                body = parameters.encode()
        elif method == "POST":
            body = self.text(run, "body").encode()
        response = call(
            run, HttpRequest(method=method, url=url, headers=headers, body=body, widget=self.name)
        )
        if isinstance(response, HttpFailure):
            return Next("failed", failure_outputs(response.reason, response.message))
        ok = 200 <= response.status_code < 300
        return Next("success" if ok else "failed", outputs(response), mock=mock_of(response))
