"""Rebasing an edit made on an older version (docs/protocol.md, "Concurrent edits"): what is
dropped leaves nothing of itself behind, so that the change log, which lists only what
applied, replays to the working copy every canvas must hold."""

from __future__ import annotations

import copy

import pytest

from editor import services
from editor.flowspec.edits import Working, apply
from editor.flowspec.studio_json import join_document, split_document
from editor.flowspec.validate import validate
from editor.models import Flow, FlowChange

pytestmark = pytest.mark.django_db

HERE = {"x": 1, "y": 2}


def replayed(flow: Flow, base: int) -> dict:
    """The document at `base` with every logged change since applied, as a canvas does."""
    head, states = split_document(services.export_flow(flow, revision=1))
    working = Working(states, head, positions={s.name: i for i, s in enumerate(states)})
    for change in FlowChange.objects.filter(flow=flow, version__gt=base).order_by("version"):
        apply(working, copy.deepcopy(change.ops))
    return join_document(working.head, working.states)


@pytest.mark.parametrize(
    "stale",
    [
        # A widget the editor had just renamed, a rename another editor's won meanwhile.
        {"op": "move_widgets", "offsets": {"send_message_1": HERE, "ghost": HERE}},
        # An offset that is not one, after the properties that went first.
        {"op": "update_widget", "name": "send_message_1", "properties": {}, "offset": "here"},
        {"op": "update_widget", "name": "send_message_1", "properties": {}, "transitions": 5},
    ],
)
def test_an_operation_dropped_while_rebasing_leaves_nothing_of_itself_behind(
    tutorial, alice, bob, stale
):
    base = tutorial.version
    rename = {"op": "rename_widget", "name": "split_1", "new_name": "check_answer"}
    services.apply_edit(tutorial, base_version=base, ops=[rename], user=alice)
    body = {"op": "set_properties", "name": "send_message_2", "set": {"body": "Bob's"}}

    edited = services.apply_edit(tutorial, base_version=base, ops=[stale, body], user=bob)

    assert [d.index for d in edited.dropped] == [0] and edited.ops == [body]
    flow = Flow.objects.get(pk=tutorial.pk)
    [message] = [s for s in services.export_flow(flow)["states"] if s["name"] == "send_message_1"]
    assert message == next(
        s for s in services.export_flow(flow, revision=1)["states"] if s["name"] == "send_message_1"
    ), "the dropped operation changed the widget"
    assert replayed(flow, base) == services.export_flow(flow), "the log no longer tells it"
    stored = [p.as_json() for p in validate(services.export_flow(flow))]
    assert [p.as_json() for p in edited.problems] == stored, "problems of a flow not stored"


def new_message(name: str, body: str) -> dict:
    return {
        "name": name,
        "type": "send-message",
        "transitions": [{"event": "sent"}, {"event": "failed"}],
        "properties": {
            "offset": {"x": 0, "y": 0},
            "from": "{{flow.channel.address}}",
            "to": "{{contact.channel.address}}",
            "body": body,
        },
    }


def test_two_editors_adding_a_widget_of_one_name_at_once_both_keep_theirs(tutorial, alice, bob):
    """Both canvases name a new widget the same (the smallest free number): the second to
    reach the server gets the next free name, and the rest of its edit follows it."""
    base = tutorial.version
    alices = new_message("send_message_4", "alice's")
    services.apply_edit(
        tutorial, base_version=base, ops=[{"op": "add_widget", "state": alices}], user=alice
    )
    ops = [
        {"op": "add_widget", "state": new_message("send_message_4", "bob's")},
        {"op": "connect", "name": "send_message_3", "index": 0, "next": "send_message_4"},
        {"op": "set_properties", "name": "send_message_4", "set": {"to": "+15550001111"}},
    ]

    edited = services.apply_edit(tutorial, base_version=base, ops=ops, user=bob)

    assert edited.dropped == [] and edited.renamed == {"send_message_4": "send_message_5"}
    states = {
        s["name"]: s for s in services.export_flow(Flow.objects.get(pk=tutorial.pk))["states"]
    }
    assert states["send_message_4"]["properties"]["body"] == "alice's"
    assert states["send_message_4"]["properties"]["to"] == "{{contact.channel.address}}"
    assert states["send_message_5"]["properties"]["body"] == "bob's"
    assert states["send_message_5"]["properties"]["to"] == "+15550001111"
    assert states["send_message_3"]["transitions"][0]["next"] == "send_message_5"
    assert replayed(Flow.objects.get(pk=tutorial.pk), base) == services.export_flow(
        Flow.objects.get(pk=tutorial.pk)
    ), "the log no longer tells it"


def test_an_add_sent_again_after_a_lost_connection_makes_no_copy(tutorial, bob):
    """bob's edit applied but its ack went with the connection: sent again on its old base,
    it meets its own new widget and is dropped, not added once more under another name."""
    base = tutorial.version
    ops = [{"op": "add_widget", "state": new_message("send_message_4", "bob's")}]
    services.apply_edit(tutorial, base_version=base, ops=ops, user=bob)

    again = services.apply_edit(tutorial, base_version=base, ops=ops, user=bob)

    assert again.ops == [] and again.renamed == {} and len(again.dropped) == 1
    names = [s["name"] for s in services.export_flow(Flow.objects.get(pk=tutorial.pk))["states"]]
    assert names.count("send_message_4") == 1 and "send_message_5" not in names
