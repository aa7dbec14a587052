"""Canvas edits: versioned operations on the working copy (move, add and connect, rename,
delete, update), concurrent edits dropped or refused with who won, bad operations that
change nothing, problems kept on the working copy, publishing it, and a test user running
the draft. The editor API is tested in tests/test_editor_api.py."""

from __future__ import annotations

import json

import pytest

from editor import services
from editor.models import Flow, FlowChange
from editor.samples import load_sample
from editor.services import test_runs

from .edit_support import edit, states

pytestmark = pytest.mark.django_db


def test_moving_a_widget_changes_only_its_offset_and_bumps_the_version(tutorial, alice):
    before = tutorial.version
    result = edit(tutorial, {"op": "move_widgets", "offsets": {"split_1": {"x": 10.4, "y": -5}}})
    assert result.version == before + 1
    assert states(tutorial)["split_1"]["properties"]["offset"] == {"x": 10, "y": -5}
    assert [s["name"] for s in services.export_flow(tutorial)["states"]] == [
        s["name"] for s in load_sample("conversations-tutorial")["states"]
    ]


def test_a_concurrent_edit_of_the_same_field_is_dropped_and_says_who_won(tutorial, alice, bob):
    base = Flow.objects.get(pk=tutorial.pk).version
    edit(tutorial, {"op": "move_widgets", "offsets": {"split_1": {"x": 1, "y": 1}}}, user=alice)
    result = edit(
        tutorial,
        {"op": "move_widgets", "offsets": {"split_1": {"x": 9, "y": 9}}},
        {"op": "move_widgets", "offsets": {"send_message_1": {"x": 5, "y": 5}}},
        user=bob,
        base=base,
    )
    [lost] = result.dropped
    assert (lost.index, lost.field, lost.by) == (0, "split_1/offset", "alice")
    assert lost.value == {"x": 1, "y": 1}
    assert result.ops == [{"op": "move_widgets", "offsets": {"send_message_1": {"x": 5, "y": 5}}}]
    assert states(tutorial)["split_1"]["properties"]["offset"] == {"x": 1, "y": 1}
    assert states(tutorial)["send_message_1"]["properties"]["offset"] == {"x": 5, "y": 5}


def test_an_edit_older_than_the_change_log_is_refused_with_who_changed_what(tutorial, alice):
    base = Flow.objects.get(pk=tutorial.pk).version
    edit(tutorial, {"op": "move_widgets", "offsets": {"split_1": {"x": 1, "y": 1}}}, user=alice)
    FlowChange.objects.filter(flow=tutorial).delete()
    with pytest.raises(services.EditConflict) as caught:
        edit(tutorial, {"op": "move_widgets", "offsets": {"split_1": {"x": 9, "y": 9}}}, base=base)
    assert "alice changed this flow" in str(caught.value)


def test_adding_and_connecting_a_widget(tutorial):
    new = {
        "name": "send_message_9",
        "type": "send-message",
        "transitions": [{"event": "sent"}, {"event": "failed"}],
        "properties": {"offset": {"x": 0, "y": 900}, "from": "{{flow.channel.address}}"},
    }
    result = edit(
        tutorial,
        {"op": "add_widget", "state": new},
        {"op": "connect", "name": "send_message_1", "index": 0, "next": "send_message_9"},
    )
    assert states(tutorial)["send_message_1"]["transitions"][0]["next"] == "send_message_9"
    assert result.problems == []
    assert list(states(tutorial))[-1] == "send_message_9"


def test_renaming_rewrites_transitions_and_liquid_references(tutorial):
    edit(tutorial, {"op": "rename_widget", "name": "send_and_reply_1", "new_name": "ask"})
    after = states(tutorial)
    assert "send_and_reply_1" not in after
    assert after["Trigger"]["transitions"][0]["next"] == "ask"
    split = json.dumps(after["split_1"])
    assert "widgets.ask.inbound.Body" in split
    assert "send_and_reply_1" not in split
    names = [s["name"] for s in services.export_flow(tutorial)["states"]]
    assert names.index("ask") == 1  # keeps its place


def test_rename_leaves_similar_names_alone():
    from editor.flowspec.edits import reference_rewriter

    rewrite = reference_rewriter("http_1", "lookup")
    text = "{{widgets.http_1.parsed.a}} {{widgets.http_10.body}} {{ widgets['http_1'].x }}"
    assert (
        rewrite(text)
        == "{{widgets.lookup.parsed.a}} {{widgets.http_10.body}} {{ widgets['lookup'].x }}"
    )


def test_deleting_a_widget_unwires_transitions_to_it(tutorial):
    edit(tutorial, {"op": "delete_widgets", "names": ["send_message_1"]})
    after = states(tutorial)
    assert "send_message_1" not in after
    assert all(t.get("next") != "send_message_1" for s in after.values() for t in s["transitions"])


@pytest.mark.parametrize(
    ("op", "message"),
    [
        ({"op": "delete_widgets", "names": ["Trigger"]}, "Trigger cannot be deleted"),
        ({"op": "rename_widget", "name": "split_1", "new_name": "send_message_1"}, "already"),
        ({"op": "rename_widget", "name": "split_1", "new_name": "1bad"}, "not a widget name"),
        ({"op": "connect", "name": "split_1", "index": 99, "next": None}, "no transition"),
        ({"op": "move_widgets", "offsets": {"nope": {"x": 1, "y": 1}}}, "no widget named nope"),
        ({"op": "fly"}, "Unknown operation"),
        (
            {
                "op": "add_widget",
                "state": {"name": "x", "type": "send-message", "transitions": "no"},
            },
            "transitions must be a list",
        ),
        (
            {"op": "add_widget", "state": {"name": "x", "type": "set-variables", "properties": []}},
            "properties must be an object",
        ),
        (
            {"op": "update_widget", "name": "split_1", "offset": {"x": "left", "y": 1}},
            "offset is",
        ),
        (
            # Any edit that would leave a flow that cannot be stored is refused whole.
            {
                "op": "update_widget",
                "name": "split_1",
                "transitions": [{"event": "noMatch", "next": 5}],
            },
            "integer found, string or null expected",
        ),
    ],
)
def test_bad_operations_are_refused_and_change_nothing(tutorial, op, message):
    version = Flow.objects.get(pk=tutorial.pk).version
    with pytest.raises(services.EditRefused, match=message):
        edit(tutorial, {"op": "move_widgets", "offsets": {"split_1": {"x": 5, "y": 5}}}, op)
    tutorial.refresh_from_db()
    assert tutorial.version == version
    assert states(tutorial)["split_1"]["properties"]["offset"] != {"x": 5, "y": 5}


def test_problems_are_reported_and_kept_on_the_working_copy(tutorial):
    result = edit(tutorial, {"op": "update_widget", "name": "split_1", "properties": {}})
    [missing] = [p for p in result.problems if p.property_path == "#/states/2/properties"]
    assert (missing.message, missing.severity) == ("input is missing but it is required", "error")
    assert missing.hint == (
        "Widget `split_1` (Split Based On…) needs `input`. Fill it in before publishing."
    )
    tutorial.refresh_from_db()
    assert not tutorial.valid


def test_publishing_snapshots_the_working_copy(tutorial, alice):
    edit(tutorial, {"op": "update_flow", "description": "Edited", "allow_concurrent_calls": False})
    tutorial.refresh_from_db()
    assert tutorial.has_unsaved_changes()
    flow = services.publish_flow(tutorial, commit_message="Go", author=alice)
    assert not flow.has_unsaved_changes() and not flow.has_unpublished_changes()
    published = flow.latest_published().definition
    assert published["description"] == "Edited"
    assert published["flags"]["allow_concurrent_calls"] is False


def test_a_test_user_runs_the_canvas_draft(tutorial):
    services.publish_flow(tutorial)
    edit(
        tutorial,
        {
            "op": "update_widget",
            "name": "send_and_reply_1",
            "properties": {
                **states(tutorial)["send_and_reply_1"]["properties"],
                "body": "Draft greeting",
            },
        },
    )
    services.set_test_users(tutorial, ["+15550009999"])
    outcome = services.start_execution(
        tutorial, kind="message", contact="+15550009999", flow_address="+15550000000"
    )
    assert [e["body"] for e in outcome.effects if e["type"] == "message"] == ["Draft greeting"]
    everyone = services.start_execution(
        tutorial, kind="message", contact="+15550001111", flow_address="+15550000000"
    )
    assert [e["body"] for e in everyone.effects if e["type"] == "message"] == [
        "Hi, do you like bots?"
    ]


def test_the_draft_a_test_run_saves_is_by_whoever_pressed_start(tutorial, alice):
    """The test panel pins the canvas's edits as a revision before it runs them: that
    revision is by the person running the test, not by "Someone" (the Activity page and the
    Revisions panel named nobody)."""
    properties = states(tutorial)["send_and_reply_1"]["properties"]
    edit(
        tutorial,
        {
            "op": "update_widget",
            "name": "send_and_reply_1",
            "properties": {**properties, "body": "Yo"},
        },
    )
    start = test_runs.TestStart(trigger="message", body="Hi")
    test_runs.start_test_run(tutorial, start, alice)
    latest = tutorial.revisions.order_by("-revision").first()
    assert (latest.commit_message, latest.author) == ("Saved for a test run", alice)


def test_a_test_run_pins_a_settings_change_made_since_the_flow_was_loaded(tutorial, alice):
    """The canvas's websocket keeps the Flow it loaded; a change of the flow's settings alone
    (here the concurrent-calls flag, in the Settings panel) is saved for the test run too,
    and the run runs it, not the revision before."""
    services.publish_flow(tutorial)
    loaded = Flow.objects.get(pk=tutorial.pk)
    edit(tutorial, {"op": "update_flow", "allow_concurrent_calls": False})
    start = test_runs.TestStart(trigger="call")
    run = test_runs.start_test_run(loaded, start, alice).execution
    latest = tutorial.revisions.order_by("-revision").first()
    assert latest.commit_message == "Saved for a test run"
    assert latest.definition["flags"]["allow_concurrent_calls"] is False
    assert run.flow_version == latest.revision
