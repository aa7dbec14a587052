"""Who may do what through the Studio API: keys, sessions, roles, CSRF."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from editor import services
from editor.models import ApiKey, Flow, Role

from .test_api_flows import basic_auth, studio_definition

FORM = "application/x-www-form-urlencoded"
pytestmark = pytest.mark.django_db


def form(**fields) -> str:
    return urlencode(fields, doseq=True)


def create_fields(name: str = "Hello") -> str:
    return form(FriendlyName=name, Status="draft", Definition=json.dumps(studio_definition()))


def assert_envelope(response, status: int, code: int) -> dict:
    body = response.json()
    assert response.status_code == status, body
    assert body["code"] == code and body["status"] == status
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    assert body["message"]
    return body


@pytest.fixture
def flow(team, alice):
    return services.create_flow(
        team, friendly_name="Hello", definition=studio_definition(), author=alice
    )


def signed_in(user, **kwargs) -> Client:
    browser = Client(**kwargs)
    browser.force_login(user)
    return browser


def test_an_anonymous_request_is_challenged(client):
    response = client.get("/v2/Flows")

    assert_envelope(response, 401, 20003)
    assert response["WWW-Authenticate"] == 'Basic realm="Twilio API"'


@pytest.mark.parametrize(
    "header",
    [
        "Basic",
        "Basic !!!not-base64!!!",
        "Basic " + base64.b64encode(b"no colon").decode(),
        basic_auth("AC" + "0" * 32, "an-auth-token"),
        basic_auth("SK" + "0" * 32, "unknown-key"),
        basic_auth("SK\x00' OR 1=1", "x"),
    ],
    ids=["empty", "not-base64", "no-colon", "account-sid", "unknown-key", "nul-in-sid"],
)
def test_bad_credentials_are_a_401(client, team, header):
    response = client.get("/v2/Flows", headers={"Authorization": header})

    assert_envelope(response, 401, 20003)


def test_a_key_acts_for_its_team_not_for_its_creator(client, team, other_team, alice, flow):
    services.add_member(other_team, alice, Role.OWNER)
    elsewhere = services.create_flow(
        other_team, friendly_name="Globex", definition=studio_definition(), author=alice
    )
    key, secret = services.create_api_key(team, created_by=alice)
    auth = {"Authorization": basic_auth(key.sid, secret)}

    listed = client.get("/v2/Flows", headers=auth).json()["flows"]
    hidden = client.get(f"/v2/Flows/{elsewhere.sid}", headers=auth)

    assert [f["sid"] for f in listed] == [flow.sid]
    assert_envelope(hidden, 404, 20404)


def test_a_key_outlives_its_creator(client, team, bob):
    key, secret = services.create_api_key(team, created_by=bob)
    bob.delete()

    response = client.post(
        "/v2/Flows",
        create_fields(),
        content_type=FORM,
        headers={"Authorization": basic_auth(key.sid, secret)},
    )

    assert response.status_code == 201
    assert response.json()["author_sid"] is None


def test_a_keys_flows_are_authored_by_its_creator(client, team, alice):
    key, secret = services.create_api_key(team, created_by=alice)

    response = client.post(
        "/v2/Flows",
        create_fields(),
        content_type=FORM,
        headers={"Authorization": basic_auth(key.sid, secret)},
    )

    assert response.json()["author_sid"] == services.author_sid(alice)
    assert Flow.objects.get().author == alice


def test_last_used_is_written_at_most_once_a_minute(client, team, alice):
    key, secret = services.create_api_key(team, created_by=alice)
    auth = {"Authorization": basic_auth(key.sid, secret)}

    client.get("/v2/Flows", headers=auth)
    first = ApiKey.objects.get().last_used
    client.get("/v2/Flows", headers=auth)
    assert ApiKey.objects.get().last_used == first

    ApiKey.objects.update(last_used=first - timedelta(minutes=2))
    client.get("/v2/Flows", headers=auth)
    assert first is not None and ApiKey.objects.get().last_used >= first
    assert timezone.now() - ApiKey.objects.get().last_used < timedelta(minutes=1)


def test_a_viewer_can_read_but_not_change(carol, flow):
    browser = signed_in(carol)
    url = f"/v2/Flows/{flow.sid}"

    assert browser.get("/v2/Flows").json()["flows"][0]["sid"] == flow.sid
    assert browser.get(url).status_code == 200
    assert browser.get(f"{url}/Revisions/LatestRevision").status_code == 200
    assert_envelope(browser.post("/v2/Flows", create_fields(), content_type=FORM), 403, 20403)
    assert_envelope(browser.post(url, form(Status="published"), content_type=FORM), 403, 20403)
    assert_envelope(browser.delete(url), 403, 20403)
    users = form(TestUsers=["+15550001"])
    assert_envelope(browser.post(f"{url}/TestUsers", users, content_type=FORM), 403, 20403)
    flow.refresh_from_db()
    assert (Flow.objects.count(), flow.revision, flow.test_users) == (1, 1, [])


def test_an_editor_can_change_flows(bob, flow):
    browser = signed_in(bob)

    created = browser.post("/v2/Flows", create_fields("Mine"), content_type=FORM)
    updated = browser.post(f"/v2/Flows/{flow.sid}", form(Status="published"), content_type=FORM)

    assert created.status_code == 201 and created.json()["author_sid"] == services.author_sid(bob)
    assert (updated.status_code, updated.json()["revision"]) == (200, 2)


def test_an_outsider_finds_nothing(dave, flow):
    browser = signed_in(dave)
    url = f"/v2/Flows/{flow.sid}"

    assert browser.get("/v2/Flows").json()["flows"] == []
    assert_envelope(browser.get(url), 404, 20404)
    assert_envelope(browser.post(url, form(Status="published"), content_type=FORM), 404, 20404)
    assert_envelope(browser.delete(url), 404, 20404)
    assert_envelope(browser.get(f"{url}/Revisions"), 404, 20404)
    assert_envelope(browser.get(f"{url}/TestUsers"), 404, 20404)
    flow.refresh_from_db()
    assert flow.revision == 1


def test_a_session_write_needs_the_csrf_token(alice):
    browser = signed_in(alice, enforce_csrf_checks=True)

    refused = browser.post("/v2/Flows", create_fields(), content_type=FORM)
    token = get_random_string(32)
    browser.cookies["csrftoken"] = token
    accepted = browser.post(
        "/v2/Flows", create_fields(), content_type=FORM, headers={"X-CSRFToken": token}
    )

    assert "CSRF" in assert_envelope(refused, 403, 20403)["message"]
    assert accepted.status_code == 201
    assert Flow.objects.count() == 1


def test_a_key_signed_write_needs_no_csrf_token(team, alice):
    key, secret = services.create_api_key(team, created_by=alice)
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        "/v2/Flows",
        create_fields(),
        content_type=FORM,
        headers={"Authorization": basic_auth(key.sid, secret)},
    )

    assert response.status_code == 201


def test_unknown_paths_and_methods_answer_in_the_envelope(alice, flow):
    browser = signed_in(alice)

    assert_envelope(browser.get("/v2/Nothing"), 404, 20404)
    assert_envelope(browser.get("/v2/Flows/not-a-sid"), 404, 20404)
    assert_envelope(browser.get("/v2/Flows/"), 404, 20404)
    assert_envelope(browser.patch(f"/v2/Flows/{flow.sid}"), 405, 20004)
    assert_envelope(browser.put("/v2/Flows"), 405, 20004)
    assert_envelope(Client().get("/v2/Nothing"), 401, 20003)


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(
    "path",
    [
        "/api/editor/flows/%C2%84/tests/0",  # schemathesis: a SID of no SID's shape
        "/api/editor/flows/fw00000000000000000000000000000000",
        "/api/editor/nothing",
        "/api/editor/",
    ],
)
def test_an_unknown_canvas_api_path_is_a_404_in_the_envelope(settings, alice, path, debug):
    """It was Django's HTML page (its technical page with DEBUG), which the canvas cannot
    read, while /v2/ answered Twilio's 404."""
    settings.DEBUG = debug
    signed_in = Client()
    signed_in.force_login(alice)

    assert_envelope(signed_in.get(path), 404, 20404)
    assert_envelope(signed_in.delete(path), 404, 20404)
    assert_envelope(Client().get(path), 401, 20003)
