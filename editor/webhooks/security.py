"""Which flow a webhook is for, and whether Twilio really sent it (`X-Twilio-Signature`).

Twilio signs the full URL it requested (with the query) followed by the sorted POST
parameters, with HMAC-SHA1 keyed by the account's auth token; the SDK's RequestValidator
checks it (with and without the default port, as Twilio is inconsistent there). Behind a
proxy the URL Twilio requested is not the one Django sees: `TWILIO_WEBHOOK_BASE_URL` gives
the public scheme and host (and any path prefix the proxy strips), to which the request's
path and query are appended byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.handlers.wsgi import get_str_from_wsgi
from django.db.models import Q
from django.http import HttpRequest
from django.utils.encoding import escape_uri_path
from twilio.request_validator import RequestValidator

from .. import crypto
from ..models import Flow, TwilioConnection


class Refused(Exception):
    """403: nothing runs. The message is for the operator's log."""


class Unknown(Refused):
    """No such flow under that account (refused like the rest: see views.refusal)."""


class Missing(Exception):
    """404: no such flow under that account, told to a request signed with the account's
    auth token (a number still pointing at a deleted or moved flow): whoever holds the
    token may learn that, and Twilio's debugger then shows why."""


def requested_path(request: HttpRequest) -> str:
    """This request's path and query, the query as it came: Twilio signs the URL it
    requested as written, and get_full_path() re-encodes characters such as { | and "
    (raw JSON in a TwiML app's return URL). WSGI hands the query over as Latin-1."""
    environ = getattr(request, "environ", None)
    query = (
        get_str_from_wsgi(environ, "QUERY_STRING", "")
        if environ is not None
        else request.META.get("QUERY_STRING", "")
    )
    return escape_uri_path(request.path) + (f"?{query}" if query else "")


def public_url(request: HttpRequest, path: str | None = None) -> str:
    """The public absolute URL of `path` (default: this request's path and query)."""
    full = requested_path(request) if path is None else path
    base = (getattr(settings, "TWILIO_WEBHOOK_BASE_URL", "") or "").rstrip("/")
    # Not build_absolute_uri(), which re-encodes the query too.
    return (base or f"{request.scheme}://{request.get_host()}") + full


@dataclass(frozen=True)
class Signed:
    flow: Flow
    connection: TwilioConnection


def signed_flow(request: HttpRequest, account_sid: str, flow_sid: str) -> Signed:
    """The flow, once the request is shown to come from the team's Twilio account.

    The account in the path may be the team's own SID (the Webhook URL on the flow page) or
    the connected Twilio account's.
    """
    account = Q(team__account_sid=account_sid) | Q(team__twilio_connection__account_sid=account_sid)
    flow = Flow.objects.select_related("team__twilio_connection").filter(account, sid=flow_sid)
    flow = flow.first()
    if flow is None:
        connections = TwilioConnection.objects.filter(
            Q(team__account_sid=account_sid) | Q(account_sid=account_sid)
        )
        if any(signed_with(request, c) for c in connections):
            raise Missing(
                f"No flow {flow_sid} in account {account_sid}: it was deleted or moved to "
                "another team. Point the number at a flow's Webhook URL (its page shows it)."
            )
        raise Unknown(f"No flow {flow_sid} in account {account_sid}")
    connection = getattr(flow.team, "twilio_connection", None)
    if connection is None:
        raise Refused("This team has no Twilio connection to verify webhooks with")
    try:
        token = connection.auth_token
    except crypto.Unreadable as exc:
        raise Refused("The team's auth token cannot be decrypted; set it again") from exc
    if not token:
        raise Refused("The team's Twilio connection has no auth token to verify webhooks with")
    if not valid(request, token):
        # The URL checked, for the operator to compare with the one Twilio requested (a
        # proxy's scheme, host or path prefix: TWILIO_WEBHOOK_BASE_URL).
        raise Refused(f"Invalid X-Twilio-Signature for {public_url(request)}")
    sender = request.POST.get("AccountSid") or request.GET.get("AccountSid")
    if sender and sender != connection.account_sid:
        raise Refused(f"The request is from account {sender}, not {connection.account_sid}")
    return Signed(flow, connection)


def valid(request: HttpRequest, token: str) -> bool:
    params = request.POST if request.method == "POST" else {}
    signature = request.headers.get("X-Twilio-Signature", "")
    return bool(signature) and RequestValidator(token).validate(
        public_url(request), params, signature
    )


def signed_with(request: HttpRequest, connection: TwilioConnection) -> bool:
    try:
        token = connection.auth_token
    except crypto.Unreadable:
        return False
    return bool(token) and valid(request, token)
