"""The service verbs: revisions are append-only and nothing invalid is published."""

from __future__ import annotations

import json

import pytest

from editor import services
from editor.flowspec.studio_json import new_document
from editor.models import Flow, FlowRevision, Status

pytestmark = pytest.mark.django_db


def tutorial(body="Hi, do you like bots?"):
    document = new_document("Tutorial")
    document["states"][0]["transitions"][0]["next"] = "send_message_1"
    document["states"].append(
        {
            "name": "send_message_1",
            "type": "send-message",
            "transitions": [{"event": "sent"}, {"event": "failed"}],
            "properties": {
                "offset": {"x": 0, "y": 200},
                "from": "{{flow.channel.address}}",
                "to": "{{contact.channel.address}}",
                "body": body,
            },
        }
    )
    return document


def test_creating_a_flow_stores_widgets_and_revision_one(team, alice):
    flow = services.create_flow(
        team, friendly_name="Tutorial", definition=tutorial(), author=alice, commit_message="v1"
    )
    assert flow.sid.startswith("FW") and len(flow.sid) == 34
    assert [w.name for w in flow.widgets.all()] == ["Trigger", "send_message_1"]
    revision = flow.revisions.get()
    assert (revision.revision, revision.status, revision.commit_message) == (1, "draft", "v1")
    assert revision.definition == tutorial()
    assert revision.author == alice


def test_each_update_appends_a_revision(team):
    flow = services.create_flow(team, friendly_name="T", definition=tutorial())
    services.update_flow(flow, status=Status.DRAFT, definition=tutorial("Second"))
    flow = services.publish_flow(flow, commit_message="Go live")
    assert flow.revision == 3
    assert flow.status == Status.PUBLISHED
    assert list(flow.revisions.values_list("revision", "status")) == [
        (3, "published"),
        (2, "draft"),
        (1, "draft"),
    ]
    assert flow.revisions.get(revision=1).definition["states"][1]["properties"]["body"] == (
        "Hi, do you like bots?"
    )
    assert services.export_flow(flow)["states"][1]["properties"]["body"] == "Second"


def test_revisions_cannot_be_rewritten(team):
    flow = services.create_flow(team, friendly_name="T", definition=tutorial())
    revision = flow.revisions.get()
    revision.commit_message = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        revision.save()


def test_a_rejected_update_changes_nothing(team):
    flow = services.create_flow(team, friendly_name="T", definition=tutorial())
    broken = tutorial()
    broken["states"][1]["transitions"][0]["next"] = "missing"
    with pytest.raises(services.FlowRejected) as caught:
        services.update_flow(flow, status=Status.DRAFT, definition=broken)
    assert caught.value.problems[0].property_path == "#/states/1/transitions/0/next"
    flow.refresh_from_db()
    assert flow.revision == 1
    assert services.export_flow(flow) == tutorial()


def test_problems_can_be_kept_on_a_draft_when_asked_but_never_published(team):
    broken = tutorial()
    broken["states"][1]["properties"].pop("from")
    flow = services.create_flow(team, friendly_name="T", definition=broken, allow_problems=True)
    assert not flow.valid
    assert flow.errors == [
        {
            "message": "from is missing but it is required",
            "property_path": "#/states/1/properties",
            "hint": "Widget `send_message_1` (Send Message) needs `from`. "
            "Fill it in before publishing.",
        }
    ]
    assert flow.revisions.get().errors == [
        {"message": "from is missing but it is required", "property_path": "#/states/1/properties"}
    ]
    with pytest.raises(services.FlowRejected):
        services.publish_flow(flow)
    assert Flow.objects.get(pk=flow.pk).revision == 1


def test_blocking_problems_are_refused_even_for_drafts(team):
    broken = tutorial()
    broken["states"][1]["name"] = "Trigger"
    with pytest.raises(services.FlowRejected):
        services.create_flow(team, friendly_name="T", definition=broken, allow_problems=True)
    assert not Flow.objects.exists()
    assert not FlowRevision.objects.exists()


def test_restoring_a_revision_makes_a_new_draft(team):
    flow = services.create_flow(team, friendly_name="T", definition=tutorial())
    services.update_flow(flow, status=Status.PUBLISHED, definition=tutorial("Later"))
    flow = services.restore_revision(flow, flow.revisions.get(revision=1))
    assert (flow.revision, flow.status) == (3, "draft")
    assert services.export_flow(flow) == tutorial()
    assert flow.has_unpublished_changes()


def test_import_reads_text_and_names_the_flow_from_its_description(team):
    flow = services.import_flow(team, json.dumps(tutorial()), publish=True)
    assert flow.friendly_name == "Tutorial"
    assert flow.status == "published"


def test_import_refuses_text_that_is_not_a_flow(team):
    with pytest.raises(services.FlowRejected) as caught:
        services.import_flow(team, "[1, 2]")
    assert caught.value.problems[0].message == "a flow definition must be a JSON object"


def test_api_key_secrets_are_stored_hashed(team):
    key, secret = services.create_api_key(team, friendly_name="ci")
    assert key.sid.startswith("SK")
    assert secret not in key.secret_hash
    assert key.check_secret(secret)
    assert not key.check_secret(secret + "x")


def test_flows_are_visible_only_to_their_team(team, alice, dave):
    flow = services.create_flow(team, friendly_name="T", definition=tutorial())
    assert list(Flow.objects.visible_to(alice)) == [flow]
    assert list(Flow.objects.visible_to(dave)) == []
