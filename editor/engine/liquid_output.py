"""How `{{ … }}` prints a value, as Studio prints it.

Studio's Liquid runs on the JVM: a text, number or boolean prints as itself, nothing prints
as nothing, and a list prints its items one after another, as in any Liquid. An object
(`{{flow.data}}`, `{{widgets.http_1.parsed}}`, `{{trigger.message}}`) prints as a Java map
does, `{key=value, key=value}`: no quotes, `=` between key and value, `[a, b]` for a list
inside it, `null` for a missing value. Twilio's own Functions that receive `{{flow.data}}`
from a Run Function parameter parse exactly that shape (twilio-labs/function-templates,
`outreach-pcp-followup/functions/save-response.protected.js`: "{k1=v1, k2=v2, k3=v3}").
python-liquid would print Python's `{'key': 'value'}` instead. `to_json` is how a flow
asks for JSON.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from liquid import RenderContext
from liquid.builtin.output import Output, OutputNode
from liquid.builtin.tags.echo_tag import EchoNode, EchoTag
from liquid.stringify import to_liquid_string
from liquid.undefined import Undefined

# What a container that holds itself prints in its own place, as Java's toString does.
SELF = {True: "(this Map)", False: "(this Collection)"}


def studio_text(value: Any, limit: int | None = None) -> str:
    """What an output prints for `value`.

    Written as a loop over a stack rather than by recursion, so an object nested as deep as
    JSON may be (a parsed HTTP response) prints as Studio's does instead of running out of
    Python's stack, and it stops once the text passes `limit` characters (the environment's
    output limit, in bytes, which is never fewer than characters): the write that follows
    refuses it, so a megabyte object costs no more than the limit to print. A container
    that holds itself prints "(this Map)" in that place, as Java does, rather than looping.
    """
    if not isinstance(value, Mapping | list | tuple) or isinstance(value, Undefined):
        return scalar_text(value, False)  # most outputs: a text, a number, nothing
    parts: list[str] = []
    size = 0
    stack: list[Iterator[Any]] = [iter([(value, False)])]
    path: list[int] = [0]  # the ids of the containers being printed, outermost first
    on_path: set[int] = set()
    while stack:
        token = next(stack[-1], None)
        if token is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        if isinstance(token, str):
            text = token
        else:
            item, inside = token
            container = container_of(item, inside)
            if container is None:
                text = scalar_text(item, inside)
            elif id(item) in on_path:
                text = SELF[isinstance(item, Mapping)]
            else:
                stack.append(container)
                path.append(id(item))
                on_path.add(id(item))
                continue
        parts.append(text)
        size += len(text)
        if limit is not None and size > limit:
            break
    return "".join(parts)


def container_of(value: Any, inside: bool) -> Iterator[Any] | None:
    """The pieces `value` prints as, or None for a value printed as a whole."""
    if isinstance(value, Undefined):  # a Mapping too, so `.x.y` reads on: prints nothing
        return None
    if isinstance(value, Mapping):
        return java_map(value)
    if isinstance(value, list | tuple):
        # A list prints its items one after another; inside an object, as Java's List.
        return java_list(value) if inside else ((item, False) for item in value)
    return None


def scalar_text(value: Any, inside: bool) -> str:
    if isinstance(value, Undefined) and not inside:
        return str(value)
    if value is None and inside:
        return "null"
    return to_liquid_string(value, False)


def java_map(value: Mapping) -> Iterator[Any]:
    """Java's Map toString(): `{key=value, key=value}`."""
    yield "{"
    for n, (key, item) in enumerate(value.items()):
        yield f", {key}=" if n else f"{key}="
        yield item, True
    yield "}"


def java_list(value: list | tuple) -> Iterator[Any]:
    """Java's List toString(): `[a, b]`."""
    yield "["
    for n, item in enumerate(value):
        if n:
            yield ", "
        yield item, True
    yield "]"


class StudioOutputNode(OutputNode):
    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        limit = context.env.output_stream_limit
        return buffer.write(studio_text(self.expression.evaluate(context), limit))

    async def render_to_output_async(self, context: RenderContext, buffer: TextIO) -> int:
        return self.render_to_output(context, buffer)


class StudioEchoNode(EchoNode):
    __slots__ = ()

    render_to_output = StudioOutputNode.render_to_output
    render_to_output_async = StudioOutputNode.render_to_output_async


class StudioOutput(Output):
    node_class = StudioOutputNode


class StudioEcho(EchoTag):
    node_class = StudioEchoNode
