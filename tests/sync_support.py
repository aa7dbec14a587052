"""Two instances of this server, as pull and push meet them: Acme's flows here, and "the
Twilio account" Acme is connected to, which is another team of the same live server
speaking Studio v2 at /v2/ (TWILIO_STUDIO_BASE points at it). The connection holds that
team's API key and secret, sent as Basic auth exactly as Twilio's SDK sends them; it is
stored as a checked connection is, since this server does not serve the account check
(GET /2010-04-01/Accounts/AC….json, tested against the fake in tests/twilio_support.py)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from editor import services
from editor.models import Flow, Team, TwilioConnection
from tests.test_api_flows import studio_definition


def definition(body: str = "Hello", extra: list[dict[str, Any]] | None = None) -> dict:
    """Trigger -> Send Message, and any extra states."""
    found = studio_definition(body)
    found["states"] += extra or []
    return found


GOODBYE = {
    "name": "say_goodbye",
    "type": "send-message",
    "transitions": [{"event": "sent"}, {"event": "failed"}],
    "properties": {
        "offset": {"x": 0, "y": 400},
        "from": "{{flow.channel.address}}",
        "to": "{{contact.channel.address}}",
        "body": "Goodbye",
    },
}


@dataclass
class Account:
    """The remote Twilio account: a team of the live server, and its flows."""

    team: Team

    def flows(self) -> list[Flow]:
        return list(Flow.objects.filter(team=self.team).order_by("date_created"))

    def flow(self, sid: str) -> Flow:
        return Flow.objects.get(team=self.team, sid=sid)

    def make(self, name: str, body: str = "Hello", status: str = "published") -> Flow:
        return services.create_flow(
            self.team, friendly_name=name, definition=definition(body), status=status
        )

    def save(self, flow: Flow, body: str, status: str = "draft", **more: Any) -> Flow:
        return services.update_flow(flow, status=status, definition=definition(body, **more))


@pytest.fixture(name="account")
def account_fixture(live_server, transactional_db, settings, team) -> Account:
    remote = services.ensure_team("owl", "Owl Dental")
    key, secret = services.create_api_key(remote, friendly_name="Acme's server")
    connection = TwilioConnection(
        team=team,
        account_sid=remote.account_sid,
        api_key_sid=key.sid,
        friendly_name="Owl Dental",
        date_checked=timezone.now(),
    )
    connection.api_key_secret = secret
    connection.save()
    settings.TWILIO_STUDIO_BASE = live_server.url
    return Account(remote)


@dataclass
class Ran:
    out: str
    err: str
    failed: str | None = None


def twilio(*args: str) -> Ran:
    """`manage.py twilio …`: its output, and the error that made it exit non-zero."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("twilio", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return Ran(out.getvalue(), err.getvalue(), str(exc))
    return Ran(out.getvalue(), err.getvalue())
