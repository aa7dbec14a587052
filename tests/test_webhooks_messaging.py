"""Incoming messages at a flow's Webhook URL, signed as Twilio signs them: they start
executions or answer the waiting one, once each however often Twilio retries, and nothing
runs without a valid signature from the team's own Twilio account."""

from __future__ import annotations

import pytest

from editor.models import Execution, ExecutionStep
from editor.samples import load_sample

from .engine_support import flow, state
from .outbox_support import drain
from .twilio_support import (
    AUTH_TOKEN,
    CALLER,
    NUMBER,
    SERVER,
    TWILIO_ACCOUNT,
    connect,
    fake_twilio,
    get,
    post,
    published,
    sign,
    sms,
    twiml,
    verbs,
    webhook_path,
)

pytestmark = pytest.mark.django_db
FIRST, SECOND = "SM" + "1" * 32, "SM" + "2" * 32


@pytest.fixture(name="twilio")
def twilio_fixture(settings, team):
    """The team's Twilio account, faked: a live Send Message waits for its answer, which
    `drain()` brings (the webhook URL signed stays this test server's own)."""
    connect(team)
    with fake_twilio({TWILIO_ACCOUNT: AUTH_TOKEN}) as server:
        for name in ("API", "CONVERSATIONS", "TASKROUTER", "FLEX_API", "STUDIO", "MEDIA"):
            setattr(settings, f"TWILIO_{name}_BASE", server.base)
        yield server


@pytest.fixture
def tutorial(team, twilio):
    return published(team, load_sample("conversations-tutorial"), "Tutorial")


def test_a_message_starts_an_execution_and_is_acknowledged_with_empty_twiml(tutorial):
    form = sms("hi", FIRST, ProfileName="Ada", SomethingNew="kept")
    root = twiml(post(webhook_path(tutorial), form))
    assert verbs(root) == []
    execution = Execution.objects.get(flow=tutorial)
    assert execution.origin == "webhook" and execution.initiated_by == FIRST
    assert execution.trigger == "message"
    assert (execution.contact_channel_address, execution.flow_channel_address) == (CALLER, NUMBER)
    # Studio passes the webhook through verbatim, keys it does not know included.
    assert execution.context["trigger"]["message"] == form
    assert execution.wait["widget"] == "send_and_reply_1"


def test_the_next_message_is_the_waiting_executions_reply(tutorial):
    post(webhook_path(tutorial), sms("hi", FIRST))
    twiml(post(webhook_path(tutorial), sms("Yes", SECOND)))
    execution = Execution.objects.get(flow=tutorial)
    assert execution.wait["widget"] == "send_message_1"  # until Twilio answers
    drain()
    execution.refresh_from_db()
    assert execution.status == "ended"
    assert execution.context["widgets"]["send_and_reply_1"]["inbound"]["Body"] == "Yes"
    assert execution.context["widgets"]["send_message_1"]["outbound"]["Body"].startswith("Great!")


def test_a_retried_first_message_starts_nothing_more(tutorial):
    first = post(webhook_path(tutorial), sms("hi", FIRST))
    again = post(webhook_path(tutorial), sms("hi", FIRST))
    assert first.content == again.content
    execution = Execution.objects.get(flow=tutorial)
    assert execution.status == "active" and execution.wait["widget"] == "send_and_reply_1"


def test_a_retried_reply_moves_the_execution_on_once(tutorial):
    post(webhook_path(tutorial), sms("hi", FIRST))
    post(webhook_path(tutorial), sms("Yes", SECOND))
    steps = ExecutionStep.objects.count()
    twiml(post(webhook_path(tutorial), sms("Yes", SECOND)))
    # The reply ended the execution: its retry neither starts a new one nor adds steps.
    assert Execution.objects.filter(flow=tutorial).count() == 1
    assert ExecutionStep.objects.count() == steps


def test_a_message_after_the_end_starts_a_new_execution(tutorial):
    post(webhook_path(tutorial), sms("hi", FIRST))
    post(webhook_path(tutorial), sms("Yes", SECOND))
    drain()
    post(webhook_path(tutorial), sms("hello again", "SM" + "3" * 32))
    assert Execution.objects.filter(flow=tutorial, status="active").count() == 1
    assert Execution.objects.filter(flow=tutorial).count() == 2


@pytest.mark.parametrize(
    "signature",
    [
        "",  # missing
        "bm90IGEgc2lnbmF0dXJl",  # made up
        sign(SERVER + "/somewhere/else", sms("hi", FIRST)),  # for another URL
        sign(SERVER + "/v1/", sms("hi", FIRST), token="0" * 32),  # another account's token
    ],
)
def test_a_request_without_a_valid_signature_is_refused_and_runs_nothing(tutorial, signature):
    response = post(webhook_path(tutorial), sms("hi", FIRST), signature=signature)
    assert response.status_code == 403
    assert not Execution.objects.exists()


def test_a_changed_parameter_breaks_the_signature(tutorial):
    url = SERVER + webhook_path(tutorial)
    signature = sign(url, sms("hi", FIRST))
    response = post(webhook_path(tutorial), sms("bye", FIRST), signature=signature)
    assert response.status_code == 403
    assert not Execution.objects.exists()


def test_a_team_without_a_twilio_connection_refuses_webhooks(team, caplog):
    unconnected = published(team, load_sample("conversations-tutorial"))
    with caplog.at_level("WARNING", logger="editor.webhooks.views"):
        response = post(webhook_path(unconnected), sms("hi", FIRST))
    assert response.status_code == 403
    assert "no Twilio connection" in caplog.text  # for the operator, not for the caller
    assert not Execution.objects.exists()


def test_a_connection_with_only_an_api_key_cannot_verify_webhooks(tutorial):
    connection = tutorial.team.twilio_connection
    connection.auth_token = ""
    connection.api_key_sid, connection.api_key_secret = "SK" + "5" * 32, "secret"
    connection.save()
    assert post(webhook_path(tutorial), sms("hi", FIRST)).status_code == 403


def test_the_signature_covers_the_public_url_behind_a_proxy(tutorial, settings, caplog):
    settings.TWILIO_WEBHOOK_BASE_URL = "https://studio.example.com"
    path = webhook_path(tutorial)
    with caplog.at_level("WARNING", logger="editor.webhooks.views"):
        internal = post(path, sms("hi", FIRST))
    assert internal.status_code == 403
    # The operator's log names the URL checked, to compare with the one Twilio requested.
    assert f"https://studio.example.com{path}" in caplog.text
    public = post(path, sms("hi", FIRST), signed_url="https://studio.example.com" + path)
    assert public.status_code == 200
    assert Execution.objects.filter(flow=tutorial).count() == 1


@pytest.mark.parametrize("query", ['?data={"ok":true}', "?pick=a|b", "?x=%7B1%7D&y=a+b"])
def test_the_signature_covers_the_query_as_twilio_requested_it(tutorial, query):
    """Twilio signs the URL it requested, query as written (a TwiML app's return URL may
    carry raw JSON): the check must not re-encode it first ({ | and " were)."""
    path = webhook_path(tutorial) + query
    assert post(path, sms("hi", FIRST)).status_code == 200
    assert Execution.objects.filter(flow=tutorial).count() == 1


def test_a_message_from_another_twilio_account_is_refused(tutorial):
    form = sms("hi", FIRST, AccountSid="AC" + "9" * 32)
    assert post(webhook_path(tutorial), form).status_code == 403
    assert not Execution.objects.exists()


def test_the_webhook_answers_under_the_connected_accounts_sid_too(tutorial):
    twiml(post(webhook_path(tutorial, TWILIO_ACCOUNT), sms("hi", FIRST)))
    assert Execution.objects.filter(flow=tutorial).count() == 1


def test_an_unknown_flow_is_refused_like_any_unverified_request(tutorial, other_team):
    elsewhere = f"/v1/Accounts/{other_team.account_sid}/Flows/{tutorial.sid}"
    unknown = post(elsewhere, sms("hi", FIRST))
    unsigned = post(webhook_path(tutorial), sms("hi", FIRST), signature="")
    # Nobody without the token learns which flows exist or are connected.
    assert (unknown.status_code, unknown.content) == (403, unsigned.content)
    gone = f"/v1/Accounts/{TWILIO_ACCOUNT}/Flows/FW{'0' * 32}"
    assert post(gone, {}, token="another account's token").status_code == 403
    assert not Execution.objects.exists()


def test_a_flow_that_is_gone_is_404_to_a_request_signed_by_its_account(tutorial):
    """A number still pointing at a deleted or moved flow: the signature proves the request
    holds the account's token, so the answer (which Twilio's debugger shows) says why."""
    for account in (TWILIO_ACCOUNT, tutorial.team.account_sid):
        gone = post(f"/v1/Accounts/{account}/Flows/FW{'0' * 32}", sms("hi", FIRST))
        assert gone.status_code == 404
        assert f"No flow FW{'0' * 32} in account {account}" in gone.content.decode()
        assert "deleted or moved" in gone.content.decode()
    assert not Execution.objects.exists()


def test_a_get_webhook_is_signed_over_its_query(tutorial):
    twiml(get(webhook_path(tutorial), sms("hi", FIRST)))
    assert Execution.objects.get(flow=tutorial).context["trigger"]["message"]["Body"] == "hi"


def test_a_flow_never_published_answers_an_error_and_runs_nothing(team):
    connect(team)
    draft = published(team, load_sample("conversations-tutorial"))
    draft.revisions.update(status="draft")
    response = post(webhook_path(draft), sms("hi", FIRST))
    assert response.status_code == 400 and b"no published revision" in response.content
    assert not Execution.objects.exists()


def test_a_test_user_runs_the_draft(tutorial):
    tutorial.test_users = [CALLER]
    tutorial.save(update_fields=["test_users"])
    post(webhook_path(tutorial), sms("hi", FIRST))
    assert Execution.objects.get(flow=tutorial).test_user


def test_a_twiml_redirect_hands_the_message_over_and_its_return_moves_on(team):
    connect(team)
    redirect = {"url": "https://example.com/more.xml", "method": "POST", "timeout": "60"}
    definition = flow(state("hand_over", "add-twiml-redirect", redirect, **{"return": None}))
    handing = published(team, definition)
    root = twiml(post(webhook_path(handing), sms("hi", FIRST)))
    assert verbs(root) == ["Redirect"]
    assert root[0].text == "https://example.com/more.xml" and root[0].get("method") == "POST"
    # Another message meanwhile is not handed over again.
    assert verbs(twiml(post(webhook_path(handing), sms("still there?", SECOND)))) == []
    back = {**sms("hi", FIRST), "FlowEvent": "return", "orderId": "42"}
    twiml(post(webhook_path(handing) + "?FlowEvent=return&orderId=42", sms("hi", FIRST)))
    execution = Execution.objects.get(flow=handing)
    assert execution.status == "ended"
    outputs = execution.context["widgets"]["hand_over"]
    assert outputs["orderId"] == "42" and "FlowEvent" not in outputs
    assert outputs["Body"] == back["Body"]


def test_the_flow_page_shows_the_public_webhook_url(tutorial, alice, settings, client):
    settings.TWILIO_WEBHOOK_BASE_URL = "https://studio.example.com"
    client.force_login(alice)
    page = client.get(f"/flows/{tutorial.sid}/").content.decode()
    assert f"https://studio.example.com{webhook_path(tutorial)}" in page
    assert AUTH_TOKEN not in page


def test_two_deliveries_of_one_message_racing_start_one_execution(team, twilio, monkeypatch):
    from editor.services import webhooks

    notice = {"body": "We are closed today.", "from": "{{flow.channel.address}}"}
    closed = published(team, flow(state("notice", "send-message", notice, sent=None)))
    post(webhook_path(closed), sms("hi", FIRST))
    drain()
    assert Execution.objects.get(flow=closed).status == "ended"
    real, looks = webhooks.message_seen, []

    def too_early(*args):
        # The second delivery looks before the first has committed, and finds nothing.
        looks.append(args)
        return False if len(looks) == 1 else real(*args)

    monkeypatch.setattr(webhooks, "message_seen", too_early)
    twiml(post(webhook_path(closed), sms("hi", FIRST)))
    assert len(looks) == 2  # the insert was refused, and the message found
    assert Execution.objects.filter(flow=closed).count() == 1


@pytest.mark.both_databases
@pytest.mark.parametrize("field", ["From", "To", "MessageSid", "ProfileName"])
def test_a_signed_message_with_a_nul_outside_its_body_is_a_400(tutorial, field):
    # PostgreSQL refuses a NUL in the columns and queries a From or a MessageSid reaches.
    form = sms("hi", FIRST) | {field: "+1555\x00"}

    response = post(webhook_path(tutorial), form)

    assert response.status_code == 400
    assert response.content.decode() == f"The parameter {field} holds a NUL character (U+0000)"
    assert not Execution.objects.exists()


@pytest.mark.both_databases
def test_a_nul_in_a_messages_body_is_the_contacts_text_and_runs(tutorial):
    root = twiml(post(webhook_path(tutorial), sms("a\x00b", FIRST)))

    assert verbs(root) == []
    execution = Execution.objects.get(flow=tutorial)
    assert execution.context["trigger"]["message"]["Body"] == "a\x00b"
