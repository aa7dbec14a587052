"""Twilio's REST APIs through the official Python SDK, with their base URLs set by settings.

`TWILIO_API_BASE` (api.twilio.com), `TWILIO_CONVERSATIONS_BASE`, `TWILIO_STUDIO_BASE`,
`TWILIO_TASKROUTER_BASE`, `TWILIO_FLEX_API_BASE` and `TWILIO_MEDIA_BASE` (mcs.twilio.com,
media uploads) may point elsewhere: a regional or
private deployment, or the tests' fake Twilio on loopback. The SDK builds every URL from
its domain's host; RoutedHttpClient swaps that host for the configured base as the request
leaves. (The SDK's `region`/`edge` options only rewrite the host name by splitting it on
dots, which cannot reach `http://127.0.0.1:port`, so they are not used, nor are the
TWILIO_* environment variables the SDK would otherwise read.)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from requests import ConnectionError as RequestsConnectionError
from requests import RequestException, Timeout
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

logger = logging.getLogger(__name__)

# Twilio's host for each API, and the setting that may move it.
HOSTS = {
    "api.twilio.com": "TWILIO_API_BASE",
    "conversations.twilio.com": "TWILIO_CONVERSATIONS_BASE",
    "studio.twilio.com": "TWILIO_STUDIO_BASE",
    "taskrouter.twilio.com": "TWILIO_TASKROUTER_BASE",
    "flex-api.twilio.com": "TWILIO_FLEX_API_BASE",
    "mcs.twilio.com": "TWILIO_MEDIA_BASE",
}
# A 401 to a REST call, for whoever reads the failure on an execution's page.
REFUSED_CREDENTIALS = (
    "Twilio refused the team's credentials: an owner can enter them again on the team page "
    "(Twilio account)"
)
# Client(environment=…) falls back to os.environ when given an empty mapping; one key that
# the SDK never reads keeps TWILIO_REGION, TWILIO_EDGE and the rest out.
NO_ENVIRONMENT = {"STUDIO_CLONE": "1"}


def rebase(url: str) -> str:
    """The URL with Twilio's host replaced by its configured base (which may add a path)."""
    parts = urlsplit(url)
    base = getattr(settings, HOSTS.get(parts.hostname or "", ""), "") or ""
    if not base:
        return url
    target = urlsplit(base.rstrip("/"))
    return urlunsplit((target.scheme, target.netloc, target.path + parts.path, parts.query, ""))


class RoutedHttpClient(TwilioHttpClient):
    """Also keeps the last answer's Retry-After (the SDK's exceptions drop the headers),
    for a 429 to say when to try again."""

    retry_after: str = ""

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        self.retry_after = ""
        answer = super().request(method, rebase(url), *args, **kwargs)
        self.retry_after = str((answer.headers or {}).get("Retry-After") or "").strip()
        return answer


def client(account_sid: str, username: str, password: str) -> Client:
    """An SDK client: username/password are the account SID and auth token, or an API key."""
    timeout = float(getattr(settings, "TWILIO_HTTP_TIMEOUT", 10))
    return Client(
        username,
        password,
        account_sid=account_sid,
        http_client=RoutedHttpClient(timeout=timeout),
        environment=NO_ENVIRONMENT,
    )


def unreachable(exc: RequestException, api: str = "Twilio's API") -> str:
    """Why a request to Twilio got no answer, in a sentence for the page. The exception's
    own text (urllib3's pool and resolver reprs) says little to a user; it goes to the log."""
    logger.warning("%s unreachable: %s", api, exc)
    request = getattr(exc, "request", None)
    host = urlsplit(getattr(request, "url", None) or "").hostname or "api.twilio.com"
    if isinstance(exc, Timeout):
        seconds = float(getattr(settings, "TWILIO_HTTP_TIMEOUT", 10))
        return f"Could not reach {api}: {host} did not answer within {seconds:g} seconds."
    if isinstance(exc, RequestsConnectionError):
        if "resolve" in str(exc).lower() or "name or service" in str(exc).lower():
            return (
                f"Could not reach {api}: this server cannot look up {host}. "
                "Check its DNS and outbound network access."
            )
        return (
            f"Could not reach {api}: the connection to {host} failed. "
            "Check this server's outbound HTTPS access."
        )
    return f"Could not reach {api} ({type(exc).__name__}); the server's log has the details."


class CheckFailed(Exception):
    """Twilio refused the credentials, or could not be reached; the message says which."""


@dataclass(frozen=True)
class Account:
    sid: str
    friendly_name: str
    status: str


def fetch_account(account_sid: str, username: str, password: str) -> Account:
    """GET /2010-04-01/Accounts/{AC}.json: proves the credentials belong to the account."""
    try:
        found = client(account_sid, username, password).api.v2010.accounts(account_sid).fetch()
    except TwilioRestException as exc:
        if exc.status == 401:
            raise CheckFailed(
                f"Twilio did not accept these credentials for {account_sid} (error {exc.code})."
            ) from exc
        if exc.status == 404:
            raise CheckFailed(f"Twilio has no account {account_sid} for them.") from exc
        raise CheckFailed(f"Twilio answered {exc.status}: {exc.msg}") from exc
    except RequestException as exc:
        raise CheckFailed(unreachable(exc)) from exc
    except TwilioException as exc:
        raise CheckFailed(f"Could not reach Twilio's API: {exc}") from exc
    except ValueError as exc:  # a 2xx that is not JSON: not Twilio's API at that address
        logger.warning("unreadable answer to the account check: %s", exc)
        raise CheckFailed(
            "Twilio's API sent an answer that could not be read (not JSON); check this "
            "server's outbound access to api.twilio.com (a proxy's page?) and try again."
        ) from exc
    return Account(found.sid or account_sid, found.friendly_name or "", found.status or "")
