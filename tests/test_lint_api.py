"""The canvas's linter endpoint: the draft's findings (GET) and an unsaved document's (POST)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from editor import services
from editor.lint import RULES
from editor.samples import load_sample

from .conftest import post

pytestmark = pytest.mark.django_db


def with_subflow(flow_sid: str) -> dict:
    document = load_sample("sms-chatbot")
    trigger = next(s for s in document["states"] if s["type"] == "trigger")
    message = next(t for t in trigger["transitions"] if t["event"] == "incomingMessage")
    document["states"].append(
        {
            "name": "sub",
            "type": "run-subflow",
            "transitions": [{"event": "completed", "next": message["next"]}, {"event": "failed"}],
            "properties": {
                "flow_sid": flow_sid,
                "flow_revision": "LatestPublished",
                "offset": {"x": 0, "y": 0},
            },
        }
    )
    message["next"] = "sub"
    return document


def url(flow) -> str:
    return f"/api/editor/flows/{flow.sid}/lint"


def rules_of(response) -> set[tuple[str, str | None]]:
    return {(f["rule"], f["widget"]) for f in response.json()["findings"]}


def test_it_lints_the_draft_with_the_teams_flows_as_subflows(browser, team, other_team):
    own = services.create_flow(team, friendly_name="Child", definition=load_sample("sms-chatbot"))
    theirs = services.create_flow(
        other_team, friendly_name="Theirs", definition=load_sample("sms-chatbot")
    )
    parent = services.create_flow(
        team, friendly_name="Parent", definition=with_subflow(own.sid), allow_problems=True
    )
    response = browser.get(url(parent))
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == parent.version
    assert set(body["rules"]) == set(RULES)
    assert body["rules"]["unwired-event"]["severity"] == "warning"
    assert ("unknown-subflow", "sub") not in rules_of(response)
    for finding in body["findings"]:
        assert set(finding) == {"rule", "severity", "widget", "field", "message", "fix"}

    response = post(browser, url(parent), {"definition": with_subflow(theirs.sid)})
    assert response.status_code == 200
    assert ("unknown-subflow", "sub") in rules_of(response)


def test_a_posted_document_is_linted_and_nothing_is_saved(browser, tutorial):
    version = tutorial.version
    document = tutorial.definition()
    document["states"].append(
        {"name": "orphan", "type": "send-message", "transitions": [], "properties": {"body": "x"}}
    )
    response = post(browser, url(tutorial), {"definition": document})
    assert response.status_code == 200
    found = [f for f in response.json()["findings"] if f["widget"] == "orphan"]
    assert [f["rule"] for f in found] == ["unreachable-widget"]
    assert found[0]["fix"]["edits"] == [{"op": "delete_widgets", "names": ["orphan"]}]
    tutorial.refresh_from_db()
    assert tutorial.version == version
    assert "orphan" not in {s["name"] for s in tutorial.definition()["states"]}
    # Pasted Studio JSON is read too.
    response = post(browser, url(tutorial), {"definition": json.dumps(document)})
    assert ("unreachable-widget", "orphan") in rules_of(response)


def test_viewers_may_lint_and_outsiders_find_nothing(tutorial, carol, dave):
    viewer = Client()
    viewer.force_login(carol)
    assert viewer.get(url(tutorial)).status_code == 200
    body = json.dumps({"definition": tutorial.definition()})
    assert viewer.post(url(tutorial), body, content_type="application/json").status_code == 200
    outsider = Client()
    outsider.force_login(dave)
    assert outsider.get(url(tutorial)).status_code == 404
    assert outsider.post(url(tutorial), body, content_type="application/json").status_code == 404
    assert Client().get(url(tutorial)).status_code in (401, 403)


def test_a_post_without_the_csrf_token_is_refused(browser, tutorial):
    body = json.dumps({"definition": tutorial.definition()})
    response = browser.post(url(tutorial), body, content_type="application/json")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body,words",
    [
        ([1, 2], "must be a JSON object"),
        ({}, '{"definition": {...}}'),
        ({"definition": [1]}, '{"definition": {...}}'),
        ({"definition": {"states": "x"}}, "definition.states must be a list"),
        ({"definition": "{nope"}, "definition"),
    ],
)
def test_bad_bodies_are_a_400_that_says_what_to_send(browser, tutorial, body, words):
    response = post(browser, url(tutorial), body)
    assert response.status_code == 400
    assert words in response.json()["message"]


def test_a_body_that_is_not_json_is_a_400(browser, tutorial):
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        url(tutorial), "{nope", content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 400


def test_the_draft_says_which_findings_publishing_would_add(browser, team):
    flow = services.create_flow(
        team, friendly_name="Live", definition=load_sample("sms-chatbot"), status="published"
    )
    before = browser.get(url(flow)).json()
    assert before["new_since_published"] == []
    draft = flow.definition()
    draft["states"].append(
        {"name": "orphan", "type": "send-message", "transitions": [], "properties": {"body": "x"}}
    )
    services.update_flow(flow, status="draft", definition=draft, allow_problems=True)
    after = browser.get(url(flow)).json()
    new = [after["findings"][i] for i in after["new_since_published"]]
    assert [(f["rule"], f["widget"]) for f in new] == [("unreachable-widget", "orphan")]
    assert len(after["findings"]) == len(before["findings"]) + 1


def test_a_flow_never_published_has_nothing_to_compare_with(browser, tutorial):
    assert browser.get(url(tutorial)).json()["new_since_published"] is None
