"""What each client message does (docs/protocol.md), as plain synchronous functions: they
parse nothing (limits.py did) and decide nothing about access (the consumer did); each
calls one service and returns the frame to answer with. The consumer runs them in a thread."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from .. import realtime
from ..access import Principal
from ..models import Execution, Flow, Membership, Role, execution_reads, reads
from ..services import debugger, test_runs
from ..services.executions import (
    TEST_ORIGIN,
    ExecutionBusy,
    ExecutionConflict,
    ExecutionEnded,
    ExecutionError,
    Outcome,
)
from ..services.transcripts import entries_after, execution_json
from .sessions import still_signed_in

DEBUG_CONTROLS = {
    "run.continue": "continue",
    "run.step": "step",
    "run.run_to": "run_to",
    "run.edit": "edit",
}


# role_now's and drive_now's answer once the socket's session has ended (closed with 4401).
SIGNED_OUT = "signed-out"


class Refused(Exception):
    """Answered with an `error` frame of this code."""

    def __init__(self, code: str, message: str, execution: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.execution = execution


def error_code(exc: ExecutionError) -> str:
    if isinstance(exc, ExecutionConflict):
        return "conflict"
    if isinstance(exc, ExecutionEnded):
        return "ended"
    if isinstance(exc, ExecutionBusy):
        return "busy"
    if isinstance(exc, test_runs.NotWaiting | debugger.NotPaused):
        return "not_waiting"
    if isinstance(exc, debugger.NotTester):
        return "forbidden"
    if isinstance(exc, test_runs.NotWaiting):
        return "not_waiting"
    return "invalid"


def open_flow(user: Any, sid: str) -> tuple[Flow, str] | None:
    """The flow and the user's role in its team, or None: no such flow, or not theirs."""
    if not user or not user.is_authenticated:
        return None
    flow = Flow.objects.select_related("team").filter(sid=sid).first()
    role = Principal(user=user).role_in(flow.team) if flow else None
    return (flow, role) if flow and role else None


def role_now(user: Any, flow: Flow, session_key: str | None = None) -> str | None:
    """The role as it is now: the member may have been removed, made a viewer, or the flow
    moved to another team (None); SIGNED_OUT once the socket's session no longer signs the
    user in (signed out, password changed, account made inactive: sessions.py)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not still_signed_in(user, session_key):
        return SIGNED_OUT
    rows = reads.fetch(role_sql(), [user.pk, flow.pk])
    return rows[0][0] if rows else None


@cache
def role_sql() -> str:
    """The user's role in the team that owns the flow (plain SQL: asked on every message)."""
    member = Membership._meta.get_field
    team = reads.quote(member("team").column)
    return "SELECT m.{} FROM {} m JOIN {} f ON f.{} = m.{} WHERE m.{} = %s AND f.{} = %s".format(  # noqa: S608
        reads.quote(member("role").column),
        reads.table(Membership),
        reads.table(Flow),
        reads.quote(Flow._meta.get_field("team").column),
        team,
        reads.quote(member("user").column),
        reads.quote(Flow._meta.pk.column),
    )


def drive_now(
    user: Any, flow: Flow, frame: dict[str, Any], have: int, session_key: str | None = None
) -> tuple[str | None, dict[str, Any] | None, list[tuple[str, dict[str, Any]]]]:
    """A drive message in one trip to the database thread: the role check, the event, and
    the delta after `have` built from the execution the event left (not read again); and
    the broadcasts it made, for the consumer to send once it has answered."""
    with realtime.deferred() as pending:
        if not getattr(user, "is_authenticated", False):
            return None, None, pending
        if not still_signed_in(user, session_key):
            return SIGNED_OUT, None, pending
        role, execution = execution_reads.for_drive(user.pk, flow.pk, frame["execution"])
        if role is None:
            return None, None, pending
        outcome = drive(flow, frame, user, missing(execution, frame["execution"]))
        return role, delta(outcome.execution, have, outcome.entries), pending


def can_edit(role: str | None) -> bool:
    return role in (Role.OWNER, Role.EDITOR)


def find(flow: Flow, sid: str) -> Execution:
    return missing(execution_reads.with_flow(sid=sid, flow=flow.pk), sid)


def missing(execution: Execution | None, sid: str) -> Execution:
    if execution is None:
        raise Refused("not_found", f"This flow has no execution {sid}", sid)
    return execution


def snapshot(execution: Execution) -> dict[str, Any]:
    return {
        "type": "run.snapshot",
        "execution": execution_json(execution),
        "entries": entries_after(execution, 0),
    }


def delta(
    execution: Execution, after: int, written: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    """The entries after `after`: those just `written` (as their commits numbered them)
    when they are exactly those, else read from the database. An `after` past the last
    entry asks for nothing more (and may be past what a database integer holds)."""
    last = execution.state.get("entries", 0)
    after = min(after, last)
    exact = written and written[0]["seq"] == after + 1 and written[-1]["seq"] == last
    return {
        "type": "run.delta",
        "execution": execution_json(execution),
        "entries": list(written) if exact else entries_after(execution, after),
    }


def start(flow: Flow, frame: dict[str, Any], user: Any) -> Execution:
    spec = test_runs.TestStart(
        trigger=frame["trigger"],
        contact=frame.get("contact", ""),
        flow_address=frame.get("flow_address", ""),
        body=frame.get("body", "Hi"),
        media_url=frame.get("media_url", ""),
        parameters=frame.get("parameters") or {},
        channel=frame.get("channel", "sms"),
        conversation=frame.get("conversation") or {},
        at=frame.get("at", ""),
        seed=frame.get("seed"),
    )
    try:
        return test_runs.start_test_run(flow, spec, user).execution
    except ExecutionError as exc:
        raise Refused(error_code(exc), exc.message) from None


def drive(
    flow: Flow, frame: dict[str, Any], user: Any = None, execution: Execution | None = None
) -> Outcome:
    """run.reply, run.gather, run.event, run.hangup, run.end on a test execution, and
    the debugger's run.continue, run.step, run.run_to and run.edit. `execution` is the one
    the caller read just now in the same database trip, if it did."""
    execution = execution or find(flow, frame["execution"])
    if execution.origin != TEST_ORIGIN:
        raise Refused(
            "forbidden",
            "Only test executions can be driven from the test panel; this one belongs to a "
            "real contact (watch it, or end it from the executions page)",
            execution.sid,
        )
    kind = frame["type"]
    wait = execution.wait or {}
    if kind != "run.run_to" and frame.get("widget") and frame["widget"] != wait.get("widget"):
        # The tester answered a widget the run has since left (a late or double click).
        now = f"it now waits in {wait['widget']}" if wait else "it waits for nothing now"
        raise Refused(
            "not_waiting", f"{frame['widget']} is not waiting any more: {now}", execution.sid
        )
    try:
        if kind in DEBUG_CONTROLS:
            keys = ("widget",) if kind == "run.run_to" else ("path", "value")
            given = {key: frame[key] for key in keys if key in frame}
            return debugger.control(execution, user, DEBUG_CONTROLS[kind], **given)
        if kind == "run.reply":
            outcome = test_runs.reply(execution, frame["body"], frame.get("media_url", ""))
        elif kind == "run.gather":
            if "digits" not in frame and "speech" not in frame:
                raise Refused("bad_message", "run.gather needs digits or speech", execution.sid)
            confidence = float(frame.get("confidence", 0.9))
            digits, speech = frame.get("digits"), frame.get("speech")
            outcome = test_runs.gather(execution, digits, speech, confidence)
        elif kind == "run.event":
            outcome = test_runs.fire(execution, frame["event"], frame.get("params") or {})
        elif kind == "run.hangup":
            outcome = test_runs.hang_up(execution)
        else:
            outcome = test_runs.end(execution)
    except ExecutionError as exc:
        raise Refused(error_code(exc), exc.message, execution.sid) from None
    return outcome


def step_context(flow: Flow, frame: dict[str, Any]) -> dict[str, Any]:
    from ..flowspec import jsontext

    execution = find(flow, frame["execution"])
    step = execution.steps.filter(sid=frame["step"]).values_list("context", flat=True).first()
    if step is None:
        raise Refused("not_found", f"Execution {execution.sid} has no step {frame['step']}")
    return {
        "type": "step.context",
        "execution": execution.sid,
        "step": frame["step"],
        "context": jsontext.loads(step) if step else {},
    }


def set_mock(flow: Flow, frame: dict[str, Any], user: Any) -> None:
    try:
        test_runs.set_mock(flow, frame["widget"], frame["mock"], user)
    except ExecutionError as exc:
        raise Refused("invalid", exc.message) from None


def progress(flow: Flow, sid: str) -> tuple[int, str | None]:
    """The execution's last seq and its timer (for the embedded default's catch-up)."""
    row = Execution.objects.filter(flow=flow, sid=sid).values_list("state", flat=True).first()
    if row is None:
        return 0, None
    wait = row.get("wait") or {}
    return row.get("entries", 0), wait.get("timeout_at")


def set_breakpoint(flow: Flow, frame: dict[str, Any], user: Any) -> dict[str, Any]:
    """debug.breakpoint: set, change or remove one of the user's own breakpoints."""
    try:
        rows = debugger.set_breakpoint(
            flow,
            user,
            frame["widget"],
            frame.get("condition", ""),
            remove=frame.get("remove", False),
        )
    except ExecutionError as exc:
        raise Refused("invalid", exc.message) from None
    return {"type": "debug.breakpoints", "breakpoints": rows}
