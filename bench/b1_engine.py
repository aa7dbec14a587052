"""B1: the engine runs 1,000 executions of the chatbot flow in memory, 3 replies each.

The engine is called directly (runtime.start / runtime.resume, states kept in a dict, no
database) with production ports except HTTP, which an in-process stub serves; steps carry
context snapshots as in production (Ports.snapshots=True).

Baseline, measured in the same run: python-liquid rendering exactly the templates and
contexts the engine rendered. A recording pass captures every (template, context) pair the
engine handed to Liquid; the baseline replays them through the pre-parsed templates. The
ratio is therefore the engine's cost over the rendering it cannot avoid.
Target: ratio <= 2.0 with snapshots; the ratio without snapshots is reported for information.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench import chatbot
from editor.engine import runtime, templating
from editor.engine.ports import Ports
from editor.flowspec.studio_json import prepare

TARGET_RATIO = 2.0
EXECUTIONS = 1000
ROUNDS = 11
FLOW_SID = "FW" + "b1" * 16

Pair = tuple[Any, dict[str, Any]]


class Traffic:
    """The executions' inbound messages, built once so the timed passes only run the engine."""

    def __init__(self, n: int) -> None:
        self.contacts = [chatbot.contact(i) for i in range(n)]
        self.sids = [f"FN{i:032x}" for i in range(n)]
        self.first = [chatbot.inbound(c, "Hi", 4 * i) for i, c in enumerate(self.contacts)]
        self.replies = [
            [
                {"type": "reply", "message": chatbot.inbound(c, body, 4 * i + r + 1)}
                for i, c in enumerate(self.contacts)
            ]
            for r, body in enumerate(chatbot.REPLIES)
        ]


def run_executions(definition: dict[str, Any], traffic: Traffic, ports: Ports) -> list[Any]:
    """Every execution starts, then each gets its first reply, then its second, … (as many
    conversations interleave in production). Returns the final results."""
    states = []
    for sid, contact, payload in zip(traffic.sids, traffic.contacts, traffic.first, strict=True):
        result = runtime.start(
            definition,
            kind="message",
            contact=contact,
            flow_address=chatbot.FLOW_ADDRESS,
            ports=ports,
            flow_sid=FLOW_SID,
            execution_sid=sid,
            revision=1,
            payload=payload,
        )
        states.append(result.state)
    # A result is dropped as soon as it is returned, as the service does once it has stored
    # it; the states are updated in place, so they are what is checked afterwards.
    for events in traffic.replies:
        for state, event in zip(states, events, strict=True):
            runtime.resume(definition, state, event, ports)
    return states


@contextmanager
def recording(pairs: list[tuple[str, dict[str, Any], str]]) -> Iterator[None]:
    """Record (source, context snapshot, output) for every template Liquid renders.

    Plain-text properties never reach Liquid (templating.render returns them as they are),
    so they are not recorded: the baseline is only the rendering Liquid really did.
    Snapshots are JSON copies, shared between renders that saw the same context.
    """
    original = templating.render
    snapshots: dict[str, dict[str, Any]] = {}

    def render(source: str, context: dict[str, Any]) -> str:
        output = original(source, context)
        if templating.has_markup(source):
            text = json.dumps(context)
            snapshot = snapshots.get(text)
            if snapshot is None:
                snapshot = snapshots[text] = json.loads(text)
            pairs.append((source, snapshot, output))
        return output

    templating.render = render
    try:
        yield
    finally:
        templating.render = original


def record(definition: dict[str, Any], traffic: Traffic) -> tuple[list[Pair], list[Any]]:
    """One instrumented pass: the pre-parsed (template, context) pairs and its results."""
    recorded: list[tuple[str, dict[str, Any], str]] = []
    with recording(recorded):
        results = run_executions(definition, traffic, Ports(http=chatbot.FakeHttp()))
    if not recorded:
        raise AssertionError("nothing was recorded: does Run.render still call templating.render?")
    pairs = [(templating.parse(source), context) for source, context, _ in recorded]
    # The replay must reproduce what the engine rendered, or the baseline measures
    # something else.
    for (template, context), (source, _, output) in zip(pairs, recorded, strict=True):
        if template.render(**context) != output:
            raise AssertionError(f"replay of {source!r} differs from the engine's output")
    return pairs, results


def replay(pairs: list[Pair]) -> None:
    for template, context in pairs:
        template.render(**context)


def check(states: list[Any], n: int) -> None:
    ended = sum(state["ended_reason"] == runtime.FLOW_END for state in states)
    if ended != n:
        raise AssertionError(f"{ended} of {n} executions reached the end of the flow")


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def run(n: int = EXECUTIONS, rounds: int = ROUNDS) -> dict[str, Any]:
    definition = prepare(chatbot.definition())
    traffic = Traffic(n)
    pairs, results = record(definition, traffic)
    check(results, n)
    # Results are checked and dropped at once: keeping a round's 1,000 execution states alive
    # would make the garbage collector of the next rounds scan them too.
    del results
    steps_per_execution = count_steps(definition, traffic)
    with_snapshots = Ports(http=chatbot.FakeHttp(), snapshots=True)
    without = Ports(http=chatbot.FakeHttp(), snapshots=False)

    def engine(ports: Ports) -> Callable[[], Any]:
        return lambda: run_executions(definition, traffic, ports)

    # Interleaved, so a slow patch of a shared machine slows every side of the ratios; the
    # fastest round of each side is compared, as in B4 (a busy neighbour only adds time).
    baseline_t, engine_t, bare_t = [], [], []
    for _ in range(rounds + 1):  # the first round warms up and is dropped
        baseline_t.append(timed(lambda: replay(pairs))[0])
        elapsed, results = timed(engine(with_snapshots))
        check(results, n)
        del results
        engine_t.append(elapsed)
        elapsed, results = timed(engine(without))
        check(results, n)
        del results
        bare_t.append(elapsed)
    baseline, best, bare = min(baseline_t[1:]), min(engine_t[1:]), min(bare_t[1:])
    per_round = [e / b for e, b in zip(engine_t[1:], baseline_t[1:], strict=True)]
    ratio = best / baseline
    return {
        "ratio": round(ratio, 2),
        "target": f"ratio <= {TARGET_RATIO}",
        "ratio_no_snapshots": round(bare / baseline, 2),
        "ratio_median_of_rounds": round(statistics.median(per_round), 2),
        "executions": n,
        "engine_ms": round(best * 1000, 1),
        "engine_no_snapshots_ms": round(bare * 1000, 1),
        "baseline_ms": round(baseline * 1000, 1),
        "snapshot_us_per_step": round((best - bare) / (n * steps_per_execution) * 1e6, 1),
        "renders_per_execution": round(len(pairs) / n, 1),
        "steps_per_execution": steps_per_execution,
        "us_per_render": round(baseline / len(pairs) * 1e6, 1),
        "ok": ratio <= TARGET_RATIO,
    }


def count_steps(definition: dict[str, Any], traffic: Traffic) -> int:
    """Steps one execution records over its four sprints (for the report)."""
    ports = Ports(http=chatbot.FakeHttp(), snapshots=False)
    result = runtime.start(
        definition,
        kind="message",
        contact=traffic.contacts[0],
        flow_address=chatbot.FLOW_ADDRESS,
        ports=ports,
        flow_sid=FLOW_SID,
        execution_sid=traffic.sids[0],
        payload=traffic.first[0],
    )
    steps = len(result.steps)
    for events in traffic.replies:
        steps += len(runtime.resume(definition, result.state, events[0], ports).steps)
    return steps
