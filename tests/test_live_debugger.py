"""The step debugger over the flow websocket (docs/debugger.md, docs/protocol.md): every
frame the server sends is checked against docs/protocol.schema.json (tests/live_support.py).

The Conversations tutorial: Trigger -> send_and_reply_1 -> split_1 -> send_message_1 (yes)
| send_message_2 (no) | send_message_3 (anything else)."""

from __future__ import annotations

import pytest

from editor import services
from editor.models import Breakpoint, Execution
from editor.services.executions import receive_message
from tests.live_support import Live, run, texts

pytestmark = pytest.mark.django_db(transaction=True)

YES = "Great! We like you too. Bots and humans, best friends forever."
NO = "That's okay. Bots have thick skin. Have a nice day!"


def debug_entries(frame):
    return [(e["event"], e.get("widget")) for e in frame["entries"] if e["kind"] == "debug"]


def steps(frame):
    return [(e["from"], e["to"]) for e in frame["entries"] if e["kind"] == "step"]


def test_breakpoints_are_each_users_own_and_survive_a_reload(tutorial, alice, carol):
    async def scenario():
        owner, viewer = Live(alice, tutorial.sid), Live(carol, tutorial.sid)
        await owner.open()
        await viewer.open()
        set_ = await owner.ask(
            {"type": "debug.breakpoint", "widget": "split_1", "condition": "1 == 1"}
        )
        mine = await viewer.ask({"type": "debug.breakpoint", "widget": "send_message_1"})
        unknown = await owner.ask({"type": "debug.breakpoint", "widget": "nope"})
        trigger = await owner.ask({"type": "debug.breakpoint", "widget": "Trigger"})
        await owner.close()
        again = Live(alice, tutorial.sid)
        hello = await again.open()
        removed = await again.ask({"type": "debug.breakpoint", "widget": "split_1", "remove": True})
        await again.close()
        await viewer.close()
        return set_, mine, unknown, trigger, hello, removed

    set_, mine, unknown, trigger, hello, removed = run(scenario)
    assert set_ == {
        "type": "debug.breakpoints",
        "breakpoints": [{"widget": "split_1", "condition": "1 == 1"}],
        "ref": set_["ref"],
    }
    # A viewer may debug their own runs; they see only their own breakpoints.
    assert mine["breakpoints"] == [{"widget": "send_message_1", "condition": ""}]
    assert unknown["type"] == "error" and unknown["code"] == "invalid"
    assert "nope is not a widget of this flow" in unknown["message"]
    assert trigger["code"] == "invalid"
    assert hello["breakpoints"] == [{"widget": "split_1", "condition": "1 == 1"}]
    assert removed["breakpoints"] == []
    assert Breakpoint.objects.filter(user=carol).count() == 1


def test_pause_edit_step_continue_and_a_reload_mid_pause(tutorial, alice):
    Breakpoint.objects.create(flow=tutorial, user=alice, widget="split_1")

    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "message", "body": "Hi"})
        sid = started["execution"]["sid"]
        busy = await live.ask({"type": "run.continue", "execution": sid})
        paused = await live.ask({"type": "run.reply", "execution": sid, "body": "yes"})
        path = "widgets.send_and_reply_1.inbound.Body"
        edited = await live.ask({"type": "run.edit", "execution": sid, "path": path, "value": "no"})
        await live.close()
        # A reload: a new tab's snapshot shows the pause and the controls work from it.
        tab = Live(alice, tutorial.sid)
        await tab.open()
        snapshot = await tab.ask({"type": "run.watch", "execution": sid})
        stepped = await tab.ask({"type": "run.step", "execution": sid})
        done = await tab.ask({"type": "run.continue", "execution": sid})
        await tab.close()
        return busy, paused, edited, snapshot, stepped, done

    busy, paused, edited, snapshot, stepped, done = run(scenario)
    assert busy["code"] == "not_waiting" and "not paused" in busy["message"]
    execution = paused["execution"]
    assert execution["wait"]["kind"] == "pause" and execution["wait"]["widget"] == "split_1"
    assert execution["debug"]["pause"] == {"reason": "breakpoint", "condition": "", "error": None}
    assert debug_entries(paused) == [("paused", "split_1")]
    assert texts(paused["entries"]) == []  # nothing after the pause has run
    assert edited["entries"] == [
        {
            "seq": edited["entries"][0]["seq"],
            "at": edited["entries"][0]["at"],
            "kind": "debug",
            "event": "edit",
            "source": "test",
            "widget": "split_1",
            "path": "widgets.send_and_reply_1.inbound.Body",
            "value": "no",
        }
    ]
    context = edited["execution"]["context"]
    assert context["widgets"]["send_and_reply_1"]["inbound"]["Body"] == "no"
    assert snapshot["type"] == "run.snapshot"
    assert snapshot["execution"]["wait"]["kind"] == "pause"
    assert snapshot["execution"]["debug"]["pause"]["reason"] == "breakpoint"
    assert [e["kind"] for e in snapshot["entries"]].count("debug") == 2
    # Step: split_1 runs (on the edited reply) and the run pauses before the next widget.
    assert steps(stepped) == [("split_1", "send_message_2")]
    assert stepped["execution"]["wait"]["widget"] == "send_message_2"
    assert stepped["execution"]["debug"]["pause"]["reason"] == "step"
    assert debug_entries(stepped) == [("step", None), ("paused", "send_message_2")]
    assert texts(done["entries"]) == [NO]
    assert done["execution"]["status"] == "ended" and done["execution"]["debug"]["pause"] is None
    # The run's history is stored with it: the edit among its steps.
    sid = done["execution"]["sid"]
    stored = Execution.objects.get(sid=sid).transcript.all()
    assert [e.as_json()["event"] for e in stored if e.kind == "debug"] == [
        "paused",
        "edit",
        "step",
        "paused",
        "continue",
    ]


def test_run_to_a_widget_and_a_condition_that_does_not_hold(tutorial, alice):
    Breakpoint.objects.create(flow=tutorial, user=alice, widget="send_and_reply_1")
    Breakpoint.objects.create(
        flow=tutorial, user=alice, widget="split_1", condition="widgets.send_and_reply_1 == nil"
    )

    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "message", "body": "Hi"})
        sid = started["execution"]["sid"]
        ran = await live.ask({"type": "run.run_to", "execution": sid, "widget": "send_message_1"})
        replied = await live.ask({"type": "run.reply", "execution": sid, "body": "yes"})
        bad = await live.ask({"type": "run.run_to", "execution": sid, "widget": "nope"})
        stale = {"type": "run.continue", "execution": sid, "widget": "split_1"}
        late = await live.ask(stale)
        await live.close()
        return started, ran, replied, bad, late

    started, ran, replied, bad, late = run(scenario)
    assert started["execution"]["wait"]["widget"] == "send_and_reply_1"
    assert started["execution"]["wait"]["kind"] == "pause"
    assert ran["execution"]["wait"]["kind"] == "reply"
    assert ran["execution"]["debug"]["run_to"] == "send_message_1"
    # split_1's condition is false by then, so the run goes on to the run-to target.
    assert replied["execution"]["wait"]["widget"] == "send_message_1"
    assert replied["execution"]["debug"]["pause"]["reason"] == "run_to"
    assert bad["code"] == "invalid" and "nope" in bad["message"]
    # A control that names the widget it saw paused is refused once the run is elsewhere.
    assert late["code"] == "not_waiting" and "split_1 is not waiting" in late["message"]


def test_edits_are_checked(tutorial, alice):
    Breakpoint.objects.create(flow=tutorial, user=alice, widget="send_and_reply_1")

    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "message", "body": "Hi"})
        sid = started["execution"]["sid"]
        answers = []
        for path, value in [
            ("flow.data.x", 1),
            ("trigger.message.Body", "x"),
            ("flow.variables.big", "x" * 20_000),
        ]:
            edit = {"type": "run.edit", "execution": sid, "path": path, "value": value}
            answers.append(await live.ask(edit))
        nan = await live.ask(
            {"type": "run.edit", "execution": sid, "path": "flow.variables.n", "value": None}
        )
        await live.send({"type": "run.edit", "execution": sid, "path": "flow.variables.n"})
        missing = await live.receive()
        await live.close()
        return answers, nan, missing

    answers, ok, missing = run(scenario)
    assert [a["code"] for a in answers] == ["invalid"] * 3
    assert "cannot be edited" in answers[0]["message"]
    assert "larger than 16 KB" in answers[2]["message"]
    assert ok["type"] == "run.delta"
    assert ok["execution"]["context"]["flow"]["variables"] == {"n": None}
    assert missing["code"] == "bad_message"


def test_only_the_tester_controls_a_run_and_real_runs_never_pause(tutorial, alice, bob):
    Breakpoint.objects.create(flow=tutorial, user=alice, widget="send_and_reply_1")

    async def scenario():
        live, other = Live(alice, tutorial.sid), Live(bob, tutorial.sid)
        await live.open()
        await other.open()
        started = await live.ask({"type": "run.start", "trigger": "message", "body": "Hi"})
        sid = started["execution"]["sid"]
        refused = await other.ask({"type": "run.continue", "execution": sid})
        await live.close()
        await other.close()
        return refused

    refused = run(scenario)
    assert refused["code"] == "forbidden"
    assert "Only the tester who started this run" in refused["message"]


def test_start_anywhere_with_a_seed(tutorial, alice):
    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        seed = {"widgets": {"send_and_reply_1": {"inbound": {"Body": "yes"}}}}
        frame = {"type": "run.start", "trigger": "message", "at": "split_1", "seed": seed}
        started = await live.ask(frame)
        bad_seed = await live.ask({**frame, "seed": {"contact": {}}})
        bad_at = await live.ask({**frame, "at": "nope"})
        await live.close()
        return started, bad_seed, bad_at

    started, bad_seed, bad_at = run(scenario)
    assert debug_entries(started) == [("started", "split_1")]
    assert steps(started) == [("split_1", "send_message_1"), ("send_message_1", "Ended")]
    assert texts(started["entries"]) == [YES]
    assert bad_seed["code"] == "invalid"
    assert "seed.contact is not part of a seed" in bad_seed["message"]
    assert bad_at["code"] == "invalid" and "nope is not a widget" in bad_at["message"]


def test_a_real_contacts_run_never_pauses(tutorial, alice):
    Breakpoint.objects.create(flow=tutorial, user=alice, widget="send_and_reply_1")
    services.publish_flow(tutorial, commit_message="live")
    outcome = receive_message(
        tutorial,
        contact="+15550001111",
        flow_address="+15550002222",
        payload={"From": "+15550001111", "To": "+15550002222", "Body": "Hi"},
    )
    execution = outcome.execution
    assert "debug" not in execution.state
    assert execution.wait["kind"] == "reply"


def test_a_breakpoint_set_mid_run_counts_for_what_follows(tutorial, carol):
    async def scenario():
        live = Live(carol, tutorial.sid)  # a viewer, debugging their own run
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "message", "body": "Hi"})
        sid = started["execution"]["sid"]
        await live.ask({"type": "debug.breakpoint", "widget": "split_1"})
        paused = await live.ask({"type": "run.reply", "execution": sid, "body": "yes"})
        done = await live.ask({"type": "run.continue", "execution": sid})
        await live.close()
        return started, paused, done

    started, paused, done = run(scenario)
    assert started["execution"]["debug"]["tester"] == carol.pk
    assert paused["execution"]["wait"]["kind"] == "pause"
    assert texts(done["entries"]) == [YES]


def test_the_longest_name_a_widget_may_have_takes_a_breakpoint(tutorial, alice):
    """Widget names go up to 100 characters (editor/flowspec/schema.json): so do the
    debugger's frames and the stored breakpoints."""
    long_name = "check_" + "x" * 94
    op = {"op": "rename_widget", "name": "split_1", "new_name": long_name}
    services.apply_edit(tutorial, base_version=tutorial.version, ops=[op], user=alice)

    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        set_ = await live.ask({"type": "debug.breakpoint", "widget": long_name})
        started = await live.ask({"type": "run.start", "trigger": "message", "body": "Hi"})
        sid = started["execution"]["sid"]
        paused = await live.ask({"type": "run.reply", "execution": sid, "body": "yes"})
        done = await live.ask({"type": "run.continue", "execution": sid, "widget": long_name})
        await live.close()
        return set_, paused, done

    set_, paused, done = run(scenario)
    assert set_["breakpoints"] == [{"widget": long_name, "condition": ""}]
    assert Breakpoint.objects.get(user=alice).widget == long_name
    assert (paused["execution"]["wait"]["kind"], paused["execution"]["wait"]["widget"]) == (
        "pause",
        long_name,
    )
    assert texts(done["entries"]) == [YES]
