"""Twilio, as the webhook tests meet it: requests signed exactly as Twilio signs them, TwiML
read back as XML, a team connected to its account, and (tests/fake_twilio.py) a fake of
Twilio's REST API on loopback that records what it receives."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlencode

from django.test import Client
from django.utils import timezone
from twilio.request_validator import RequestValidator

from editor import services
from editor.models import Flow, Team, TwilioConnection

from .fake_twilio import (  # noqa: F401 (the tests import the fake from here too)
    DEFAULT_SERVICE,
    TWILIO_ACCOUNT,
    FakeTwilio,
    fake_twilio,
)

AUTH_TOKEN = "f00dfeedf00dfeedf00dfeedf00d1234"
CALLER, NUMBER = "+15551230001", "+15559870002"
SERVER = "http://testserver"


def connect(team: Team, token: str = AUTH_TOKEN, account_sid: str = TWILIO_ACCOUNT) -> None:
    """A connection as a checked one is stored (the check itself is tested elsewhere)."""
    TwilioConnection.objects.filter(team=team).delete()
    connection = TwilioConnection(team=team, account_sid=account_sid, date_checked=timezone.now())
    connection.auth_token = token
    connection.save()


def webhook_path(flow: Flow, account_sid: str | None = None) -> str:
    return f"/v1/Accounts/{account_sid or flow.team.account_sid}/Flows/{flow.sid}"


def sign(url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


def post(
    path: str,
    params: dict[str, str],
    *,
    token: str = AUTH_TOKEN,
    signed_url: str | None = None,
    signature: str | None = None,
) -> Any:
    """POST a form as Twilio does: signed over the full URL it requested and the form."""
    url = signed_url or SERVER + path
    headers = {}
    if signature is None:
        signature = sign(url, params, token)
    if signature:
        headers["HTTP_X_TWILIO_SIGNATURE"] = signature
    return Client().post(path, params, **headers)


def get(path: str, params: dict[str, str], *, token: str = AUTH_TOKEN) -> Any:
    """A GET webhook: the parameters are in the query, which the signature covers."""
    full = f"{path}?{urlencode(params)}"
    signature = sign(SERVER + full, {}, token)
    return Client().get(full, HTTP_X_TWILIO_SIGNATURE=signature)


def sms(body: str, sid: str, **extra: str) -> dict[str, str]:
    return {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "SmsSid": sid,
        "AccountSid": TWILIO_ACCOUNT,
        "From": CALLER,
        "To": NUMBER,
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
        **extra,
    }


def call(sid: str, status: str = "ringing", **extra: str) -> dict[str, str]:
    return {
        "CallSid": sid,
        "AccountSid": TWILIO_ACCOUNT,
        "From": CALLER,
        "To": NUMBER,
        "Caller": CALLER,
        "Called": NUMBER,
        "CallStatus": status,
        "Direction": "inbound",
        "ApiVersion": "2010-04-01",
        **extra,
    }


def twiml(response: Any) -> ET.Element:
    """The <Response> of a TwiML answer, after checking it is served as XML."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own answer, in a test)
    assert root.tag == "Response"
    return root


def verbs(root: ET.Element) -> list[str]:
    return [child.tag for child in root]


def published(team: Team, definition: dict[str, Any], name: str = "Flow") -> Flow:
    return services.create_flow(
        team, friendly_name=name, definition=definition, status="published", allow_problems=True
    )
