"""Test cases stored with a flow: the canvas API (CRUD, run, policy, who may read, run and
write), the publish gate on the canvas and on /v2/, a copied flow's cases, and a CI job with
an API key. Test-panel runs saved as cases are in tests/test_testcases_recorded.py,
`manage.py flowtest` in tests/test_testcases_flowtest.py."""

from __future__ import annotations

import base64
import json

from django.test import Client

from editor import services
from editor.models import FlowTestCase
from editor.services import testcases

from .conftest import post
from .testcase_support import NO, YES, client_for, rename_send_message_1, url


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
