"""Liquid that reads `widgets.NAME.…`: the widget must exist, must have run before on every
path from the trigger, and must write what is read."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..flowspec.edits import reference_rewriter
from .context import Context, where
from .finding import Finding, Rule
from .fixes import replace_text
from .flow import Widget
from .outputs import declared

UNKNOWN_WIDGET = Rule(
    "unknown-widget",
    "error",
    "Liquid reads widgets.NAME where no widget has that name; it renders as empty text.",
)
NOT_UPSTREAM = Rule(
    "not-upstream",
    "warning",
    "Liquid reads a widget that does not run before this one on every path from the "
    "trigger, so on some paths the value is empty.",
)
UNKNOWN_OUTPUT = Rule(
    "unknown-output",
    "warning",
    "Liquid reads an output that this widget type never writes.",
)
RULES = (UNKNOWN_WIDGET, NOT_UPSTREAM, UNKNOWN_OUTPUT)


def static_part(segments: tuple) -> tuple:
    """The segments before the first index that is itself a variable (`a[b.c]`)."""
    out = []
    for segment in segments:
        if isinstance(segment, tuple):
            break
        out.append(segment)
    return tuple(out)


def dotted(segments: tuple) -> str:
    return ".".join(str(s) for s in static_part(segments))


# Names suggested for at most this many misspelt widgets per flow: each suggestion compares
# the name with every widget's.
SUGGESTIONS = 50


def check(ctx: Context) -> Iterator[Finding]:
    flow = ctx.flow
    names = list(flow.by_name)
    suggested: dict[str, list[str]] = {}

    def closest(target: str) -> list[str]:
        if target not in suggested:
            suggested[target] = (
                difflib.get_close_matches(target, names, n=1, cutoff=0.75)
                if len(suggested) < SUGGESTIONS
                else []
            )
        return suggested[target]

    for widget, field, text, analysis in ctx.templates:
        reported: set[str] = set()
        for ref in analysis.references:
            path = ref.path
            if len(path) < 2 or path[0] != "widgets" or not isinstance(path[1], str):
                continue
            target = path[1]
            shown = "widgets." + dotted(path[1:])
            here = where(widget, field)
            read = flow.by_name.get(target)
            if read is None:
                if target in reported:
                    continue
                reported.add(target)
                close = closest(target)
                advice = (
                    f"Did you mean `{close[0]}`? " if close else ""
                ) + "Use the name of a widget of this flow."
                fixed = (
                    replace_text(
                        widget,
                        field,
                        reference_rewriter(target, close[0])(text),
                        f"Read widgets.{close[0]} instead",
                    )
                    if close
                    else None
                )
                yield UNKNOWN_WIDGET.found(
                    widget.name,
                    field,
                    f"Widget {widget.label} reads {shown} in {here}, but this flow has no "
                    f"widget named `{target}`, so it renders as empty text. {advice}",
                    fixed,
                )
                continue
            if (
                not ref.guarded
                and target not in reported
                and widget.name in flow.reachable
                and not flow.upstream_everywhere(target, widget.name)
            ):
                reported.add(target)
                yield NOT_UPSTREAM.found(
                    widget.name, field, not_upstream_message(ctx, widget, read, shown, here)
                )
            static = static_part(path[2:])
            if static and declared(read.type, static) is False:
                yield unknown_output(widget, field, text, read, static)


def unknown_output(widget: Widget, field: str, text: str, read: Widget, static: tuple) -> Finding:
    relative = dotted(static)
    kind = read.kind
    written = [o for o in (kind.outputs if kind else ()) if "*" not in o]
    close = difflib.get_close_matches(relative, written, n=1, cutoff=0.7)
    if close:
        advice = f"Did you mean `{close[0]}`?"
    elif written:
        listed = ", ".join(f"`{o}`" for o in written[:8])
        advice = f"It writes {listed}{' and more' if len(written) > 8 else ''}."
    else:
        advice = f"`{read.name}` writes no outputs."
    old = f"widgets.{read.name}.{relative}"
    fixed = None
    if close and old in text:
        new = f"widgets.{read.name}.{close[0]}"
        fixed = replace_text(widget, field, text.replace(old, new), f"Read {new} instead")
    return UNKNOWN_OUTPUT.found(
        widget.name,
        field,
        f"Widget {widget.label} reads {old} in {where(widget, field)}, but a "
        f"{kind.label if kind else read.type} widget never writes `{relative}`, so it renders "
        f"as empty text. {advice}",
        fixed,
    )


def not_upstream_message(ctx: Context, reader: Widget, read: Widget, shown: str, here: str) -> str:
    if read.name not in ctx.flow.reachable:
        why = f"`{read.name}` never runs (nothing leads to it)"
    elif reader is read:
        why = "that is this widget's own output, which only holds a value from its previous run"
    else:
        why = f"some path from the trigger reaches this widget without going through `{read.name}`"
    return (
        f"Widget {reader.label} reads {shown} in {here}, but {why}, so the value can be empty. "
        f"Move this widget after `{read.name}` on every path, or test the value first "
        f"({{% if {shown} %}} or | default: …)."
    )
