"""Every client message type of the flow websocket (docs/protocol.md) with each of its fields,
and one unknown field, replaced in turn by values no client should send: a NUL, an integer
past 64 bits, the wrong JSON type. Each frame is answered with an error that names what
was wrong (or, where the value is acceptable, as usual), never with `internal`, and the
server logs no error. A fixed list, so every run sends the same frames."""

from __future__ import annotations

import logging

import pytest

from editor.models import Breakpoint
from tests.live_support import Live, run

# NUL fails on PostgreSQL, 64-bit overflows on SQLite: CI runs this on both.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.both_databases]
EXECUTION = "EXECUTION"  # replaced by the test run's SID
ODD = ["a\x00b", 2**63, -1, 1.5, None, True, [], {"\x00": ["\x00"]}]
VALID = {
    "run.start": {"trigger": "message", "contact": "+15550002222", "at": "split_1"},
    "run.watch": {"execution": EXECUTION, "after": 1},
    "run.reply": {"execution": EXECUTION, "body": "yes", "widget": "split_1"},
    "run.gather": {"execution": EXECUTION, "digits": "1", "confidence": 0.5},
    "run.event": {"execution": EXECUTION, "event": "timeout", "params": {"a": "b"}},
    "run.hangup": {"execution": EXECUTION, "widget": "split_1"},
    "step.context": {"execution": EXECUTION, "step": "FT" + "0" * 32},
    "mocks.set": {"widget": "split_1", "mock": None},
    "doc.sync": {"after": 0},
    "doc.edit": {"base": 1, "ops": [{"op": "move_widgets", "offsets": {"x": {"x": 1, "y": 2}}}]},
    "presence.update": {"selection": ["split_1"], "typing": {"widget": "split_1"}},
    "run.step": {"execution": EXECUTION, "widget": "split_1"},
    "run.run_to": {"execution": EXECUTION, "widget": "send_message_1"},
    "run.edit": {"execution": EXECUTION, "path": "flow.variables.a", "value": 1},
    "debug.breakpoint": {"widget": "split_1", "condition": "1 == 1"},
}
QUIET = {"presence.update", "mocks.set"}  # answered only when refused


def frames(sid: str) -> list[dict]:
    out = []
    for kind, fields in VALID.items():
        fields = {k: sid if v == EXECUTION else v for k, v in fields.items()}
        for key in [*fields, "unknown"]:
            out += [{"type": kind, **fields, key: odd} for odd in ODD]
    return out


def test_no_mutated_field_is_a_server_fault(tutorial, alice, settings, caplog):
    settings.WEBSOCKET_RATE_PER_SECOND = 10_000
    settings.WEBSOCKET_BURST = 10_000
    caplog.set_level(logging.ERROR)
    Breakpoint.objects.create(flow=tutorial, user=alice, widget="split_1")

    async def scenario():
        live = Live(alice, tutorial.sid)
        await live.open()
        started = await live.ask({"type": "run.start", "trigger": "message"})
        sid = started["execution"]["sid"]
        await live.ask({"type": "run.reply", "execution": sid, "body": "yes"})  # paused
        answers = []
        for frame in frames(sid):
            if frame["type"] in QUIET:
                await live.send({**frame, "ref": "quiet"})
                answers.append(await live.ask({"type": "ping"}))
                continue
            answers.append((frame, await live.ask(frame)))
        await live.close()
        return answers

    answers = run(scenario)
    faults = [a for a in answers if isinstance(a, tuple) and a[1].get("code") == "internal"]
    assert faults == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
