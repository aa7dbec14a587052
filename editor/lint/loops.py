"""Loops that will hit Studio's limits: 10 runs of one widget in a row, 1,000 steps per
execution (docs/studio-semantics.md)."""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context
from .finding import Finding, Rule
from .flow import Flow

SELF_LOOP = Rule(
    "self-loop",
    "warning",
    "A widget that leads to itself: Studio stops the execution when one widget runs 10 times "
    "in a row.",
)
LOOP_WITHOUT_WAIT = Rule(
    "loop-without-wait",
    "warning",
    "A loop with no widget that waits for the contact: unless a split leaves it in time, "
    "Studio ends the execution at 1,000 steps.",
)
ENDLESS_LOOP = Rule(
    "endless-loop",
    "error",
    "A loop that nothing leaves and nothing in it waits: every execution that enters it ends "
    "at Studio's 1,000-step limit.",
)
LOOP_WITHOUT_EXIT = Rule(
    "loop-without-exit",
    "warning",
    "A loop that waits for the contact but that no transition leaves: the execution only "
    "ends when the call hangs up or after Studio's 30 days.",
)
RULES = (SELF_LOOP, LOOP_WITHOUT_WAIT, ENDLESS_LOOP, LOOP_WITHOUT_EXIT)

# Widgets that wait for the contact, a call or another system before they go on
# (docs/studio-semantics.md); a subflow may wait too. The others run straight through.
WAITING = {
    *("send-and-wait-for-reply", "gather-input-on-call", "say-play", "connect-call-to"),
    *("make-outgoing-call-v1", "make-outgoing-call-v2", "record-voicemail", "enqueue-call"),
    *("capture-payments", "add-twiml-redirect", "send-to-flex", "send-to-auto-pilot"),
    *("connect-virtual-agent", "connect-virtual-agent-v2", "run-conversation-relay"),
    "run-subflow",
}


def has_exit(flow: Flow, part: set[str]) -> bool:
    """Whether some event of some widget in `part` leaves it: a transition to a widget
    outside, or an event with no next (which ends the execution)."""
    for name in part:
        widget = flow.by_name[name]
        kind = widget.kind
        if kind is None or not kind.documented:
            return True  # its events are unknown: assume one leaves
        for event in kind.events:
            if event in kind.repeatable_events:
                continue
            t = widget.wired(event)
            if t is None or t.next not in part:
                return True
        if any(t.next not in part for t in widget.transitions):
            return True
    return False


def check(ctx: Context) -> Iterator[Finding]:
    flow = ctx.flow
    for loop in flow.loops:
        first = flow.by_name[loop[0]]
        if first.name not in flow.reachable:
            continue
        part = set(loop)
        waits = any(flow.by_name[n].type in WAITING for n in loop)
        exits = has_exit(flow, part)
        listed = " → ".join(f"`{n}`" for n in loop[:6]) + (" → …" if len(loop) > 6 else "")
        if not exits and not waits:
            yield ENDLESS_LOOP.found(
                first.name,
                None,
                f"Widgets {listed} form a loop that no transition leaves and where nothing "
                f"waits for the contact, so every execution that enters it runs until Studio "
                f"ends it at 1,000 steps. Connect one of their events to a widget outside the "
                f"loop, or leave one unconnected to end the execution.",
            )
            continue
        if not exits:
            yield LOOP_WITHOUT_EXIT.found(
                first.name,
                None,
                f"Widgets {listed} form a loop that no transition leaves: the execution only "
                f"ends when the caller hangs up or after Studio's 30 days. Give the contact a "
                f"way out (connect an event such as a timeout or a no-match to a widget "
                f"outside the loop, or leave it unconnected to end there).",
            )
        if len(loop) > 1 and not waits:
            yield LOOP_WITHOUT_WAIT.found(
                first.name,
                None,
                f"Widgets {listed} form a loop where nothing waits for the contact: unless a "
                f"split leaves it in time, Studio ends the execution at 1,000 steps. Count "
                f"the rounds in a Set Variables widget and leave the loop through a split.",
            )
    for widget in flow.widgets:
        field = self_transition(flow, widget.name)
        if field is None or widget.name not in flow.reachable:
            continue
        yield SELF_LOOP.found(
            widget.name,
            field,
            f"Widget {widget.label} leads back to itself: the 10th time it runs in a row "
            f"Studio stops the execution. Count the attempts in a Set Variables widget and "
            f"leave the loop through a split before that.",
        )


def self_transition(flow: Flow, name: str) -> str | None:
    widget = flow.by_name[name]
    t = next((t for t in widget.transitions if t.next == name), None)
    return f"transitions.{t.event}" if t else None
