"""The outbox: every request an execution makes of Twilio's REST API (a message, a call, a
TaskRouter task, a Conversations message, a Flex
interaction), written in the same transaction as the state
that produced it and sent after commit by the task worker (editor/services/outbox.py)."""

from __future__ import annotations

import hashlib

from django.db import connection, models
from django.utils import timezone

from ..fields import JSONTextField
from . import one_trip
from .executions import Execution
from .flows import Flow
from .gathered import values_list
from .rows import insert_head


class OutboundKind(models.TextChoices):
    MESSAGE = "message", "Message"
    CALL = "call", "Call"
    TASK = "task", "TaskRouter task"
    CONVERSATION_MESSAGE = "conversation_message", "Conversations message"
    INTERACTION = "interaction", "Flex interaction"
    START_CONVERSATION = "start_conversation", "New conversation"
    RESUME_CONVERSATION = "resume_conversation", "Conversation resumed"
    REMOVE_WEBHOOK = "remove_webhook", "Conversation webhook removal"


class OutboundStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboundRequest(models.Model):
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="outbound")
    # The widget whose effect this is (a failure is reported under its name).
    widget = models.CharField(max_length=100)  # a widget name (Widget.name)
    kind = models.CharField(max_length=24, choices=OutboundKind.choices)
    # What to send, in the SDK's keyword arguments (see services/outbox.py).
    request = JSONTextField()
    status = models.CharField(
        max_length=8, choices=OutboundStatus.choices, default=OutboundStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Whoever claimed the row may send it until then; afterwards anyone may (a sender that
    # died mid-request leaves it claimed, never lost).
    leased_until = models.DateTimeField(null=True, blank=True)
    # Twilio's SID for what was created (SM…, CA…, WT…, IM…, KD…, CH…), set with status=sent.
    twilio_sid = models.CharField(max_length=34, blank=True, db_index=True)
    response = JSONTextField(default=dict)
    error = models.TextField(blank=True)
    date_created = models.DateTimeField(auto_now_add=True)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbound_due")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.widget} ({self.status})"


class EarlyReport(models.Model):
    """A delivery report (a message's status callback, a Conversations delivery receipt)
    that arrived before the outbox stored the SID Twilio gave the message: kept until the
    sender stores it, then applied (services/outbox_failures.py)."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="+")
    message_sid = models.CharField(max_length=34)
    status = models.CharField(max_length=16)
    params = JSONTextField(default=dict)
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message_sid", "status"], name="one_early_report")
        ]

    def __str__(self) -> str:
        return f"{self.status} for {self.message_sid}"


def hash_author(author: str) -> str:
    """What a PostedAuthor row keeps of an Author: its SHA-256, a fixed length for the
    index whatever length the flow's `from` has."""
    return hashlib.sha256(author.encode()).hexdigest()


class PostedAuthor(models.Model):
    """An Author the flow posted a Conversations message as, in a conversation (the
    message's ConversationSid: the execution's `flow_channel_address` once it is in one,
    also in the very commit where Start Conversation moves it there), written with the
    message's outbox row (services/outbox.py write), so that telling the bot's own messages
    from a participant's (services/conversations.py from_the_bot) is one indexed lookup,
    however long the conversation. One row per execution, conversation and author, deleted
    with the execution."""

    execution = models.ForeignKey(
        Execution, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The indexes below start with these: no index of their own.
    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="+", db_index=False)
    conversation = models.CharField(max_length=255)
    author_hash = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(
                fields=["flow", "conversation", "author_hash"], name="posted_author_lookup"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["execution", "conversation", "author_hash"], name="one_posted_author"
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_hash[:8]} in {self.conversation}"


POSTED_FIELDS = ("execution", "flow", "conversation", "author_hash")


def remember_authors(execution: Execution, authors: set[tuple[str, str]]) -> None:
    """Inside the commit's one_trip block (services/outbox.py write): a PostedAuthor for
    each (ConversationSid, Author) the execution has not posted as yet. One INSERT that
    skips the known ones (ON CONFLICT DO NOTHING, PostgreSQL's and SQLite's), gathered with
    the commit's other writes; bulk_create would open a transaction of its own, which
    one_trip refuses."""
    if not authors:
        return
    head = insert_head(PostedAuthor, POSTED_FIELDS, connection.vendor)
    rows = [
        (execution.pk, execution.flow_id, conversation, hash_author(author))
        for conversation, author in sorted(authors)
    ]
    sql = f"{head} VALUES {values_list(len(POSTED_FIELDS), len(rows))} ON CONFLICT DO NOTHING"
    one_trip.write(sql, [value for row in rows for value in row])
