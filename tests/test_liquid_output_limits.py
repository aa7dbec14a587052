"""An object printed by `{{ … }}` (editor/engine/liquid_output.py) costs what Studio's output
limit allows, whatever its size or depth: a parsed HTTP response nested as deep as JSON
parses prints as Studio prints it rather than running out of Python's stack, a megabyte
object stops being printed once past the limit (which then refuses it), and an object that
holds itself prints "(this Map)" in that place, as Java does, instead of looping."""

from __future__ import annotations

import json
import time

import pytest

from editor.engine import runtime, templating
from editor.engine.liquid_environment import OUTPUT_LIMIT
from editor.engine.liquid_output import studio_text

from .engine_support import FakeHttp, flow, make_ports, set_variables, start, state


def printed_response(body: str, template: str) -> runtime.Result:
    """A flow that fetches `body` as JSON and keeps `template`, rendered, in a variable."""
    response = {"status_code": 200, "content_type": "application/json", "body": body}
    definition = flow(
        state(
            "http_1",
            "make-http-request",
            {"url": "https://api.example.com/", "method": "GET"},
            success="keep",
            failed=None,
        ),
        set_variables("keep", None, printed=template),
    )
    return start(definition, ports=make_ports(http=FakeHttp(default=response)))


@pytest.mark.parametrize("depth", [2, 400, 900])
def test_a_deeply_nested_response_prints_as_studio_prints_it(depth):
    body = '{"x":' + '{"a":' * depth + "1" + "}" * depth + "}"

    result = printed_response(body, "{{widgets.http_1.parsed.x}}")

    assert result.state["ended_reason"] == runtime.FLOW_END, result.state["ended_detail"]
    printed = result.state["context"]["flow"]["variables"]["printed"]
    assert printed == "{a=" * depth + "1" + "}" * depth


def test_a_deeply_nested_list_prints_as_java_lists_do():
    depth = 900
    body = '{"x":{"l":' + "[" * depth + "]" * depth + "}}"

    result = printed_response(body, "{{widgets.http_1.parsed.x}}")

    printed = result.state["context"]["flow"]["variables"]["printed"]
    assert printed == "{l=" + "[" * depth + "]" * depth + "}"


def test_a_megabyte_response_is_refused_by_the_output_limit():
    body = json.dumps({f"k{n}": "x" * 100 for n in range(9000)})
    assert len(body) > 1_000_000

    result = printed_response(body, "{{widgets.http_1.parsed}}")

    assert result.state["ended_reason"] == runtime.ERROR
    assert "longer than 16,384 bytes" in result.state["ended_detail"]


def test_printing_stops_once_past_the_limit():
    huge = {"items": [{"n": n, "name": "x" * 50} for n in range(200_000)]}

    began = time.perf_counter()
    text = studio_text(huge, OUTPUT_LIMIT)
    spent = time.perf_counter() - began

    assert OUTPUT_LIMIT < len(text) < OUTPUT_LIMIT + 100
    assert text.startswith("{items=[{n=0, name=xxx")
    assert spent < 0.5, "the whole object was walked"
    with pytest.raises(templating.RenderError, match="longer than 16,384 bytes"):
        templating.render("{{ huge }}", {"huge": huge})


def test_an_object_that_holds_itself_prints_this_map():
    looped: dict = {"name": "loop"}
    looped["self"] = looped
    items: list = [1]
    items.append(items)

    assert templating.render("{{ o }}", {"o": looped}) == "{name=loop, self=(this Map)}"
    assert templating.render("{{ o }}", {"o": {"l": items}}) == "{l=[1, (this Collection)]}"
    # A list printed on its own runs its items together, itself among them.
    assert templating.render("{{ l }}", {"l": items}) == "1(this Collection)"
