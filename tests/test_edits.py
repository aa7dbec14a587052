"""Canvas edits: versioned operations on the working copy, and the editor API."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from editor import services
from editor.models import Flow, FlowChange
from editor.samples import load_sample

from .conftest import post

pytestmark = pytest.mark.django_db


def edit(flow, *ops, user=None, base=None):
    flow.refresh_from_db()
    return services.apply_edit(
        flow, base_version=flow.version if base is None else base, ops=list(ops), user=user
    )


def states(flow):
    return {s["name"]: s for s in services.export_flow(flow)["states"]}


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


# The editor API


def test_the_canvas_reads_the_document_and_catalogue(browser, tutorial):
    document = browser.get(f"/api/editor/flows/{tutorial.sid}").json()
    assert document["definition"] == load_sample("conversations-tutorial")
    assert document["can_edit"] is True
    catalogue = browser.get("/api/editor/catalogue").json()
    assert any(w["type"] == "send-message" for w in catalogue["widgets"])
    by_type = {w["type"]: w for w in catalogue["widgets"]}
    assert "inbound.Body" in by_type["send-and-wait-for-reply"]["outputs"]
    assert "Digits" in by_type["gather-input-on-call"]["outputs"]
    assert by_type["trigger"]["outputs"] == []


def test_the_canvas_edits_with_csrf_and_a_stale_edit_is_rebased(browser, tutorial):
    url = f"/api/editor/flows/{tutorial.sid}/edits"
    move = {"op": "move_widgets", "offsets": {"split_1": {"x": 3, "y": 4}}}
    version = tutorial.version
    assert post(browser, url, {"base_version": version, "ops": [move]}).status_code == 200
    stale = post(browser, url, {"base_version": version, "ops": [move]})
    assert stale.status_code == 200
    assert stale.json()["version"] == version + 1, "nothing applied, nothing written"
    assert stale.json()["dropped"][0]["by"] == "alice"
    no_token = browser.post(
        url,
        json.dumps({"base_version": version + 1, "ops": [move]}),
        content_type="application/json",
    )
    assert no_token.status_code == 403


def test_viewers_read_but_cannot_edit_and_outsiders_get_404(tutorial, carol, dave):
    viewer = Client()
    viewer.force_login(carol)
    assert viewer.get(f"/api/editor/flows/{tutorial.sid}").json()["can_edit"] is False
    refused = viewer.post(
        f"/api/editor/flows/{tutorial.sid}/edits",
        json.dumps({"base_version": tutorial.version, "ops": []}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    outsider = Client()
    outsider.force_login(dave)
    assert outsider.get(f"/api/editor/flows/{tutorial.sid}").status_code == 404


def test_publish_with_problems_lists_them_and_keeps_the_draft(browser, tutorial):
    edit(tutorial, {"op": "update_widget", "name": "split_1", "properties": {}})
    response = post(browser, f"/api/editor/flows/{tutorial.sid}/publish", {"commit_message": "x"})
    assert response.status_code == 400
    assert response.json()["details"]["errors"] == [
        {
            "message": "input is missing but it is required",
            "property_path": "#/states/2/properties",
            "hint": "Widget `split_1` (Split Based On…) needs `input`. "
            "Fill it in before publishing.",
            "severity": "error",
            "blocking": False,
        }
    ]
    assert Flow.objects.get(pk=tutorial.pk).revision == 1


def test_publish_names_the_widget_and_the_missing_target(browser, tutorial):
    split = states(tutorial)["split_1"]
    rewired = [{**split["transitions"][0], "next": "nowhere"}, *split["transitions"][1:]]
    edit(tutorial, {"op": "update_widget", "name": "split_1", "transitions": rewired})
    response = post(browser, f"/api/editor/flows/{tutorial.sid}/publish", {})
    (error,) = response.json()["details"]["errors"]
    assert error["message"] == "must match a widget name"  # Twilio's words, as on /v2/
    assert error["hint"] == (
        "Widget `split_1`: transition `noMatch` goes to `nowhere`, which is not a widget in "
        "this flow. Connect it to an existing widget or remove it."
    )


def test_warnings_come_with_their_severity_and_never_stop_a_publish(browser, tutorial):
    edit(
        tutorial,
        {
            "op": "update_widget",
            "name": "send_and_reply_1",
            "transitions": [
                {"event": "incomingMessage", "next": "split_1"},
                {"event": "timeout"},
                {"event": "deliveryFailure"},
                {"event": "timeout"},
            ],
        },
    )
    document = browser.get(f"/api/editor/flows/{tutorial.sid}").json()
    (warning,) = document["problems"]
    assert warning["severity"] == "warning"
    assert warning["property_path"].endswith("/transitions/3/event")
    assert "lists transition `timeout` more than once" in warning["hint"]
    published = post(browser, f"/api/editor/flows/{tutorial.sid}/publish", {})
    assert published.status_code == 200
    assert published.json()["problems"] == document["problems"]
    assert Flow.objects.get(pk=tutorial.pk).valid


def test_revisions_can_be_listed_opened_and_restored(browser, tutorial):
    tutorial.refresh_from_db()
    post(
        browser,
        f"/api/editor/flows/{tutorial.sid}/edits",
        {
            "base_version": tutorial.version,
            "ops": [{"op": "delete_widgets", "names": ["send_message_3"]}],
        },
    )
    saved = post(browser, f"/api/editor/flows/{tutorial.sid}/save", {"commit_message": "trim"})
    assert saved.json()["revision"] == 2
    listed = browser.get(f"/api/editor/flows/{tutorial.sid}/revisions").json()["revisions"]
    assert [r["revision"] for r in listed] == [2, 1]
    old = browser.get(f"/api/editor/flows/{tutorial.sid}/revisions/1").json()
    assert "send_message_3" in json.dumps(old["definition"])
    restored = post(browser, f"/api/editor/flows/{tutorial.sid}/revisions/1/restore", {}).json()
    assert restored["revision"] == 3
    assert restored["definition"] == load_sample("conversations-tutorial")


def test_import_on_the_canvas_replaces_the_working_copy(browser, tutorial):
    tutorial.refresh_from_db()
    ivr = json.dumps(load_sample("ivr-phone-tree"))
    response = post(
        browser,
        f"/api/editor/flows/{tutorial.sid}/import",
        {"base_version": tutorial.version, "definition": ivr},
    )
    assert response.status_code == 200
    assert response.json()["definition"] == load_sample("ivr-phone-tree")
    bad = post(
        browser,
        f"/api/editor/flows/{tutorial.sid}/import",
        {"base_version": response.json()["version"], "definition": "{nope"},
    )
    assert bad.status_code == 400
    assert bad.json()["details"]["errors"][0]["message"].startswith("is not valid JSON")
