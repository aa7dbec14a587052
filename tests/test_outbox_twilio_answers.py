"""Twilio's answers to the outbox's requests as the wire carries them (the fake Twilio on
loopback, tests/fake_twilio.py, answering scripted requests): a rate limit's Retry-After,
RFC 9457 problem details, a 2xx that is not JSON; and the claim of a request that makes
several calls (editor/services/outbox.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from editor.models import OutboundRequest
from editor.samples import load_sample
from editor.services import outbox, outbox_conversations

from .outbox_support import drain, post, twilio_fixture  # noqa: F401
from .test_conversation_start import created, run
from .twilio_support import TWILIO_ACCOUNT, published, sms, webhook_path

pytestmark = pytest.mark.django_db
FIRST = "SM" + "1" * 32


@pytest.fixture
def tutorial(team):
    return published(team, load_sample("conversations-tutorial"), "Tutorial")


def test_a_rate_limit_is_retried_no_sooner_than_twilios_retry_after(tutorial, twilio):
    post(webhook_path(tutorial), sms("hi", FIRST))
    limited = {"code": 20429, "message": "Too Many Requests", "status": 429}
    path = f"/2010-04-01/Accounts/{TWILIO_ACCOUNT}/Messages.json"
    twilio.script("POST", path, 429, limited, {"Retry-After": "120"})
    now = timezone.now()
    assert drain(now) == ["retry"]
    row = OutboundRequest.objects.get()
    assert row.next_attempt_at == now + timedelta(seconds=120)  # not the first delay's 1
    assert "429 (error 20429)" in row.error
    assert drain(now + timedelta(seconds=60)) == ["later"]
    assert drain(now + timedelta(seconds=120)) == ["sent"]
    assert len(twilio.created("message")) == 1


def test_problem_details_from_twilio_are_a_refusal_not_an_unreachable_twilio(tutorial, twilio):
    post(webhook_path(tutorial), sms("hi", FIRST))
    problem = {
        "type": "https://www.twilio.com/docs/errors/21211",
        "title": "Invalid 'To' Phone Number",
        "status": 400,
        "code": 21211,
        "detail": "+1555 is not a valid phone number",
    }
    path = f"/2010-04-01/Accounts/{TWILIO_ACCOUNT}/Messages.json"
    twilio.script("POST", path, 400, problem)
    assert drain() == ["failed"]  # a 400 is final, not retried as if Twilio were unreachable
    row = OutboundRequest.objects.get()
    assert row.error == (
        "Twilio answered 400 (error 21211): Invalid 'To' Phone Number "
        "+1555 is not a valid phone number"
    )


def test_an_unreadable_answer_is_not_sent_again_and_says_why(tutorial, twilio):
    post(webhook_path(tutorial), sms("hi", FIRST))
    path = f"/2010-04-01/Accounts/{TWILIO_ACCOUNT}/Messages.json"
    twilio.script("POST", path, 201, b'{"sid": "SM', {"Content-Type": "application/json"})
    assert drain() == ["failed"]
    row = OutboundRequest.objects.get()
    assert row.error.startswith("Twilio's answer could not be read (it was not JSON)")
    assert "not sent again" in row.error and "Cannot send this request" not in row.error
    assert drain() == []


def test_a_second_task_cannot_claim_the_request_while_its_sender_is_still_at_work(
    team, twilio, settings, monkeypatch
):
    """One Start Conversation is several requests, each up to TWILIO_HTTP_TIMEOUT: the
    claim lasts for all of them, so that another task (a worker started meanwhile requeues
    it) does not create the participants and the webhook a second time."""
    run(team)
    row = OutboundRequest.objects.get(kind="start_conversation")
    now = timezone.now()
    # Past one request's timeout and the margin: the sender is still making its requests.
    later = now + timedelta(seconds=float(settings.TWILIO_HTTP_TIMEOUT) + outbox.LEASE_MARGIN + 1)
    real = outbox_conversations.fields_of
    second, tried = [], []

    def slow(resource):
        if resource.sid.startswith("MB") and not tried:
            tried.append(True)
            second.append(outbox.send(row.pk, later))
        return real(resource)

    monkeypatch.setattr(outbox_conversations, "fields_of", slow)
    assert outbox.send(row.pk, now) == "sent"
    assert second == ["later"]
    assert len(created(twilio, "participant")) == 1
    assert len(created(twilio, "conversation_webhook")) == 1
