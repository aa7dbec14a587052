"""Pull and push against Twilio's Studio API as the wire carries its answers: the fake of
Twilio on loopback (tests/fake_twilio.py) answers the Studio requests scripted here (a
cut-off body, a rate limit, an outage, a refused key, RFC 9457 problem details). Each is
a message on the page that says what to do, with nothing saved, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from editor import services
from editor.models import Flow, RemoteFlow

from .sync_support import definition
from .team_support import browser_for, messages_of
from .twilio_support import AUTH_TOKEN, TWILIO_ACCOUNT, connect, fake_twilio

REMOTE = "FW" + "a" * 32
LIST = "/v2/Flows?PageSize=100"
STUDIO = "https://studio.twilio.com"


def flow_resource(body: str = "Hi", revision: int = 1, status: str = "published") -> dict:
    """A Flow resource as Studio v2 answers it (snake_case JSON)."""
    return {
        "sid": REMOTE,
        "account_sid": TWILIO_ACCOUNT,
        "friendly_name": "Survey",
        "status": status,
        "revision": revision,
        "definition": definition(body),
        "commit_message": None,
        "date_updated": "2026-01-01T00:00:00Z",
        "url": f"https://studio.twilio.com/v2/Flows/{REMOTE}",
    }


@pytest.fixture(name="studio")
def studio_fixture(team, settings):
    connect(team)
    with fake_twilio({TWILIO_ACCOUNT: AUTH_TOKEN}) as server:
        settings.TWILIO_STUDIO_BASE = server.base
        yield server


def listed(user: Any) -> str:
    response = browser_for(user).get("/teams/acme/twilio/flows/")
    assert response.status_code == 200
    return response.content.decode().replace("&#x27;", "'")


def pull_from_list(user: Any) -> list[str]:
    response = browser_for(user).submit("/teams/acme/twilio/flows/", {"sid": REMOTE}, follow=True)
    assert response.status_code == 200
    return messages_of(response)


def pulled(studio: Any, user: Any) -> Flow:
    studio.script("GET", f"/v2/Flows/{REMOTE}", 200, flow_resource())
    studio.script("GET", f"/v2/Flows/{REMOTE}/TestUsers", 200, {"sid": REMOTE, "test_users": []})
    pull_from_list(user)
    return RemoteFlow.objects.get(remote_sid=REMOTE).flow


@pytest.mark.parametrize(
    "body",
    [b'{"flows": [{"sid": "FW', {"meta": {"page": 0}}, {"flows": [{"sid": REMOTE}]}],
    ids=["cut-off", "no-records", "no-revision"],
)
def test_an_unreadable_list_is_a_message_not_a_500(studio, alice, body):
    studio.script("GET", LIST, 200, body)
    page = listed(alice)
    assert "Twilio's Studio API sent an answer that could not be read" in page


@pytest.mark.parametrize(
    "body",
    [b"{not json", {**flow_resource(), "definition": None}, {"sid": REMOTE}],
    ids=["malformed", "no-definition", "no-revision"],
)
def test_an_unreadable_flow_is_not_pulled(studio, team, alice, body):
    studio.script("GET", f"/v2/Flows/{REMOTE}", 200, body)
    (said,) = pull_from_list(alice)
    assert said.startswith(f"{REMOTE} was not pulled: Twilio's Studio API sent an answer")
    assert "nothing was changed here" in said
    assert not Flow.objects.filter(team=team).exists()


def test_an_unreadable_answer_to_a_push_says_it_may_have_landed(studio, alice):
    flow = pulled(studio, alice)
    studio.script("GET", f"/v2/Flows/{REMOTE}", 200, flow_resource())
    studio.script("POST", f"/v2/Flows/{REMOTE}", 200, b"<html>Bad gateway</html>")
    before = RemoteFlow.objects.get(flow=flow).date_synced
    services.update_flow(flow, status="draft", definition=definition("Two"))
    response = browser_for(alice).submit(f"/flows/{flow.sid}/twilio/push/", {}, follow=True)
    assert response.status_code == 200
    (said,) = messages_of(response)
    assert said.startswith("Not pushed: Twilio's Studio API sent an answer that could not")
    assert f"Twilio may have saved {REMOTE} all the same: push again to see where" in said
    assert RemoteFlow.objects.get(flow=flow).date_synced == before  # nothing recorded


def test_a_rate_limit_says_when_to_try_again(studio, alice):
    limited = {"code": 20429, "message": "Too Many Requests", "status": 429}
    studio.script("GET", LIST, 429, limited, {"Retry-After": "7"})
    assert "Twilio answered 429 (error 20429)" in listed(alice)
    studio.script("GET", f"/v2/Flows/{REMOTE}", 429, limited, {"Retry-After": "30"})
    (said,) = pull_from_list(alice)
    assert said.startswith(f"{REMOTE} was not pulled: Twilio answered 429 (error 20429)")
    assert said.endswith("Try again in 30 seconds.")


def test_refused_credentials_say_who_can_fix_them(studio, alice):
    refused = {"code": 20003, "message": "Authenticate", "status": 401}
    studio.script("GET", LIST, 401, refused)
    fix = "an owner can enter them again on the team page (Twilio account)"
    assert fix in listed(alice)
    studio.script("GET", f"/v2/Flows/{REMOTE}", 401, refused)
    (said,) = pull_from_list(alice)
    assert "Twilio refused the team's credentials" in said and fix in said


def test_an_outage_says_to_try_later_without_an_empty_error_code(studio, alice):
    studio.script("GET", LIST, 503, b"<html>Service Unavailable</html>")
    page = listed(alice)
    assert "Twilio answered 503. Twilio's Studio API failed; try again later." in page
    assert "error None" not in page


def test_problem_details_are_twilios_refusal_not_an_unreachable_api(studio, alice):
    problem = {
        "type": "https://www.twilio.com/docs/errors/20001",
        "title": "Invalid parameter",
        "status": 400,
        "code": 20001,
        "detail": "Definition is invalid",
        "errors": [{"pointer": "#/states/1/properties/body", "detail": "must be a string"}],
    }
    studio.script("GET", f"/v2/Flows/{REMOTE}", 400, problem)
    (said,) = pull_from_list(alice)
    assert "Could not reach" not in said
    assert said == (
        f"{REMOTE} was not pulled: Twilio answered 400 (error 20001): Invalid parameter "
        "Definition is invalid #/states/1/properties/body: must be a string"
    )


def test_a_flow_created_on_twilio_whose_test_users_fail_is_remembered_not_made_twice(
    studio, team, alice
):
    flow = services.create_flow(team, friendly_name="Survey", definition=definition("Hi"))
    services.set_test_users(flow, ["+15550001111"])
    created = {**flow_resource(status="draft"), "definition": flow.definition()}
    studio.script("POST", "/v2/Flows", 201, created)
    studio.script("POST", f"/v2/Flows/{REMOTE}/TestUsers", 503, {"code": 20503, "status": 503})
    response = browser_for(alice).submit(f"/flows/{flow.sid}/twilio/push/", {}, follow=True)
    said = messages_of(response)
    assert said[0].startswith(f"{REMOTE} was written, but its test users were not set on Twilio")
    assert said[1] == f"Created {REMOTE} on Twilio: revision 1, a draft."
    assert RemoteFlow.objects.get(flow=flow).remote_sid == REMOTE
    # The next push finds its twin (up to date), rather than creating a second flow, and
    # sends the test users Twilio does not have.
    studio.script("GET", f"/v2/Flows/{REMOTE}", 200, created)
    studio.script("GET", f"/v2/Flows/{REMOTE}/TestUsers", 200, {"sid": REMOTE, "test_users": []})
    users = {"sid": REMOTE, "test_users": ["+15550001111"]}
    studio.script("POST", f"/v2/Flows/{REMOTE}/TestUsers", 200, users)
    response = browser_for(alice).submit(f"/flows/{flow.sid}/twilio/push/", {}, follow=True)
    assert messages_of(response) == [
        f"The test users of {REMOTE} on Twilio are this flow's now.",
        f"Twilio's {REMOTE} is already this flow; nothing was pushed.",
    ]
    creates = [r for r in studio.requests if r["method"] == "POST" and r["path"] == "/v2/Flows"]
    assert len(creates) == 1
    assert creates[0]["form"]["Status"] == "draft" and "CommitMessage" in creates[0]["form"]


def test_a_push_that_times_out_says_what_twilio_may_have_done(studio, team, alice, settings):
    settings.TWILIO_HTTP_TIMEOUT = 0.5
    flow = services.create_flow(team, friendly_name="Survey", definition=definition("Hi"))
    created = {**flow_resource(status="draft"), "definition": flow.definition()}
    studio.script("POST", "/v2/Flows", 201, created, delay=1.5)
    response = browser_for(alice).submit(f"/flows/{flow.sid}/twilio/push/", {}, follow=True)
    (said,) = messages_of(response)
    assert said.startswith("Not pushed: Could not reach Twilio's Studio API: 127.0.0.1 did not")
    assert said.endswith(
        "Twilio may have created “Survey” all the same: look for it among the account's "
        "Studio flows before pushing again, as another push creates another flow."
    )
    assert not RemoteFlow.objects.filter(flow=flow).exists()


def test_the_list_follows_meta_next_page_url_onto_the_configured_base(studio, alice):
    """Studio's list pages name the next page with an absolute URL on studio.twilio.com;
    it is requested from TWILIO_STUDIO_BASE like the first."""
    other = "FW" + "b" * 32
    following = "/v2/Flows?PageSize=100&Page=1&PageToken=PAabc"
    meta = {"key": "flows", "page": 0, "page_size": 100}
    first = {"flows": [flow_resource()], "meta": {**meta, "next_page_url": STUDIO + following}}
    second = {"flows": [{**flow_resource(), "sid": other, "friendly_name": "Recall"}]}
    second["meta"] = {**meta, "page": 1, "next_page_url": None}
    studio.script("GET", LIST, 200, first)
    studio.script("GET", following, 200, second)
    page = listed(alice)
    assert REMOTE in page and other in page and "Recall" in page
    assert [r["path"] for r in studio.requests] == [LIST, following]


def test_twilios_validation_errors_are_listed_by_property_path_and_nothing_is_recorded(
    studio, alice
):
    flow = pulled(studio, alice)
    before = RemoteFlow.objects.get(flow=flow).date_synced
    services.update_flow(flow, status="draft", definition=definition("Two"))
    invalid = {
        "code": 20001,
        "message": "Invalid definition",
        "status": 400,
        "details": {
            "errors": [
                {"message": "must be a string", "property_path": "#/states/1/properties/body"}
            ],
            "warnings": [],
        },
    }
    studio.script("GET", f"/v2/Flows/{REMOTE}", 200, flow_resource())
    studio.script("POST", f"/v2/Flows/{REMOTE}", 400, invalid)
    response = browser_for(alice).submit(
        f"/flows/{flow.sid}/twilio/push/", {"message": "Two", "publish": "on"}, follow=True
    )
    assert messages_of(response) == [
        "Not pushed: Twilio answered 400 (error 20001): Unable to update record: Invalid "
        "definition #/states/1/properties/body: must be a string"
    ]
    update = studio.requests[-1]
    assert update["form"]["Status"] == "published" and update["form"]["CommitMessage"] == "Two"
    assert RemoteFlow.objects.get(flow=flow).date_synced == before
