"""The flow websocket's limits, mocks, and timers fired by a worker in another process."""

from __future__ import annotations

import json
import threading
import time

import pytest
from channels.db import database_sync_to_async
from django.db import connection

from editor import realtime, services
from editor.consumers import flow as consumer
from editor.models import Execution, WidgetMock
from editor.samples import load_sample
from tests.live_support import Live, run, texts

pytestmark = pytest.mark.django_db(transaction=True)
MOCK = {
    "status": 200,
    "headers": {"Content-Type": "application/json"},
    "body": json.dumps({"found": True, "status": "shipped", "shipped_on": "May 4"}),
}


@pytest.fixture
def chatbot(team, alice):
    return services.create_flow(team, friendly_name="Bot", definition=load_sample("sms-chatbot"))


def test_bad_frames_get_a_clear_error_and_change_nothing(tutorial, alice, settings):
    settings.WEBSOCKET_MAX_FRAME_BYTES = 2000

    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        answers = []
        for text in ("not json", "[1]", '{"type": "run.fly"}', "x" * 3000, '{"a": NaN}'):
            await live.socket.send_to(text_data=text)
            answers.append(await live.receive())
        await live.socket.send_to(bytes_data=b"\x00")
        answers.append(await live.receive())
        answers.append(await live.ask({"type": "run.start", "trigger": "fax"}))
        answers.append(await live.ask({"type": "run.reply", "execution": "FN1", "body": "x"}))
        await live.close()
        return answers

    answers = run(scenario)
    codes = [a["code"] for a in answers]
    assert codes == ["bad_message"] * 3 + ["frame_too_large"] + ["bad_message"] * 4
    assert "trigger" in answers[6]["message"] and "execution" in answers[7]["message"]
    assert answers[3]["message"] == (
        "Too large to send: the server reads at most 2000 bytes in one message "
        "(this one has 3000); send less, e.g. shorter text or parameters"
    )
    assert not Execution.objects.exists()


def test_too_many_messages_are_refused_with_a_rate_error(tutorial, alice, settings):
    settings.WEBSOCKET_RATE_PER_SECOND = 1
    settings.WEBSOCKET_BURST = 3

    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        for n in range(5):
            await live.send({"type": "ping", "ref": str(n)})
        answers = [await live.receive() for _ in range(5)]
        await live.close()
        return answers

    answers = run(scenario)
    assert [a["type"] for a in answers[:3]] == ["pong"] * 3
    assert [a["code"] for a in answers[3:]] == ["rate_limited"] * 2


def test_mocks_are_set_by_editors_shared_live_and_used_by_test_runs(chatbot, alice, carol):
    async def scenario():
        editor, viewer = Live(alice, chatbot.sid), Live(carol, chatbot.sid)
        await editor.open()
        await viewer.open()
        refused = await viewer.ask(
            {"type": "mocks.set", "widget": "http_order_lookup", "mock": MOCK}
        )
        await editor.send({"type": "mocks.set", "widget": "http_order_lookup", "mock": MOCK})
        shared = [await editor.receive(), await viewer.receive()]
        wrong = await editor.ask({"type": "mocks.set", "widget": "menu", "mock": MOCK})
        started = await viewer.ask({"type": "run.start", "trigger": "message"})
        sid = started["execution"]["sid"]
        await viewer.ask({"type": "run.reply", "execution": sid, "body": "1"})
        looked_up = await viewer.ask({"type": "run.reply", "execution": sid, "body": "OWL-123"})
        again = Live(alice, chatbot.sid)
        hello = await again.open()
        for live in (editor, viewer, again):
            await live.close()
        return refused, shared, wrong, looked_up, hello

    refused, shared, wrong, looked_up, hello = run(scenario)
    assert refused["code"] == "forbidden"
    assert all(s["type"] == "mocks" and s["mocks"]["http_order_lookup"] == MOCK for s in shared)
    assert shared[0]["changed_by"] == "alice"
    assert wrong["code"] == "invalid" and "menu" in wrong["message"]
    http = looked_up["execution"]["context"]["widgets"]["http_order_lookup"]
    assert http["status_code"] == 200 and http["parsed"]["status"] == "shipped"
    assert any("shipped on May 4" in text for text in texts(looked_up["entries"]))
    assert hello["mocks"] == {"http_order_lookup": MOCK}, "mocks are kept with the flow"


def test_removing_a_mock_makes_the_request_real_again(chatbot, alice):
    async def scenario():
        live = Live(alice, chatbot.sid)
        await live.open()
        await live.send({"type": "mocks.set", "widget": "http_order_lookup", "mock": MOCK})
        await live.receive()
        await live.send({"type": "mocks.set", "widget": "http_order_lookup", "mock": None})
        removed = await live.receive()
        await live.close()
        return removed

    assert run(scenario)["mocks"] == {}
    assert not WidgetMock.objects.exists()


def test_a_widget_with_the_longest_name_a_widget_may_have_can_have_a_mock(chatbot, alice):
    """Widget names go up to 100 characters (editor/flowspec/schema.json); so do mocks'."""
    long_name = "order_lookup_" + "x" * 87
    op = {"op": "rename_widget", "name": "http_order_lookup", "new_name": long_name}
    services.apply_edit(chatbot, base_version=chatbot.version, ops=[op], user=alice)

    async def scenario():
        live = Live(alice, chatbot.sid)
        await live.open()
        await live.send({"type": "mocks.set", "widget": long_name, "mock": MOCK})
        shared = await live.receive()
        started = await live.ask({"type": "run.start", "trigger": "message"})
        sid = started["execution"]["sid"]
        await live.ask({"type": "run.reply", "execution": sid, "body": "1"})
        looked_up = await live.ask({"type": "run.reply", "execution": sid, "body": "OWL-123"})
        await live.close()
        return shared, looked_up

    shared, looked_up = run(scenario)
    assert len(long_name) == 100
    assert shared["type"] == "mocks" and shared["mocks"] == {long_name: MOCK}
    http = looked_up["execution"]["context"]["widgets"][long_name]
    assert http["status_code"] == 200 and http["parsed"]["status"] == "shipped"
    assert WidgetMock.objects.get(flow=chatbot).widget == long_name


def test_a_worker_timeout_reaches_the_panel_without_a_shared_channel_layer(
    team, alice, monkeypatch
):
    """The embedded default: the worker is another process and its broadcast reaches no
    consumer here, so the consumer looks in the database once the timer is due."""
    definition = load_sample("conversations-tutorial")
    definition["states"][1]["properties"]["timeout"] = "1"
    flow = services.create_flow(team, friendly_name="Quick", definition=definition)
    monkeypatch.setattr(consumer, "TIMER_GRACE", 0.2)

    def worker(sid: str, wait_id: int) -> None:
        time.sleep(1.2)
        try:
            with monkeypatch.context() as m:
                m.setattr(realtime, "send", lambda group, message: None)  # another process
                services.fire_timeout(sid, wait_id)
        finally:
            connection.close()  # this thread's own connection, or the test database stays busy

    async def scenario():
        live = Live(alice, flow.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "message"})
        execution = await database_sync_to_async(Execution.objects.get)(
            sid=started["execution"]["sid"]
        )
        threading.Thread(target=worker, args=(execution.sid, execution.wait_id)).start()
        delta = await live.receive(timeout=6)
        await live.close()
        return delta

    delta = run(scenario)
    assert delta["type"] == "run.delta" and "ref" not in delta
    assert delta["entries"][0] == {**delta["entries"][0], "input": "timeout", "source": "worker"}
    assert delta["execution"]["status"] == "ended"


def test_an_idle_socket_stays_open_through_the_channel_layers_quiet_waits(tutorial, alice):
    """With Redis, a consumer's wait for messages is a 5-second BZPOPMIN; a read timeout
    no longer than that would end idle connections (no frame for a while) with an error."""

    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        quiet = await live.nothing(timeout=11)
        pong = await live.ask({"type": "ping"})
        await live.close()
        return quiet, pong

    quiet, pong = run(scenario)
    assert quiet and pong["type"] == "pong"
