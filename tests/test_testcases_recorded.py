"""Test-panel runs saved as test cases (editor/testcases/recorded.py): the inputs become the
script, the path and the messages the expectations, HTTP responses and subflow outputs the
mocks; and a run replayed against the draft shows where the draft diverges."""

from __future__ import annotations

import json

from editor import services
from editor.samples import load_sample
from editor.services import test_runs, testcases

from . import engine_support as builders
from .conftest import post
from .testcase_support import client_for, rename_send_message_1, url


def finished_test_run(flow, user, body: str):
    outcome = test_runs.start_test_run(
        flow, test_runs.TestStart(trigger="message", body="Hi"), user
    )
    return test_runs.reply(outcome.execution, body).execution


def test_a_test_panel_run_saved_as_a_case_passes_and_catches_a_change(tutorial, alice):
    execution = finished_test_run(tutorial, alice, "yes")
    client = client_for(alice)
    made = post(
        client,
        url(tutorial, "/from-execution"),
        {"execution_sid": execution.sid, "name": "Saved run"},
    )
    assert made.status_code == 201, made.content
    case = made.json()["body"]
    assert case["trigger"]["type"] == "incomingMessage" and case["script"] == [{"message": "yes"}]
    assert case["expect"]["path"] == ["send_and_reply_1", "split_1", "send_message_1"]
    assert case["expect"]["messages"][1]["widget"] == "send_message_1"
    assert post(client, url(tutorial, "/run"), {}).json()["passed"] == 1
    rename_send_message_1(tutorial, alice)
    result = post(client, url(tutorial, "/run"), {}).json()["results"][0]
    assert result["failure"]["widget"] == "send_message_1"


def test_a_run_with_http_keeps_its_responses_as_mocks(team, alice):
    flow = services.create_flow(team, friendly_name="Bot", definition=load_sample("sms-chatbot"))
    body = json.dumps({"status": "processing"})
    test_runs.set_mock(
        flow,
        "http_order_lookup",
        {"status": 200, "headers": {"Content-Type": "application/json"}, "body": body},
        alice,
    )
    outcome = test_runs.start_test_run(
        flow, test_runs.TestStart(trigger="message", body="Hi"), alice
    )
    test_runs.reply(outcome.execution, "1")
    execution = test_runs.reply(outcome.execution, "OWL-7").execution
    case = testcases.recorded_case(execution)
    assert case["mocks"]["http"]["http_order_lookup"]["body"] == body
    assert "reply_processing" in case["expect"]["path"]
    assert (
        testcases.run_cases(flow, [testcases.create_case(flow, case, alice)])[0]["status"] == "pass"
    )


def test_replay_shows_where_the_draft_diverges(tutorial, alice):
    execution = finished_test_run(tutorial, alice, "yes")
    client = client_for(alice)
    same = post(
        client, f"/api/editor/flows/{tutorial.sid}/replay", {"execution_sid": execution.sid}
    ).json()
    assert same["status"] == "pass" and same["diverged"] is None
    definition = tutorial.definition()
    for state in definition["states"]:
        if state["name"] == "split_1":
            for transition in state["transitions"]:
                if transition.get("next") == "send_message_1":
                    transition["next"] = "send_message_2"
    services.update_flow(tutorial, status="draft", definition=definition, author=alice)
    moved = post(
        client, f"/api/editor/flows/{tutorial.sid}/replay", {"execution_sid": execution.sid}
    ).json()
    assert moved["diverged"]["widget"] == "send_message_2"
    assert moved["recorded_path"][-1] == "send_message_1"
    missing = post(
        client, f"/api/editor/flows/{tutorial.sid}/replay", {"execution_sid": "FN" + "0" * 32}
    )
    assert missing.status_code == 404


def test_a_call_run_saved_as_a_case_replays_its_keys(team, alice):
    flow = services.create_flow(team, friendly_name="IVR", definition=load_sample("ivr-phone-tree"))
    outcome = test_runs.start_test_run(flow, test_runs.TestStart(trigger="call"), alice)
    test_runs.gather(outcome.execution, "9", None, 0.9)
    test_runs.gather(outcome.execution, "3", None, 0.9)
    params = {"RecordingUrl": "https://example.com/r.mp3", "RecordingDuration": "4"}
    execution = test_runs.fire(outcome.execution, "recordingComplete", params).execution
    assert execution.status == "ended"
    case = testcases.recorded_case(execution)
    assert case["trigger"]["type"] == "incomingCall"
    assert case["script"] == [{"digits": "9"}, {"digits": "3"}, {"event": "recordingComplete"}]
    assert case["expect"]["path"][-2:] == ["record_voicemail_1", "say_goodbye"]
    assert [a["verb"] for a in case["expect"]["actions"]][:2] == ["gather", "say_play"]
    assert (
        testcases.run_cases(flow, [testcases.create_case(flow, case, alice)])[0]["status"] == "pass"
    )


def test_a_subflows_outputs_are_recorded_as_its_mock(team, alice):
    child = services.create_flow(
        team,
        friendly_name="Child",
        status="published",
        definition=builders.flow(builders.set_variables("set_tier", None, tier="gold")),
    )
    lookup = builders.state(
        "lookup",
        "run-subflow",
        {"flow_sid": child.sid, "flow_revision": "LatestPublished", "parameters": []},
        completed="tell",
        failed=None,
    )
    tell = builders.send_message("tell", "You are {{widgets.lookup.tier}}")
    parent = services.create_flow(
        team, friendly_name="Parent", definition=builders.flow(lookup, tell), allow_problems=True
    )
    outcome = test_runs.start_test_run(parent, test_runs.TestStart(trigger="message"), alice)
    assert outcome.execution.status == "ended"
    case = testcases.recorded_case(outcome.execution)
    assert case["mocks"]["subflows"] == {"lookup": {"outputs": {"tier": "gold"}}}
    assert case["expect"]["path"] == ["lookup", "tell"]
    assert case["expect"]["messages"] == [{"widget": "tell", "body": "You are gold"}]
    services.delete_flow(child)  # the mock stands in for it
    row = testcases.create_case(parent, case, alice)
    assert testcases.run_cases(parent, [row])[0]["status"] == "pass"
