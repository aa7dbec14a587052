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

from collections.abc import Mapping
from typing import Any, TextIO

from liquid import RenderContext
from liquid.builtin.output import Output, OutputNode
from liquid.builtin.tags.echo_tag import EchoNode, EchoTag
from liquid.stringify import to_liquid_string
from liquid.undefined import Undefined


def studio_text(value: Any) -> str:
    """What an output prints for `value`."""
    if isinstance(value, Undefined):  # a Mapping too, so `.x.y` reads on: prints nothing
        return str(value)
    if isinstance(value, Mapping):
        return java_text(value)
    if isinstance(value, list | tuple):
        return "".join(studio_text(item) for item in value)
    return to_liquid_string(value, False)


def java_text(value: Any) -> str:
    """`value` inside an object: Java's Map and List toString()."""
    if isinstance(value, Mapping) and not isinstance(value, Undefined):
        return "{" + ", ".join(f"{key}={java_text(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(java_text(item) for item in value) + "]"
    if value is None:
        return "null"
    return to_liquid_string(value, False)


class StudioOutputNode(OutputNode):
    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return buffer.write(studio_text(self.expression.evaluate(context)))

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
