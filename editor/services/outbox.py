"""The outbox: what an execution asks of Twilio's REST API is written with its state and
sent after commit, so that a killed process neither loses a request nor (but for a window of
milliseconds) sends one twice.

1. `write` runs inside execution_commit.commit()'s transaction. For each outbound effect (Send
   Message, Send & Wait For Reply, Make Outgoing Call, Send to Flex outside a call, Start
   and Resume Conversation, and the removal of their webhook when the execution ends) of an
   execution that contacts started (origin "webhook" or "api") for a team connected to
   Twilio, it inserts an OutboundRequest and enqueues a task to send it (a row of the same
   database, as timers are). Without a connection, or from the test panel or the shell,
   nothing is written: effects stay simulated.
2. `send` (editor/tasks.py, run by the worker) claims the row with a lease, calls Twilio
   through the SDK with no transaction open, then marks it sent and records Twilio's SID in
   one transaction. A retryable failure (no answer, 429, 5xx) is tried again after
   RETRY_DELAYS; anything else, or the last retry, marks it failed and notes that in the
   execution's transcript (services/outbox_failures.py). services/outbox_twilio.py makes
   the SDK's calls and classes their failures.
3. `after_sent`: a waiting Start/Resume Conversation hears `created`/`resumed`
   (services/outbox_conversations.py), a waiting Send Message hears `sent` with the
   Message resource Twilio answered (services/outbox_failures.py), a Flex Interaction made
   in an inbound conversation removes the flow's webhook there (a request of its own), and
   delivery reports that came before the SID was stored apply. A worker killed before
   that runs `send` again (its task is handed back), which finds the row sent and does it
   then.

The window: a sender killed after Twilio accepted the request and before its commit leaves
the row pending (a sender whose database connection was lost meanwhile records it on a new
one: `record_sent`); once its lease runs out the request is sent again. The Messages API takes
no idempotency key, so that gap (one short transaction) is where a duplicate is possible;
a sender killed before Twilio answered loses nothing.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from ..models import (
    Execution,
    Flow,
    OutboundKind,
    OutboundRequest,
    OutboundStatus,
    TwilioConnection,
    reads,
)
from ..models.outbox import remember_authors
from .outbox_requests import request_for
from .outbox_twilio import CONVERSATION_SETUPS, Permanent, Retryable, call_twilio

logger = logging.getLogger(__name__)
# Seconds before each retry: 6 attempts in all, the last about 6.5 minutes after the first.
RETRY_DELAYS = (1, 4, 16, 60, 300)
# A claim outlives the longest request the SDK may make (TWILIO_HTTP_TIMEOUT) by this much.
LEASE_MARGIN = 5.0
# Seconds between tries to record a request Twilio accepted, well within LEASE_MARGIN.
RECORD_RETRIES = (0.25, 0.5, 1.0, 2.0)
# Executions whose effects are real: contacts' (webhooks) and the REST API's.
REAL_ORIGINS = ("webhook", "api")


def is_live(flow: Any, origin: str) -> bool:
    """Whether Twilio carries out this run's effects: contacts' and the REST API's runs of
    a team connected to Twilio (the others are simulated)."""
    if origin not in REAL_ORIGINS:
        return False
    return connected(flow)


def write(execution: Execution, effects: list[dict[str, Any]]) -> list[OutboundRequest]:
    """Inside commit()'s transaction: the outbound requests of these effects, enqueued."""
    if execution.origin not in REAL_ORIGINS or known_connection(execution.flow) is False:
        return []
    made = [made for effect in effects if (made := request_for(execution, effect))]
    if not made or not connected(execution.flow):
        return []
    rows = [
        OutboundRequest(execution=execution, widget=widget, kind=kind, request=request)
        for widget, kind, request in made
    ]
    for row in rows:
        row.save()
        schedule(row.pk, row.next_attempt_at)
    # The Authors it posts as in its conversation, for telling its own messages from a
    # participant's when the webhook brings them back (conversations.py from_the_bot).
    posted = [row for row in rows if row.kind == OutboundKind.CONVERSATION_MESSAGE]
    authors = {(row.request["conversation_sid"], row.request["author"]) for row in posted}
    remember_authors(execution, authors)
    return rows


def connected(flow: Any) -> bool:
    """Whether the flow's team has its Twilio connection: as the start's read found it,
    else asked."""
    known = known_connection(flow)
    return has_connection(flow.team_id) if known is None else known


def known_connection(flow: Any) -> bool | None:
    """Whether the flow's team has its Twilio connection, when it was read already with the
    start's busy check (services/execution_start_read.py start_read keeps it on the team as
    `twilio_connected`), else None."""
    if Flow.team.is_cached(flow):
        return getattr(flow.team, "twilio_connected", None)
    return None


def has_connection(team_id: int) -> bool:
    """Whether the team has its Twilio connection: one plain SELECT (models/reads.py), for
    what did not read it with a start (a reply, a timer, a concurrent call's start)."""
    sql = "SELECT 1 FROM {} WHERE {} = %s LIMIT 1".format(  # noqa: S608 (own names)
        reads.table(TwilioConnection),
        reads.quote(TwilioConnection._meta.get_field("team").column),
    )
    return bool(reads.fetch(sql, [team_id]))


def lease(row: OutboundRequest | None = None) -> timedelta:
    """How long a claim holds the row: every request its send may make, each bounded by
    TWILIO_HTTP_TIMEOUT, and a margin. Shorter, another task could claim the row while its
    sender is still at work and send it a second time."""
    timeout = float(getattr(settings, "TWILIO_HTTP_TIMEOUT", 10))
    return timedelta(seconds=timeout * requests_in(row) + LEASE_MARGIN)


def requests_in(row: OutboundRequest | None) -> int:
    """The most requests one send of the row makes (services/outbox_conversations.py and
    services/outbox_media.py): Start Conversation the conversation (and its fetch when it
    exists already), each participant and the webhook (and, on a retry, the lists of both);
    Resume Conversation a fetch, the participants' list and the webhook (and, on a retry,
    the webhooks' list); a conversation message with media the media's fetch, the service's
    configuration, the upload and the message; anything else one."""
    if row is None:
        return 1
    if row.kind == OutboundKind.START_CONVERSATION:
        return 5 + len(row.request.get("participants") or [])
    if row.kind == OutboundKind.RESUME_CONVERSATION:
        return 4
    if row.kind == OutboundKind.CONVERSATION_MESSAGE and row.request.get("media_url"):
        return 4
    return 1


def schedule(request_id: int, when: datetime) -> None:
    from ..tasks import send_outbound_task

    send_outbound_task.using(run_after=when).enqueue(request_id)


def requeue_stuck(now: datetime | None = None, grace: timedelta = timedelta(minutes=1)) -> int:
    """Enqueue again every pending request overdue by `grace` whose task was lost (one that
    raised, or a queue emptied by hand); the worker does this when it starts. A request
    with two tasks is still sent once: each claims it first."""
    now = now or timezone.now()
    free = Q(leased_until__isnull=True) | Q(leased_until__lte=now)
    stuck = OutboundRequest.objects.filter(
        free, status=OutboundStatus.PENDING, next_attempt_at__lt=now - grace
    ).values_list("pk", flat=True)
    count = 0
    for pk in stuck:
        schedule(pk, now)
        count += 1
    return count


def send(request_id: int, now: datetime | None = None) -> str:
    """Send one outbound request if it is due and nobody holds it; what happened, in a word."""
    now = now or timezone.now()
    row = OutboundRequest.objects.filter(pk=request_id).first()
    if row is None or row.status != OutboundStatus.PENDING:
        if row is not None and row.status == OutboundStatus.SENT:
            after_sent(row)  # a worker killed after sending, before telling the execution
        return "done"
    due = max(row.next_attempt_at, row.leased_until or row.next_attempt_at)
    if due > now:
        schedule(row.pk, due)  # a retry's own task, or a claim that may yet run out
        return "later"
    free = Q(leased_until__isnull=True) | Q(leased_until__lte=now)
    claim = OutboundRequest.objects.filter(free, pk=row.pk, status=OutboundStatus.PENDING)
    if not claim.update(leased_until=now + lease(row), attempts=F("attempts") + 1):
        return "taken"
    row.refresh_from_db()
    try:
        sid, response = call_twilio(row)
    except Retryable as exc:
        return retry_or_fail(row, str(exc), now, exc.after)
    except Permanent as exc:
        return fail(row, str(exc))
    record_sent(row, sid, response)
    row.refresh_from_db()
    after_sent(row)
    return "sent"


def record_sent(row: OutboundRequest, sid: str, response: dict[str, Any]) -> None:
    """Mark the row sent. Twilio has done it: if the database connection was lost during
    the call (a restarted PostgreSQL, a terminated backend), try again on a new connection
    for a few seconds, within the claim, rather than leave the row to be sent again."""
    for delay in (*RECORD_RETRIES, None):
        try:
            OutboundRequest.objects.filter(pk=row.pk).update(
                status=OutboundStatus.SENT,
                twilio_sid=sid,
                response=response,
                error="",
                leased_until=None,
                date_updated=timezone.now(),
            )
            return
        except (OperationalError, InterfaceError):
            if delay is None or connection.in_atomic_block:
                raise
            logger.warning("outbound request %s sent; recording it again", row.pk)
            connection.close()
            time.sleep(delay)


def after_sent(row: OutboundRequest) -> None:
    """What the execution hears once Twilio has what it asked for: a new conversation is
    the waiting Start Conversation's `created`, a Flex task a waiting Send to Flex's
    `callComplete`; a delivery report that came before the message's SID was stored
    applies now (services/outbox_failures.py)."""
    from . import outbox_failures as failures
    from .outbox_conversations import created, hand_off

    if row.kind in CONVERSATION_SETUPS:
        created(row)
    elif row.kind in failures.FLEX_KINDS:
        if row.kind == OutboundKind.INTERACTION:
            hand_off(row)
        failures.flex_created(row)
    elif row.twilio_sid:
        if row.kind in failures.MESSAGE_KINDS:
            failures.message_sent(row) or failures.outbound_known(row)
        failures.apply_early_reports(row)


def retry_or_fail(row: OutboundRequest, error: str, now: datetime, after: float = 0) -> str:
    """Try again after the next of RETRY_DELAYS, or later when Twilio's Retry-After (a 429's,
    a 503's) asks for longer."""
    if row.attempts > len(RETRY_DELAYS):
        return fail(row, error)
    when = now + timedelta(seconds=max(RETRY_DELAYS[row.attempts - 1], after))
    logger.info("outbound request %s failed (%s); again at %s", row.pk, error, when)
    with transaction.atomic():
        OutboundRequest.objects.filter(pk=row.pk).update(
            error=error, next_attempt_at=when, leased_until=None, date_updated=timezone.now()
        )
        schedule(row.pk, when)
    return "retry"


def fail(row: OutboundRequest, error: str) -> str:
    from .outbox_failures import record_failure

    logger.warning("outbound request %s failed for good: %s", row.pk, error)
    record_failure(row, error)
    return "failed"
