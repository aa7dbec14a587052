"""The bot's own messages in a conversation: an Author the flow has posted as is known by one
indexed lookup (editor/models/outbox.py PostedAuthor, written with the outbox row), so the
cost of each webhook does not grow with the conversation, and the migration that brought
PostedAuthor fills it from the outbox rows already there."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from editor.models import Execution, OutboundRequest, PostedAuthor
from editor.samples import load_sample

from .outbox_support import drain, post, twilio_fixture  # noqa: F401
from .test_conversation_start import added as started_added
from .test_conversation_start import run
from .test_conversations import CONVERSATION, added
from .twilio_support import published, webhook_path

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
OLD_SCAN = '"editor_outboundrequest"."request"'


@pytest.fixture
def tutorial(team):
    return published(team, load_sample("conversations-tutorial"), "Tutorial")


def grow(flow, turns: int, start: int) -> int:
    """`turns` more executions in the conversation, each asking and answered (two messages
    posted by the flow as the conversation, its default Author); the next message number."""
    n = start
    for _ in range(turns):
        post(webhook_path(flow), added("hi", n))
        post(webhook_path(flow), added("yes", n + 1))
        drain()
        n += 2
    return n


def queries_of(flow, form) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert post(webhook_path(flow), form).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_a_webhook_costs_the_same_queries_however_long_the_conversation(tutorial, twilio):
    n = grow(tutorial, 1, 1)
    # The bot's message as the Conversations webhook brings it back, with a participant;
    # then the customer's next message, which starts an execution.
    short = [queries_of(tutorial, added("Hi, do you like bots?", n, author=CONVERSATION))]
    short.append(queries_of(tutorial, added("hi", n + 1)))
    post(webhook_path(tutorial), added("yes", n + 2))
    drain()
    n = grow(tutorial, 5, n + 3)
    assert OutboundRequest.objects.filter(kind="conversation_message").count() == 14
    long = [queries_of(tutorial, added("Hi, do you like bots?", n, author=CONVERSATION))]
    long.append(queries_of(tutorial, added("hi", n + 1)))

    assert [len(sqls) for sqls in long] == [len(sqls) for sqls in short]
    assert "editor_postedauthor" in long[0][-1]  # the echo: one lookup, and ignored
    # Not a read of every message the flow posted in the conversation, as before.
    assert not any(OLD_SCAN in sql for sqls in short + long for sql in sqls)
    assert Execution.objects.filter(flow=tutorial, status="active").count() == 1
    assert Execution.objects.filter(flow=tutorial).count() == 8


def test_the_migration_fills_the_authors_of_the_messages_already_posted(tutorial, twilio):
    n = grow(tutorial, 2, 1)
    assert PostedAuthor.objects.count() == 2  # one per execution and author
    PostedAuthor.objects.all().delete()  # as before the migration
    migration = importlib.import_module("editor.migrations.0024_posted_authors")

    migration.fill(apps, None)

    assert PostedAuthor.objects.count() == 2
    post(webhook_path(tutorial), added("Hi, do you like bots?", n, author=CONVERSATION))
    assert not Execution.objects.filter(flow=tutorial, status="active").exists()


def test_the_bots_message_in_a_conversation_start_conversation_made_is_not_its_reply(team, twilio):
    # The commit that moves the execution into the new conversation (its channel address
    # becomes the ConversationSid) also posts Send & Wait's question there.
    execution = run(team)
    drain()  # the conversation is created; the question is queued in the same commit
    execution.refresh_from_db()
    sid = execution.flow_channel_address
    assert sid.startswith("CH") and execution.wait["widget"] == "ask"
    drain()
    [question] = [r for r in twilio.requests if r.get("created") == "conversation_message"]
    echo = {**started_added(sid, question["form"]["Body"], 7), "Author": question["form"]["Author"]}

    post(webhook_path(execution.flow), echo)

    execution.refresh_from_db()
    assert execution.wait["widget"] == "ask" and "inbound" not in execution.context["widgets"].get(
        "ask", {}
    )
    post(webhook_path(execution.flow), started_added(sid, "Yes please", 8))
    execution.refresh_from_db()
    assert execution.context["widgets"]["ask"]["inbound"]["Body"] == "Yes please"
