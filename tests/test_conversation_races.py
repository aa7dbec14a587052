"""Races between Twilio's webhooks and the outbox, with real threads on the suite's
database (PostgreSQL in CI, SQLite too): two first messages of one conversation start one
execution; a status callback that beats the sender's commit is kept and applied."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from editor.models import EarlyReport, Execution, OutboundRequest
from editor.samples import load_sample
from editor.services import outbox

from .engine_support import trigger
from .local_server import QuietHandler, serving
from .outbox_support import drain, post, twilio_fixture  # noqa: F401
from .test_conversations import added
from .test_outbox import status_callback
from .test_short_transactions import in_thread
from .twilio_support import published, sms, webhook_path

CUSTOMER, AGENT = "+15551230001", "agent.ada"


class GateHandler(QuietHandler):
    """Answers once two requests are in: both webhooks' engines run at the same time."""

    def do_GET(self) -> None:
        self.server.arrived.append(self.path)
        self.server.barrier.wait(20)
        self.answer(200, json.dumps({"ok": True}).encode(), "application/json")


@pytest.fixture
def gate(settings) -> Iterator[Any]:
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    barrier = threading.Barrier(2)
    with serving(GateHandler, lambda s: s.barrier.abort(), barrier=barrier, arrived=[]) as server:
        yield server


def gated_flow(url: str) -> dict[str, Any]:
    """A conversation: fetch (held at the gate) -> ask -> end."""
    return {
        "description": "Gated",
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
        "states": [
            trigger(incomingConversationMessage="fetch"),
            {
                "name": "fetch",
                "type": "make-http-request",
                "transitions": [{"event": "success", "next": "ask"}, {"event": "failed"}],
                "properties": {
                    "offset": {"x": 0, "y": 200},
                    "method": "GET",
                    "content_type": "application/json;charset=utf-8",
                    "url": url,
                },
            },
            {
                "name": "ask",
                "type": "send-and-wait-for-reply",
                "transitions": [
                    {"event": "incomingMessage"},
                    {"event": "timeout"},
                    {"event": "deliveryFailure"},
                ],
                "properties": {
                    "offset": {"x": 0, "y": 400},
                    "from": "Concierge",
                    "body": "How can we help?",
                    "timeout": "3600",
                },
            },
        ],
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.both_databases
def test_two_first_messages_at_once_start_one_execution(team, twilio, gate):
    url = f"{gate.url}/gate"
    gated = published(team, gated_flow(url), "Gated")
    path = webhook_path(gated)
    first = in_thread(lambda: post(path, added("hello", 1, author=CUSTOMER)))
    second = in_thread(lambda: post(path, added("hi there", 2, author=AGENT)))
    for thread, outcome in (first, second):
        thread.join(30)
        assert "error" not in outcome, outcome.get("error")
        assert outcome["value"].status_code == 200
    assert len(gate.arrived) == 2  # both engines ran, at the same time
    [execution] = Execution.objects.filter(flow=gated)
    # The message that lost the race is the reply of the execution the other started.
    assert execution.status == "ended"
    assert execution.steps.filter(name="incomingMessage").count() == 1
    started = json.loads(execution.steps.get(transitioned_from="Trigger").context)
    bodies = {
        started["trigger"]["conversation"]["Body"],
        execution.context["widgets"]["ask"]["inbound"]["Body"],
    }
    assert bodies == {"hello", "hi there"}
    assert OutboundRequest.objects.filter(execution=execution).count() == 1


@pytest.mark.django_db
@pytest.mark.both_databases
def test_a_status_callback_that_beats_the_senders_commit_applies_once_the_sid_is_stored(
    team, twilio, monkeypatch
):
    tutorial = published(team, load_sample("conversations-tutorial"), "Tutorial")
    post(webhook_path(tutorial), sms("hi", "SM" + "1" * 32))
    real = outbox.call_twilio

    def answered_then_reported(row):
        sid, response = real(row)
        # Twilio reports the message undelivered before the sender has stored its SID.
        assert status_callback(row.execution, sid, "undelivered").status_code == 204
        assert EarlyReport.objects.filter(message_sid=sid).count() == 1
        return sid, response

    monkeypatch.setattr(outbox, "call_twilio", answered_then_reported)
    assert drain() == ["sent"]
    execution = Execution.objects.get()
    assert execution.status == "ended"
    assert execution.steps.filter(name="deliveryFailure").count() == 1
    assert execution.context["widgets"]["send_and_reply_1"]["outbound"]["ErrorCode"] == "30003"
    assert not EarlyReport.objects.exists()


@pytest.mark.django_db
def test_a_report_is_kept_only_while_a_message_is_unsent(team, twilio):
    tutorial = published(team, load_sample("conversations-tutorial"), "Tutorial")
    post(webhook_path(tutorial), sms("hi", "SM" + "1" * 32))
    execution = Execution.objects.get()
    for _ in range(2):  # the question is not sent yet: this may be its report
        assert status_callback(execution, "SM" + "5" * 32, "failed").status_code == 204
    assert EarlyReport.objects.count() == 1
    drain()
    # Everything is sent: a report of another SID is of no message of this flow.
    assert status_callback(execution, "SM" + "6" * 32, "failed").status_code == 204
    assert EarlyReport.objects.count() == 1
    execution.refresh_from_db()
    assert execution.status == "active"
