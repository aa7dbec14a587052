"""Test cases stored with a flow: the canvas API (CRUD, run, policy), a test-panel run saved
as a case, replay against the draft, the publish gate on the canvas and on /v2/, and
`manage.py flowtest` with its JUnit XML."""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from editor import services
from editor.models import FlowTestCase
from editor.samples import load_sample
from editor.services import test_runs, testcases

from . import engine_support as builders
from .conftest import post

CASES = Path(__file__).resolve().parent / "data" / "testcases"
YES = (CASES / "conversations-yes.yaml").read_text()
NO = (CASES / "conversations-no.json").read_text()


def url(flow, tail: str = "") -> str:
    return f"/api/editor/flows/{flow.sid}/tests{tail}"


def client_for(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")
    return client


def rename_send_message_1(flow, user) -> None:
    """Break the tutorial: the "yes" branch now says something else."""
    definition = flow.definition()
    for state in definition["states"]:
        if state["name"] == "send_message_1":
            state["properties"]["body"] = "Meh."
    services.update_flow(flow, status="draft", definition=definition, author=user)


def test_crud_and_run(tutorial, alice):
    client = client_for(alice)
    made = post(client, url(tutorial), {"source": YES})
    assert made.status_code == 201, made.content
    case = made.json()
    assert case["name"] == "A contact who likes bots" and case["source"] == YES
    assert post(client, url(tutorial), {"source": NO}).status_code == 201
    listed = client.get(url(tutorial)).json()
    assert [c["name"] for c in listed["cases"]] == [
        "A contact who does not",
        "A contact who likes bots",
    ]
    assert listed["require_passing"] is False and listed["can_edit"] is True

    ran = post(client, url(tutorial, "/run"), {}).json()
    assert (ran["passed"], ran["failed"]) == (2, 0)
    stored = FlowTestCase.objects.get(pk=case["id"])
    assert stored.last_status == "pass" and stored.last_run_at is not None

    rename_send_message_1(tutorial, alice)
    ran = post(client, url(tutorial, "/run"), {"ids": [case["id"]]}).json()
    assert (ran["passed"], ran["failed"]) == (0, 1)
    failure = ran["results"][0]["failure"]
    assert failure["widget"] == "send_message_1" and failure["step"] == 4
    assert (
        client.get(url(tutorial, f"/{case['id']}")).json()["last_result"]["widget"]
        == "send_message_1"
    )

    edited = YES.replace("{contains: best friends}", "Meh.")
    assert post(client, url(tutorial, f"/{case['id']}"), {"source": edited}).status_code == 200
    assert post(client, url(tutorial, "/run"), {"ids": [case["id"]]}).json()["passed"] == 1

    token = client.cookies["csrftoken"].value
    gone = client.delete(url(tutorial, f"/{case['id']}"), HTTP_X_CSRFTOKEN=token)
    assert gone.status_code == 204
    assert not FlowTestCase.objects.filter(pk=case["id"]).exists()


def test_invalid_cases_are_400s_that_say_where(tutorial, alice):
    client = client_for(alice)
    bad = post(client, url(tutorial), {"source": "name: x\ntrigger: {type: incomingFax}\n"})
    assert bad.status_code == 400
    errors = bad.json()["details"]["errors"]
    assert errors[0].startswith("trigger.type:")
    assert post(client, url(tutorial), {"source": YES}).status_code == 201
    taken = post(client, url(tutorial), {"source": YES})
    assert taken.status_code == 400 and "already exists" in taken.json()["message"]
    assert post(client, url(tutorial), {"nope": 1}).status_code == 400
    assert post(client, url(tutorial, "/run"), {"ids": "all"}).status_code == 400


def test_viewers_read_and_run_but_do_not_write(tutorial, alice, carol, dave):
    testcases.create_case(tutorial, YES, alice)
    viewer = client_for(carol)
    assert len(viewer.get(url(tutorial)).json()["cases"]) == 1
    assert post(viewer, url(tutorial, "/run"), {}).json()["passed"] == 1
    assert post(viewer, url(tutorial), {"source": NO}).status_code == 403
    assert post(viewer, url(tutorial, "/policy"), {"require_passing": True}).status_code == 403
    outsider = client_for(dave)
    assert outsider.get(url(tutorial)).status_code == 404
    assert post(outsider, url(tutorial, "/run"), {}).status_code == 404


def test_a_write_without_csrf_is_refused(tutorial, alice):
    client = client_for(alice)
    response = client.post(
        url(tutorial), json.dumps({"source": YES}), content_type="application/json"
    )
    assert response.status_code == 403


def test_publish_requires_passing_cases_when_the_flow_says_so(tutorial, alice):
    client = client_for(alice)
    testcases.create_case(tutorial, YES, alice)
    rename_send_message_1(tutorial, alice)
    publish = f"/api/editor/flows/{tutorial.sid}/publish"
    # Off by default: publishing does not run the cases.
    assert post(client, publish, {}).status_code == 200
    assert post(client, url(tutorial, "/policy"), {"require_passing": True}).status_code == 200
    refused = post(client, publish, {})
    assert refused.status_code == 400
    body = refused.json()
    assert "A contact who likes bots (send_message_1)" in body["message"]
    assert body["details"]["failing"][0]["widget"] == "send_message_1"
    revision = tutorial.revisions.count()

    # The same on /v2/, in Twilio's error shape.
    key, secret = services.create_api_key(tutorial.team, created_by=alice)
    token = base64.b64encode(f"{key.sid}:{secret}".encode()).decode()
    api = Client(HTTP_AUTHORIZATION=f"Basic {token}")
    answer = api.post(f"/v2/Flows/{tutorial.sid}", {"Status": "published"})
    assert answer.status_code == 400
    assert set(answer.json()) >= {"code", "message", "more_info", "status"}
    assert tutorial.revisions.count() == revision
    # A draft save is never gated.
    assert api.post(f"/v2/Flows/{tutorial.sid}", {"Status": "draft"}).status_code == 200

    testcases.create_case(tutorial, NO, alice)  # passes; the failing one still blocks
    FlowTestCase.objects.filter(name="A contact who likes bots").delete()
    assert post(client, publish, {}).status_code == 200


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


@pytest.fixture
def flow_file(tmp_path):
    path = tmp_path / "tutorial.json"
    path.write_text(json.dumps(load_sample("conversations-tutorial")))
    return path


def test_flowtest_runs_case_files_and_writes_junit(flow_file, tmp_path, capsys):
    report = tmp_path / "junit.xml"
    files = [str(CASES / "conversations-yes.yaml"), str(CASES / "conversations-no.json")]
    call_command("flowtest", *files, flow=str(flow_file), junit=str(report))
    out = capsys.readouterr().out
    assert "PASS A contact who likes bots" in out and "2 passed, 0 failed" in out
    suite = ET.parse(report).getroot().find("testsuite")  # noqa: S314 (our own report)
    assert (suite.get("tests"), suite.get("failures")) == ("2", "0")


def test_flowtest_fails_with_exit_1_and_the_widget(flow_file, tmp_path, capsys):
    broken = json.loads(flow_file.read_text())
    for state in broken["states"]:
        if state["name"] == "send_message_1":
            state["properties"]["body"] = "Meh."
    flow_file.write_text(json.dumps(broken))
    report = tmp_path / "junit.xml"
    bad_case = tmp_path / "bad.yaml"
    bad_case.write_text("name: [")
    with pytest.raises(SystemExit) as exited:
        call_command(
            "flowtest",
            str(CASES / "conversations-yes.yaml"),
            str(bad_case),
            flow=str(flow_file),
            junit=str(report),
        )
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "FAIL A contact who likes bots" in out and "[widget send_message_1, step 4]" in out
    assert "0 passed, 2 failed" in out
    cases = ET.parse(report).getroot().find("testsuite").findall("testcase")  # noqa: S314
    failure = cases[0].find("failure")
    assert "send_message_1" in failure.get("message")
    assert "messages[1].body" in failure.text
    assert "not valid YAML" in cases[1].find("failure").get("message")


def test_flowtest_runs_a_stored_flows_cases(tutorial, alice, capsys):
    testcases.create_case(tutorial, YES, alice)
    call_command("flowtest", tutorial.sid)
    assert "1 passed, 0 failed" in capsys.readouterr().out
    assert FlowTestCase.objects.get().last_status == "pass"
    rename_send_message_1(tutorial, alice)
    with pytest.raises(SystemExit):
        call_command("flowtest", tutorial.sid)


def test_an_invalid_definition_is_refused_for_its_problems_before_any_case_runs(tutorial, alice):
    testcases.create_case(tutorial, YES, alice)
    testcases.set_policy(tutorial, True, alice)
    key, secret = services.create_api_key(tutorial.team, created_by=alice)
    token = base64.b64encode(f"{key.sid}:{secret}".encode()).decode()
    api = Client(HTTP_AUTHORIZATION=f"Basic {token}")
    broken = {
        "description": "x",
        "states": [{"name": "Trigger", "type": "nope"}],
        "initial_state": "Trigger",
    }
    answer = api.post(
        f"/v2/Flows/{tutorial.sid}", {"Status": "published", "Definition": json.dumps(broken)}
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == 81022 and answer.json()["details"]["errors"]
    assert FlowTestCase.objects.get().last_run_at is None
    # The stored, valid flow passes its case: publishing goes through.
    assert api.post(f"/v2/Flows/{tutorial.sid}", {"Status": "published"}).status_code == 200
    assert FlowTestCase.objects.get().last_status == "pass"


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


def test_a_copied_flow_takes_its_test_cases_along(tutorial, alice, other_team):
    testcases.create_case(tutorial, YES, alice)
    copy = services.copy_flow(tutorial, other_team, alice)
    row = FlowTestCase.objects.get(flow=copy)
    assert (row.name, row.source, row.last_status) == ("A contact who likes bots", YES, "not_run")
    assert testcases.run_cases(copy)[0]["status"] == "pass"
    assert FlowTestCase.objects.filter(flow=tutorial).count() == 1


def test_ci_runs_cases_and_lints_with_an_api_key(tutorial, alice, bob):
    """What a CI job does with a key instead of a session: no cookie, no CSRF token."""
    key, secret = services.create_api_key(tutorial.team, created_by=alice)
    token = base64.b64encode(f"{key.sid}:{secret}".encode()).decode()
    ci = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Basic {token}")
    made = ci.post(url(tutorial), {"source": YES}, content_type="application/json")
    assert made.status_code == 201, made.content
    assert FlowTestCase.objects.get(pk=made.json()["id"]).created_by == alice  # the key's maker
    ran = ci.post(url(tutorial, "/run"), {}, content_type="application/json")
    assert ran.status_code == 200 and ran.json()["passed"] == 1
    linted = ci.get(f"/api/editor/flows/{tutorial.sid}/lint")
    assert linted.status_code == 200 and "findings" in linted.json()

    # A wrong secret is refused; the rest of the canvas API takes no key; no challenge.
    wrong = base64.b64encode(f"{key.sid}:{'x' * 32}".encode()).decode()
    refused = Client(HTTP_AUTHORIZATION=f"Basic {wrong}").get(url(tutorial))
    assert refused.status_code == 401 and "WWW-Authenticate" not in refused
    assert ci.get(f"/api/editor/flows/{tutorial.sid}").status_code == 401
    # Another team's key sees no such flow.
    other = services.create_team("Globex", owner=bob)
    other_key, other_secret = services.create_api_key(other, created_by=bob)
    token = base64.b64encode(f"{other_key.sid}:{other_secret}".encode()).decode()
    assert Client(HTTP_AUTHORIZATION=f"Basic {token}").get(url(tutorial)).status_code == 404
