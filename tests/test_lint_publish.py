"""The canvas's publish answers with the linter's findings the publish added (docs/linter.md):
shown in the publish dialog, never a reason to refuse."""

from __future__ import annotations

import pytest

from editor import services
from editor.models import Role
from editor.samples import load_sample

from .conftest import persona, post

pytestmark = pytest.mark.django_db


def publish(client, flow):
    return post(client, f"/api/editor/flows/{flow.sid}/publish", {"commit_message": "go"})


def orphan() -> dict:
    return {
        "name": "orphan",
        "type": "send-message",
        "transitions": [{"event": "sent"}, {"event": "failed"}],
        "properties": {
            "body": "x",
            "from": "{{flow.channel.address}}",
            "to": "{{contact.channel.address}}",
            "offset": {"x": 0, "y": 900},
        },
    }


def test_publish_lists_the_findings_new_since_the_published_revision(browser, team):
    flow = services.create_flow(
        team, friendly_name="Live", definition=load_sample("sms-chatbot"), status="published"
    )
    draft = flow.definition()
    draft["states"].append(orphan())
    services.update_flow(flow, status="draft", definition=draft, allow_problems=True)

    response = publish(browser, flow)

    assert response.status_code == 200, response.json().get("details")
    added = response.json()["lint"]["new_since_published"]
    assert [(f["rule"], f["widget"]) for f in added] == [("unreachable-widget", "orphan")]
    assert response.json()["status"] == "published"
    # Published now: the next publish of the same document adds nothing.
    assert publish(browser, flow).json()["lint"]["new_since_published"] == []


def test_a_first_publish_lists_every_finding_and_lint_errors_do_not_refuse_it(browser, team):
    document = load_sample("sms-chatbot")
    first = next(s for s in document["states"] if s["type"] == "send-message")
    first["properties"]["body"] = "Hi {{widgets.nobody.body}}"
    flow = services.create_flow(team, friendly_name="New", definition=document)

    response = publish(browser, flow)

    assert response.status_code == 200
    added = response.json()["lint"]["new_since_published"]
    assert ("unknown-widget", "error", first["name"]) in {
        (f["rule"], f["severity"], f["widget"]) for f in added
    }


def test_a_viewer_cannot_publish_and_learns_nothing_of_the_lint(client, team, tutorial):
    viewer = persona(team, "vera", Role.VIEWER)
    client.force_login(viewer)
    client.get("/")
    response = post(client, f"/api/editor/flows/{tutorial.sid}/publish", {})
    assert response.status_code == 403
    assert "lint" not in response.json()
