"""Fields the protocol's schema lets through but nothing stored can match: a widget name
with a NUL (PostgreSQL refuses any query that carries one) and a `run.watch` `after` past
what a database integer holds. Each is answered like any unknown widget or a seq past the
last entry, never with `internal` and never with an exception in the server log.

The Conversations tutorial: Trigger -> send_and_reply_1 -> split_1 -> ..."""

from __future__ import annotations

import logging

import pytest

from editor.models import Breakpoint, WidgetMock
from tests.live_support import Live, run

# NUL fails on PostgreSQL, the huge integer on SQLite: CI runs this on both.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.both_databases]
NUL_NAME = "split\x001"
MOCK = {"status": 200, "headers": {}, "body": "{}"}


@pytest.fixture
def faults(caplog):
    caplog.set_level(logging.ERROR)
    yield caplog
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_widget_name_with_a_nul_is_no_widget_of_the_flow(tutorial, alice, faults):
    Breakpoint.objects.create(flow=tutorial, user=alice, widget="split_1")

    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        answers = {
            "breakpoint": await live.ask({"type": "debug.breakpoint", "widget": NUL_NAME}),
            "unbreak": await live.ask(
                {"type": "debug.breakpoint", "widget": NUL_NAME, "remove": True}
            ),
            "mock": await live.ask({"type": "mocks.set", "widget": NUL_NAME, "mock": MOCK}),
            "at": await live.ask({"type": "run.start", "trigger": "message", "at": NUL_NAME}),
        }
        await live.send({"type": "mocks.set", "widget": NUL_NAME, "mock": None})
        started = await live.ask({"type": "run.start", "trigger": "message"})
        sid = started["execution"]["sid"]
        await live.ask({"type": "run.reply", "execution": sid, "body": "yes"})  # paused
        answers["run_to"] = await live.ask(
            {"type": "run.run_to", "execution": sid, "widget": NUL_NAME}
        )
        answers["ping"] = await live.ask({"type": "ping"})  # still open and answering
        await live.close()
        return answers

    answers = run(scenario)
    assert answers["breakpoint"]["code"] == "invalid"
    assert "is not a widget of this flow" in answers["breakpoint"]["message"]
    assert answers["unbreak"]["breakpoints"] == [{"widget": "split_1", "condition": ""}]
    assert answers["mock"]["code"] == "invalid"
    assert answers["at"]["code"] == "invalid"
    assert "is not a widget of this flow" in answers["at"]["message"]
    assert answers["run_to"]["code"] == "invalid"
    assert answers["ping"]["type"] == "pong"
    assert not WidgetMock.objects.exists()


def test_watching_after_a_seq_past_any_database_integer_sends_nothing_more(tutorial, alice, faults):
    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "message"})
        sid = started["execution"]["sid"]
        far = await live.ask({"type": "run.watch", "execution": sid, "after": 2**63})
        farther = await live.ask({"type": "run.watch", "execution": sid, "after": 10**30})
        await live.close()
        return started, far, farther

    started, far, farther = run(scenario)
    for answer in (far, farther):
        assert answer["type"] == "run.delta" and answer["entries"] == []
        assert answer["execution"]["last_seq"] == started["execution"]["last_seq"]
