"""A tester's input, the hot path of the flow websocket (editor/consumers/commands.py
`drive_now`): one read for the role and the execution, the writes of one commit together,
and an answer built from what the commit wrote, the same as a later read gives.

The Conversations tutorial: Trigger -> send_and_reply_1 (waits) -> split_1 ->
send_message_1 (yes) | send_message_2 (no) | send_message_3 (anything else)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from editor import services
from editor.consumers import commands
from editor.models import Breakpoint, Execution, Membership, TranscriptEntry, WidgetMock
from editor.models.one_trip import VersionMoved, one_trip
from editor.samples import load_sample
from editor.services.runs import ports_for
from editor.services.transcripts import entries_after

pytestmark = pytest.mark.django_db(transaction=True)


def started(flow: Any, user: Any) -> Execution:
    frame = {"trigger": "conversation", "contact": "+15550001111", "body": "Hi"}
    return commands.start(flow, frame, user)


def reply(flow: Any, user: Any, execution: Execution, body: str, have: int) -> tuple:
    frame = {"type": "run.reply", "execution": execution.sid, "body": body}
    return commands.drive_now(user, flow, frame, have)


def statements(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"].split()[0].upper() for query in captured.captured_queries]


def test_the_answer_holds_exactly_the_entries_a_later_read_gives(tutorial, alice):
    execution = started(tutorial, alice)
    have = execution.state["entries"]

    role, answer, pending = reply(tutorial, alice, execution, "yes", have)

    stored = Execution.objects.get(pk=execution.pk)
    assert role == "owner"
    assert answer["entries"] == entries_after(stored, have)
    assert [e["seq"] for e in answer["entries"]] == list(
        range(have + 1, stored.state["entries"] + 1)
    )
    assert answer["execution"]["last_seq"] == stored.state["entries"]
    assert [group for group, _ in pending] == [f"execution.{execution.sid}"]


def test_an_answer_after_a_gap_reads_what_the_tester_missed(tutorial, alice):
    execution = started(tutorial, alice)

    _, answer, _ = reply(tutorial, alice, execution, "no", 0)  # has nothing yet

    stored = Execution.objects.get(pk=execution.pk)
    assert answer["entries"] == entries_after(stored, 0)
    assert answer["entries"][0]["seq"] == 1


def test_a_reply_is_one_read_then_one_transaction_and_nothing_after(tutorial, alice):
    execution = started(tutorial, alice)
    have = execution.state["entries"]

    with CaptureQueriesContext(connection) as captured:
        reply(tutorial, alice, execution, "yes", have)

    kinds = statements(captured)
    # No mocks, no breakpoints: neither is read; the answer's entries are not read back.
    assert kinds[0] == "SELECT" and "SELECT" not in kinds[1:], kinds
    if connection.vendor == "postgresql":
        assert kinds[1:] == ["WITH"], kinds  # the commit: one statement (models/gathered.py)
    else:
        assert kinds[-1] == "COMMIT", kinds
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "editor_widgetmock" not in tables and 'editor_breakpoint" WHERE' not in tables


def test_breakpoints_are_read_only_when_the_flow_has_some(tutorial, alice, bob):
    execution = started(tutorial, alice)
    have = execution.state["entries"]
    Breakpoint.objects.create(flow=tutorial, user=bob, widget="split_1")  # bob's, not alice's

    with CaptureQueriesContext(connection) as captured:
        _, answer, _ = reply(tutorial, alice, execution, "yes", have)

    assert any("editor_breakpoint" in q["sql"] for q in captured.captured_queries[1:])
    # Only the tester's own breakpoints pause a run: alice's run went on through split_1.
    assert answer["execution"]["status"] == "ended"


def test_a_mock_is_read_when_a_widget_asks_for_one(team, alice):
    flow = services.create_flow(
        team, friendly_name="Mocked", definition=load_sample("conversations-tutorial")
    )
    WidgetMock.objects.create(flow=flow, widget="nothing_calls_it", status=200, body="{}")
    mocks = ports_for(flow, mocked=True).http.mocks

    assert mocks.read is None  # nothing asked yet
    assert mocks.get("nothing_calls_it").status == 200
    assert mocks.get("another") is None
    assert list(mocks) == ["nothing_calls_it"]


def test_a_tester_removed_from_the_team_gets_no_answer_and_nothing_is_written(tutorial, bob):
    execution = started(tutorial, bob)
    Membership.objects.filter(user=bob).delete()

    role, answer, pending = reply(tutorial, bob, execution, "yes", 0)

    assert (role, answer, pending) == (None, None, [])
    assert Execution.objects.get(pk=execution.pk).version == execution.version


def test_an_unknown_execution_is_refused_as_not_found(tutorial, alice):
    frame = {"type": "run.reply", "execution": "FN" + "0" * 32, "body": "yes"}

    with pytest.raises(commands.Refused) as refused:
        commands.drive_now(alice, tutorial, frame, 0)

    assert refused.value.code == "not_found"


def test_a_commit_on_a_row_that_moved_on_writes_nothing_and_leaves_the_connection_clean(
    tutorial, alice
):
    execution = started(tutorial, alice)
    stale = Execution.objects.get(pk=execution.pk)
    Execution.objects.filter(pk=execution.pk).update(version=stale.version + 1)
    entries = TranscriptEntry.objects.filter(execution=execution).count()

    with pytest.raises(VersionMoved), one_trip():
        TranscriptEntry.objects.append(execution, 1000, [{"kind": "note"}])
        Execution.objects.update_if_version(stale, {"status": "ended"}, timezone.now())
        TranscriptEntry.objects.append(execution, 1001, [{"kind": "note"}])

    assert TranscriptEntry.objects.filter(execution=execution).count() == entries
    assert Execution.objects.get(pk=execution.pk).status == "active"
    assert not connection.in_atomic_block and connection.get_autocommit()


def test_a_failed_statement_in_a_commit_is_raised_as_itself_and_nothing_is_written(tutorial, alice):
    execution = started(tutorial, alice)
    current = Execution.objects.get(pk=execution.pk)

    with pytest.raises(IntegrityError), one_trip():
        Execution.objects.update_if_version(current, {"status": "ended"}, timezone.now())
        TranscriptEntry.objects.append(execution, 1, [{"kind": "note"}])  # seq 1 is taken

    assert Execution.objects.get(pk=execution.pk).version == current.version
    with one_trip():  # the connection is usable again
        Execution.objects.update_if_version(current, {"status": "ended"}, timezone.now())
    assert Execution.objects.get(pk=execution.pk).status == "ended"


def test_a_commit_is_refused_inside_a_callers_transaction(tutorial, alice):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic(), one_trip():
        pass
