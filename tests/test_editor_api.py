"""The editor API the canvas talks to: the document and the widget catalogue, edits with CSRF
and a stale edit rebased, viewers and outsiders, publishing with problems and with warnings,
revisions listed, opened and restored, and an import onto the working copy."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from editor.models import Flow
from editor.samples import load_sample

from .conftest import post
from .edit_support import edit, states

pytestmark = pytest.mark.django_db


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
