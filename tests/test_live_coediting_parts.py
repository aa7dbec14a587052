"""What a stale edit keeps when part of it lost to someone else's change, and what the
sender is told about the part it lost (docs/protocol.md, "Concurrent edits"), on the flow
websocket."""

from __future__ import annotations

import pytest

from editor import services
from editor.models import Flow
from tests.live_support import Live, run

pytestmark = pytest.mark.django_db(transaction=True)

HERE, THERE, ELSEWHERE = {"x": 10, "y": 500}, {"x": 700, "y": 700}, {"x": 60, "y": 950}


def states(flow: Flow) -> dict:
    return {s["name"]: s for s in services.export_flow(Flow.objects.get(pk=flow.pk))["states"]}


def together(alice, bob, flow, first: list, second: list) -> dict:
    """alice's edit, then bob's made on the same version: bob's ack."""

    async def scenario():
        one, two = Live(alice, flow.sid), Live(bob, flow.sid)
        base = (await one.open())["version"]
        await two.open()
        await one.ask({"type": "doc.edit", "base": base, "ops": first})
        answer = await two.ask({"type": "doc.edit", "base": base, "ops": second})
        await one.close()
        await two.close()
        return answer

    return run(scenario)


def test_a_multi_selection_moved_while_someone_moved_one_of_it_moves_the_rest(tutorial, alice, bob):
    mine = {"op": "move_widgets", "offsets": {"split_1": HERE, "send_message_1": ELSEWHERE}}
    theirs = {"op": "move_widgets", "offsets": {"send_message_1": THERE}}
    ack = together(alice, bob, tutorial, [theirs], [mine])
    assert ack["ops"] == [{"op": "move_widgets", "offsets": {"split_1": HERE}}]
    [lost] = ack["dropped"]
    assert (lost["field"], lost["by"], lost["value"]) == ("send_message_1/offset", "alice", THERE)
    now = states(tutorial)
    assert now["split_1"]["properties"]["offset"] == HERE
    assert now["send_message_1"]["properties"]["offset"] == THERE


def test_a_delete_of_several_keeps_deleting_those_nobody_changed_since(tutorial, alice, bob):
    theirs = {"op": "set_properties", "name": "send_message_2", "set": {"body": "Kept"}}
    mine = {"op": "delete_widgets", "names": ["send_message_1", "send_message_2"]}
    ack = together(alice, bob, tutorial, [theirs], [mine])
    assert ack["ops"] == [{"op": "delete_widgets", "names": ["send_message_1"]}]
    assert [d["field"] for d in ack["dropped"]] == ["send_message_2"]
    now = states(tutorial)
    assert "send_message_1" not in now and now["send_message_2"]["properties"]["body"] == "Kept"


def test_an_operation_that_no_longer_applies_names_no_winning_value(tutorial, alice, bob):
    """Nobody changed send_message_2's transition: its target went. The ack gives no value
    that 'won' (the canvas would say someone else's change to the transition won)."""
    gone = {"op": "delete_widgets", "names": ["send_message_3"]}
    connect = {"op": "connect", "name": "send_message_2", "index": 0, "next": "send_message_3"}
    ack = together(alice, bob, tutorial, [gone], [connect])
    [lost] = ack["dropped"]
    assert lost["field"] == "send_message_2/transitions/0"
    assert lost["value"] is None and lost["by"] is None
    assert "send_message_3" in lost["reason"]


def added(name: str, next_: str | None = None) -> dict:
    state = {
        "name": name,
        "type": "send-message",
        "transitions": [{"event": "sent", "next": next_}, {"event": "failed"}],
        "properties": {"offset": {"x": 0, "y": 0}, "body": name},
    }
    return {"op": "add_widget", "state": state}


def test_a_pasted_pair_renamed_meanwhile_stays_wired_to_itself(tutorial, alice, bob):
    """bob pastes two widgets, the first pointing at the second, under the names alice's
    own paste took first: both of bob's get free names, and his first still points at his
    second, not at alice's widget of its old name."""
    theirs = [added("send_message_4"), added("send_message_5")]
    mine = [added("send_message_4", "send_message_5"), added("send_message_5")]
    ack = together(alice, bob, tutorial, theirs, mine)
    assert ack["dropped"] == []
    assert ack["renamed"] == {
        "send_message_4": "send_message_6",
        "send_message_5": "send_message_7",
    }
    now = states(tutorial)
    assert now["send_message_6"]["transitions"][0]["next"] == "send_message_7"
    assert now["send_message_4"]["transitions"][0].get("next") is None
