"""The outbox as the tests meet it: a team connected to a fake Twilio on loopback, every
Twilio API pointed at it, and a way to run what is due as the worker would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from editor.models import OutboundRequest, OutboundStatus
from editor.services import outbox

from . import twilio_support
from .twilio_support import AUTH_TOKEN, TWILIO_ACCOUNT, FakeTwilio, connect, fake_twilio

PUBLIC = "https://studio.example.com"
WORKSPACE = "WS" + "4" * 32


@pytest.fixture(name="twilio")
def twilio_fixture(settings, team) -> Iterator[FakeTwilio]:
    connect(team)
    with fake_twilio({TWILIO_ACCOUNT: AUTH_TOKEN}) as server:
        for name in ("API", "CONVERSATIONS", "TASKROUTER", "FLEX_API", "STUDIO", "MEDIA"):
            setattr(settings, f"TWILIO_{name}_BASE", server.base)
        settings.TWILIO_WEBHOOK_BASE_URL = PUBLIC
        settings.TWILIO_TASKROUTER_WORKSPACE_SID = WORKSPACE
        yield server


def drain(now: datetime | None = None) -> list[str]:
    """Send every pending request once, at `now`, as the worker's tasks would."""
    now = now or timezone.now()
    pending = OutboundRequest.objects.filter(status=OutboundStatus.PENDING).order_by("id")
    return [outbox.send(pk, now) for pk in pending.values_list("pk", flat=True)]


def post(path: str, params: dict[str, str], **kwargs: Any) -> Any:
    """A signed webhook, as Twilio sends it to the public URL (TWILIO_WEBHOOK_BASE_URL)."""
    return twilio_support.post(path, params, signed_url=PUBLIC + path, **kwargs)
