"""What the tests of the executions pages share: the Conversations tutorial published with a
test user (the `flow` fixture) and another copy of it (`other_flow`), a signed-in client,
executions started and finished as a contact would, and the pages' URLs and rows."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from editor import services
from editor.models import Execution
from editor.samples import sample_text

NUMBER = "+15550000000"
TESTER = "+15557770000"
ROW_SID = re.compile(r'class="sid-link" href="[^"]+">(FN[0-9a-f]{32})<')


@pytest.fixture(name="flow")
def flow_fixture(team, alice):
    """The Conversations tutorial, published: it asks "do you like bots?" and waits."""
    flow = services.import_flow(team, sample_text("conversations-tutorial"), publish=True)
    services.set_test_users(flow, [TESTER])
    return flow


@pytest.fixture(name="other_flow")
def other_flow_fixture(team, alice):
    return services.import_flow(team, sample_text("conversations-tutorial"), publish=True)


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def start(flow, contact: str, body: str = "Hi") -> Execution:
    payload = {"From": contact, "To": NUMBER, "Body": body}
    return services.start_execution(
        flow, kind="message", contact=contact, flow_address=NUMBER, payload=payload
    ).execution


def finish(execution: Execution, answer: str = "yes") -> Execution:
    """The contact answers, and the tutorial runs to its end."""
    return services.deliver_event(
        execution, {"type": "reply", "message": {"Body": answer}}
    ).execution


def listed(response) -> list[str]:
    assert response.status_code == 200
    return ROW_SID.findall(response.content.decode())


def list_url(flow, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("flow_executions", args=[flow.sid]) + (f"?{query}" if query else "")


def detail_url(flow, execution) -> str:
    return reverse("execution_detail", args=[flow.sid, execution.sid])
