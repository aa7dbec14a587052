"""One execution's page: the header, the steps and their contexts (a large one cut with a
link to the whole, those past the page's budget linked, a bounded number of queries), what a
waiting run waits for, why a run ended, how long ago it started, and the revision a test
user's run ran."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from editor import execution_filters
from editor.models import Execution

from .execution_pages_support import (
    TESTER,
    client_for,
    detail_url,
    finish,
    flow_fixture,  # noqa: F401 (the `flow` fixture)
    start,
)

pytestmark = pytest.mark.django_db


def test_the_detail_shows_the_header_the_steps_and_their_contexts(flow, alice):
    execution = finish(start(flow, "+15551000001", body="<b>hello</b>"))

    body = client_for(alice).get(detail_url(flow, execution)).content.decode()

    moves = re.findall(r'<span class="step-move">(\w+) <span class="event">(\w+)</span>', body)
    assert moves == [
        ("Trigger", "incomingMessage"),
        ("send_and_reply_1", "incomingMessage"),
        ("split_1", "match"),
        ("send_message_1", "sent"),
    ]
    assert body.count("<details>") == 4 and body.count('<pre class="context">') == 5
    # Contexts are pretty-printed JSON, escaped: the contact's message is text, not markup.
    assert "<b>hello</b>" not in body
    assert html.escape('"Body": "<b>hello</b>"', quote=True) in body
    assert "FLOW_END" in body and "+15551000001" in body
    assert f'href="/flows/{flow.sid}/?execution={execution.sid}"' in body
    assert "End execution" not in body  # it has ended


def test_the_detail_of_a_waiting_execution_says_what_it_waits_for(flow, alice):
    execution = start(flow, "+15551000001")

    body = client_for(alice).get(detail_url(flow, execution)).content.decode()

    assert "Waiting for" in body
    assert "reply at <strong>send_and_reply_1</strong>" in body
    assert "times out" in body  # the tutorial's reply timeout
    assert "End execution" in body


def test_the_detail_shows_why_an_execution_ended(flow, alice):
    execution = start(flow, "+15551000001")
    state = dict(execution.state, status="ended", ended_reason="ERROR")
    state["ended_detail"] = "split_1: <unknown filter>"
    Execution.objects.filter(pk=execution.pk).update(
        state=state, status="ended", ended_reason="ERROR"
    )

    body = client_for(alice).get(detail_url(flow, execution)).content.decode()

    assert "split_1: &lt;unknown filter&gt;" in body


def test_a_large_context_is_cut_with_a_link_to_the_whole(flow, alice, monkeypatch):
    execution = finish(start(flow, "+15551000001"))
    monkeypatch.setattr(execution_filters, "CONTEXT_CAP", 100)
    client = client_for(alice)

    body = client.get(detail_url(flow, execution)).content.decode()

    assert body.count("Only the first 100") == 5  # four steps and the context now
    step = execution.steps.last()
    link = reverse("execution_step_context", args=[flow.sid, execution.sid, step.sid])
    assert f'href="{link}"' in body
    whole = client.get(link)
    assert whole["Content-Type"].startswith("application/json")
    assert json.loads(whole.content)["widgets"]["send_and_reply_1"]["inbound"]["Body"] == "yes"


def test_past_the_page_budget_contexts_are_linked_not_shown(flow, alice, monkeypatch):
    execution = finish(start(flow, "+15551000001"))
    steps = list(execution.steps.all())
    monkeypatch.setattr(execution_filters, "PAGE_BUDGET", len(steps[0].context) + 1)

    body = client_for(alice).get(detail_url(flow, execution)).content.decode()

    assert body.count("This page already shows as many contexts as it can") == 3
    for step in steps[1:]:
        assert reverse("execution_step_context", args=[flow.sid, execution.sid, step.sid]) in body


def test_the_detail_costs_a_bounded_number_of_queries(flow, alice, django_assert_max_num_queries):
    execution = finish(start(flow, "+15551000001"))
    client = client_for(alice)
    client.get(detail_url(flow, execution))

    # One of them reads its requests to Twilio (none here, so no delivery reports either).
    with django_assert_max_num_queries(9):
        client.get(detail_url(flow, execution))


def test_a_run_started_a_moment_ago_says_just_now(flow, alice):
    """Django's timesince alone said "0 minutes ago" on a test just run."""
    execution = start(flow, TESTER)
    client = client_for(alice)
    page = client.get(reverse("flow_executions", args=[flow.sid])).content.decode()
    assert "just now" in page
    assert "0 minutes" not in page
    detail = client.get(detail_url(flow, execution)).content.decode()
    assert "(just now)" in detail
    Execution.objects.filter(pk=execution.pk).update(
        date_created=timezone.now() - timedelta(hours=3, minutes=5)
    )
    page = client.get(reverse("flow_executions", args=[flow.sid])).content.decode()
    assert "3\xa0hours, 5\xa0minutes ago" in page


def test_the_detail_of_a_test_users_run_says_it_ran_the_latest_revision(flow, alice):
    tester = start(flow, TESTER)
    contact = start(flow, "+15550001111")
    client = client_for(alice)

    tested = client.get(detail_url(flow, tester)).content.decode()
    real = client.get(detail_url(flow, contact)).content.decode()

    note = "(the latest revision, which test users run, published or not)"
    assert note in tested
    assert note not in real
