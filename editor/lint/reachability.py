"""Widgets no execution reaches, and events left unwired where a contact would silently end."""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context
from .finding import Finding, Rule
from .fixes import delete_widget

UNREACHABLE = Rule(
    "unreachable-widget",
    "warning",
    "A widget no transition from the trigger leads to; it never runs.",
)
UNWIRED = Rule(
    "unwired-event",
    "warning",
    "A failure, timeout or no-match event with no next widget: the contact's execution "
    "silently ends there.",
)
RULES = (UNREACHABLE, UNWIRED)

# Events after which an unwired transition ends the execution without a word to the contact.
SILENT_ENDS: dict[str, tuple[str, ...]] = {
    "split-based-on": ("noMatch",),
    "make-http-request": ("failed",),
    "run-function": ("fail",),
    "send-and-wait-for-reply": ("timeout", "deliveryFailure"),
    "gather-input-on-call": ("timeout",),
}
# What happens, and what to connect: (when, the advice).
WHAT: dict[str, tuple[str, str]] = {
    "noMatch": ("no condition matches", "a widget that asks again or explains the choices"),
    "failed": ("the request fails", "a widget that apologises, retries or hands over"),
    "fail": ("the function fails", "a widget that apologises, retries or hands over"),
    "timeout": ("the contact does not answer in time", "a reminder, a goodbye or a hand-off"),
    "deliveryFailure": (
        "the message cannot be delivered",
        "a widget that records the failure or tries another channel",
    ),
}
SILENTLY = {"deliveryFailure": "and nobody hears of it"}


def check(ctx: Context) -> Iterator[Finding]:
    flow = ctx.flow
    if flow.trigger is not None:
        for widget in flow.widgets:
            if widget.type == "trigger" or widget.name in flow.reachable:
                continue
            yield UNREACHABLE.found(
                widget.name,
                None,
                f"Widget {widget.label} is not connected to the flow: no transition from the "
                f"trigger leads to it, so it never runs. Connect a transition to it, or delete it.",
                delete_widget(widget),
            )
    for widget in flow.widgets:
        for event in SILENT_ENDS.get(widget.type, ()):
            transition = widget.wired(event)
            if transition is not None and transition.next:
                continue
            label = widget.kind.event_label(event) if widget.kind else event
            when, advice = WHAT[event]
            silently = SILENTLY.get(event, "without telling the contact")
            yield UNWIRED.found(
                widget.name,
                f"transitions.{event}",
                f"Widget {widget.label}: when {when} (`{label}`), nothing is connected, so "
                f"the execution ends {silently}. Connect `{label}` to {advice}.",
            )
