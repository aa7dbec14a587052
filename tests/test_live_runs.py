"""Test executions over the flow websocket (docs/protocol.md): every frame the server sends
is checked against docs/protocol.schema.json by tests/live_support.py."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from editor import services
from editor.models import Execution, Membership, TranscriptEntry
from editor.samples import load_sample
from tests.live_support import HOST, Live, run, texts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ivr(team, alice):
    return services.create_flow(team, friendly_name="IVR", definition=load_sample("ivr-phone-tree"))


def test_it_says_hello_with_the_role_and_limits(tutorial, alice, carol):
    async def scenario():
        owner, viewer = Live(alice, tutorial.sid), Live(carol, tutorial.sid)
        hello = await owner.open()
        seen = await viewer.open()
        await owner.close()
        await viewer.close()
        return hello, seen

    hello, seen = run(scenario)
    assert hello["flow"] == {"sid": tutorial.sid, "friendly_name": "Tutorial"}
    assert (hello["role"], hello["can_edit"]) == ("owner", True)
    assert (seen["role"], seen["can_edit"]) == ("viewer", False)
    assert hello["limits"]["max_frame_bytes"] == 64 * 1024


def test_it_refuses_anonymous_outsiders_and_unknown_flows_alike(tutorial, dave):
    from django.contrib.auth.models import AnonymousUser

    async def scenario():
        anonymous = await Live(AnonymousUser(), tutorial.sid).refused()
        outsider = await Live(dave, tutorial.sid).refused()
        unknown = await Live(dave, "FW" + "0" * 32).refused()
        return anonymous, outsider, unknown

    assert run(scenario) == (4401, 4404, 4404)


def test_it_refuses_a_page_of_another_site(tutorial, alice):
    async def scenario():
        return await Live(alice, tutorial.sid, origin=(b"origin", b"https://evil.test")).refused()

    run(scenario)


def test_an_unknown_path_is_closed_not_a_server_error(alice):
    from channels.testing import WebsocketCommunicator

    from studio_clone.asgi import application

    async def scenario():
        socket = WebsocketCommunicator(
            application, "/ws/nothing/", [HOST, (b"origin", b"http://testserver")]
        )
        socket.scope["user"] = alice
        connected, code = await socket.connect(timeout=5)
        return connected, code

    assert run(scenario) == (False, 4404)


def test_the_conversations_tutorial_runs_from_the_conversation_trigger(tutorial, alice):
    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "conversation", "body": "Hello"})
        sid = started["execution"]["sid"]
        replied = await live.ask({"type": "run.reply", "execution": sid, "body": "yes"})
        await live.close()
        return started, replied

    started, replied = run(scenario)
    assert started["type"] == "run.snapshot"
    execution = started["execution"]
    assert execution["origin"] == "test" and execution["trigger"] == "conversation"
    assert execution["wait"]["widget"] == "send_and_reply_1"
    assert set(execution["wait"]["events"]) == {"timeout", "deliveryFailure"}
    message = execution["context"]["trigger"]["conversation"]
    for key in ("ConversationSid", "MessageSid", "Body", "Author", "Source", "ParticipantSid"):
        assert message[key], key
    assert message["ConversationSid"].startswith("CH") and message["MessageSid"].startswith("IM")
    assert [p["role"] for p in execution["participants"]] == ["contact", "flow"]
    assert texts(started["entries"]) == ["Hi, do you like bots?"]
    assert started["entries"][0] == {**started["entries"][0], "kind": "input", "body": "Hello"}
    # The reply: a delta that goes on from the snapshot's last entry.
    assert replied["type"] == "run.delta"
    assert replied["entries"][0]["seq"] == execution["last_seq"] + 1
    assert texts(replied["entries"]) == [
        "Great! We like you too. Bots and humans, best friends forever."
    ]
    steps = [(e["from"], e["event"], e["to"]) for e in replied["entries"] if e["kind"] == "step"]
    assert ("split_1", "match", "send_message_1") in steps
    assert replied["execution"]["status"] == "ended"
    assert replied["entries"][-1]["kind"] == "ended"
    # The reply reached the flow as Conversations deliver it: the same conversation.
    reply = replied["execution"]["context"]["widgets"]["send_and_reply_1"]["inbound"]
    assert reply["ConversationSid"] == message["ConversationSid"]


def test_a_test_execution_is_stored_like_any_other(tutorial, alice):
    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "message", "body": "Hi"})
        await live.close()
        return started["execution"]["sid"]

    sid = run(scenario)
    execution = Execution.objects.get(sid=sid)
    assert execution.test_user and execution.origin == "test"
    assert execution.steps.count() == 1  # Trigger -> send_and_reply_1
    assert list(TranscriptEntry.objects.filter(execution=execution).values_list("seq", flat=True))
    assert execution.state["entries"] == TranscriptEntry.objects.filter(execution=execution).count()


def test_two_tabs_watching_one_execution_both_follow_it(tutorial, alice, carol):
    async def scenario():
        driver, watcher = Live(alice, tutorial.sid), Live(carol, tutorial.sid)
        await driver.open()
        await watcher.open()
        started = await driver.ask({"type": "run.start", "trigger": "message"})
        sid = started["execution"]["sid"]
        watched = await watcher.ask({"type": "run.watch", "execution": sid})
        replied = await driver.ask({"type": "run.reply", "execution": sid, "body": "no"})
        live = await watcher.receive()
        quiet = await driver.nothing()
        await driver.close()
        await watcher.close()
        return watched, replied, live, quiet

    watched, replied, live, quiet = run(scenario)
    assert watched["type"] == "run.snapshot"
    assert live["type"] == "run.delta" and "ref" not in live
    assert live["entries"] == replied["entries"], "the same entries, time stamps included"
    assert live["entries"][0]["seq"] == watched["execution"]["last_seq"] + 1
    assert "That's okay. Bots have thick skin. Have a nice day!" in texts(live["entries"])
    assert quiet, "the driver got its delta as the answer, and no copy of it"


def test_a_reconnecting_tab_gets_exactly_what_it_missed(tutorial, alice):
    async def scenario():
        first = Live(alice, tutorial.sid)
        await first.open()
        started = await first.ask({"type": "run.start", "trigger": "message"})
        sid, seen = started["execution"]["sid"], started["execution"]["last_seq"]
        await first.close()
        other = Live(alice, tutorial.sid)
        await other.open()
        await other.ask({"type": "run.reply", "execution": sid, "body": "maybe"})
        await other.close()
        again = Live(alice, tutorial.sid)
        await again.open()
        caught_up = await again.ask({"type": "run.watch", "execution": sid, "after": seen})
        whole = await again.ask({"type": "run.watch", "execution": sid})
        await again.close()
        return started, caught_up, whole

    started, caught_up, whole = run(scenario)
    numbers = [e["seq"] for e in whole["entries"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert started["entries"] + caught_up["entries"] == [
        {**e, "at": e["at"]} for e in whole["entries"]
    ]
    assert "Sorry, I didn't understand that. Text us again and answer yes or no." in texts(
        caught_up["entries"]
    )


def test_the_panel_fires_the_timeout_and_a_delivery_failure(tutorial, alice):
    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        first = await live.ask({"type": "run.start", "trigger": "message"})
        timeout = {"type": "run.event", "execution": first["execution"]["sid"]}
        timed_out = await live.ask({**timeout, "event": "timeout"})
        second = await live.ask({"type": "run.start", "trigger": "message"})
        failure = {"type": "run.event", "execution": second["execution"]["sid"]}
        failed = await live.ask({**failure, "event": "deliveryFailure"})
        await live.close()
        return timed_out, failed

    timed_out, failed = run(scenario)
    assert [e["event"] for e in timed_out["entries"] if e["kind"] == "step"] == ["timeout"]
    assert timed_out["execution"]["status"] == "ended"
    widgets = failed["execution"]["context"]["widgets"]
    assert widgets["send_and_reply_1"]["outbound"]["Status"] == "undelivered"
    assert [e["event"] for e in failed["entries"] if e["kind"] == "step"] == ["deliveryFailure"]


def test_pressing_start_again_restarts_the_test_run(tutorial, alice):
    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        first = await live.ask({"type": "run.start", "trigger": "message"})
        second = await live.ask({"type": "run.start", "trigger": "message"})
        await live.close()
        return first["execution"]["sid"], second

    first, second = run(scenario)
    assert Execution.objects.get(sid=first).ended_reason == "API_ENDED"
    assert second["execution"]["status"] == "active"


def test_a_call_through_the_ivr_with_the_keypad(ivr, alice):
    async def scenario():
        live = Live(alice, ivr.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "call"})
        sid = started["execution"]["sid"]
        pressed = await live.ask({"type": "run.gather", "execution": sid, "digits": "2"})
        connected = await live.ask(
            {"type": "run.event", "execution": sid, "event": "callCompleted"}
        )
        await live.close()
        return started, pressed, connected

    started, pressed, connected = run(scenario)
    gather = started["execution"]["wait"]
    assert (gather["widget"], gather["action"]["verb"]) == ("gather_main_menu", "gather")
    assert {"keypress", "speech", "timeout"} <= set(gather["events"])
    assert pressed["entries"][0] == {**pressed["entries"][0], "input": "gather", "digits": "2"}
    dial = pressed["execution"]["wait"]
    assert (dial["widget"], dial["action"]["verb"]) == ("connect_reception", "dial")
    assert set(dial["events"]) == {"callCompleted", "hangup"}
    assert connected["execution"]["status"] == "ended"


def test_say_play_finishes_by_itself_in_a_test_call(ivr, alice):
    async def scenario():
        live = Live(alice, ivr.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "call"})
        sid = started["execution"]["sid"]
        hours = await live.ask({"type": "run.gather", "execution": sid, "digits": "1"})
        await live.close()
        return hours

    hours = run(scenario)
    said = [e for e in hours["entries"] if e["kind"] == "action" and e["verb"] == "say_play"]
    assert said and said[0]["widget"] == "say_opening_hours" and said[0]["say"]
    assert hours["execution"]["status"] == "ended"
    assert hours["execution"]["ended_reason"] == "FLOW_END"


def test_hanging_up_ends_the_call(ivr, alice):
    async def scenario():
        live = Live(alice, ivr.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "call"})
        ended = await live.ask({"type": "run.hangup", "execution": started["execution"]["sid"]})
        await live.close()
        return ended

    ended = run(scenario)
    assert ended["execution"]["ended_reason"] == "CALL_ENDED"


def test_a_step_context_is_served_on_request(tutorial, alice):
    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "message", "body": "Hey"})
        step = next(e for e in started["entries"] if e["kind"] == "step")
        context = await live.ask(
            {"type": "step.context", "execution": started["execution"]["sid"], "step": step["step"]}
        )
        await live.close()
        return context

    context = run(scenario)
    assert context["context"]["trigger"]["message"]["Body"] == "Hey"


def test_real_executions_can_be_watched_but_not_driven(tutorial, alice):
    services.publish_flow(tutorial, commit_message="live")
    outcome = services.start_execution(
        tutorial, kind="message", contact="+15551112222", flow_address="+15550001111"
    )

    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        sid = outcome.execution.sid
        watched = await live.ask({"type": "run.watch", "execution": sid})
        driven = await live.ask({"type": "run.reply", "execution": sid, "body": "yes"})
        await live.close()
        return watched, driven

    watched, driven = run(scenario)
    assert watched["execution"]["origin"] == "api"
    assert driven["type"] == "error" and driven["code"] == "forbidden"


def test_an_execution_of_another_flow_is_not_found(tutorial, ivr, alice):
    async def scenario():
        live = Live(alice, ivr.sid)
        await live.open()
        other = Live(alice, tutorial.sid)
        await other.open()
        started = await other.ask({"type": "run.start", "trigger": "message"})
        found = await live.ask({"type": "run.watch", "execution": started["execution"]["sid"]})
        await live.close()
        await other.close()
        return found

    assert run(scenario)["code"] == "not_found"


def test_a_member_removed_meanwhile_is_cut_off(tutorial, alice, carol):
    async def scenario():
        live = Live(carol, tutorial.sid)
        await live.open()
        await database_sync_to_async(Membership.objects.filter(user=carol).delete)()
        await live.send({"type": "run.start", "trigger": "message"})
        return await live.socket.receive_output(timeout=5)

    assert run(scenario) == {"type": "websocket.close", "code": 4404}


def test_two_testers_are_two_contacts_and_do_not_restart_each_other(tutorial, alice, bob):
    async def scenario():
        one, two = Live(alice, tutorial.sid), Live(bob, tutorial.sid)
        await one.open()
        await two.open()
        first = await one.ask({"type": "run.start", "trigger": "message"})
        second = await two.ask({"type": "run.start", "trigger": "message"})
        bad = await two.ask({"type": "run.start", "trigger": "message", "contact": "+1\x00"})
        await one.close()
        await two.close()
        return first["execution"], second["execution"], bad

    first, second, bad = run(scenario)
    assert first["contact"] != second["contact"]
    assert Execution.objects.get(sid=first["sid"]).status == "active"
    assert bad["code"] == "invalid" and "control characters" in bad["message"]


def test_an_answer_for_a_widget_the_run_has_left_is_refused(tutorial, alice):
    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "message"})
        sid = started["execution"]["sid"]
        stale = await live.ask(
            {"type": "run.event", "execution": sid, "event": "timeout", "widget": "split_1"}
        )
        right = await live.ask(
            {"type": "run.reply", "execution": sid, "body": "yes", "widget": "send_and_reply_1"}
        )
        await live.close()
        return stale, right

    stale, right = run(scenario)
    assert stale["code"] == "not_waiting" and "send_and_reply_1" in stale["message"]
    assert right["type"] == "run.delta"


def test_the_flow_page_gives_each_tester_their_own_default_contacts(tutorial, alice, bob):
    import html
    import json as json_module
    import re

    from django.test import Client

    pages = []
    for user in (alice, bob):
        client = Client()
        client.force_login(user)
        page = client.get(f"/flows/{tutorial.sid}/").content.decode()
        found = re.search(r'data-test-addresses="([^"]*)"', page)
        pages.append(json_module.loads(html.unescape(found.group(1))))
    assert pages[0]["sms"] != pages[1]["sms"]
    assert pages[0]["whatsapp"] == "whatsapp:" + pages[0]["sms"]
    assert pages[0]["flow_address"] == pages[1]["flow_address"]
