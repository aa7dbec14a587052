"""Liquid is bounded in time and memory: every abusive template a flow could hold ends its render
at once with a reason the author can read, through templating.render and through the engine;
ordinary templates render exactly as python-liquid renders them; validation warns about what
the template alone shows. The abusive templates are listed in tests/data/liquid/abusive.json."""

from __future__ import annotations

import json
import random
import re
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from liquid import Environment
from liquid.lex import get_lexer

from editor.engine import liquid_environment, liquid_source, runtime, templating
from editor.engine.templating import RenderError
from editor.flowspec.problems import errors_of, warnings_of
from editor.flowspec.validate import validate
from tests.engine_support import flow, set_variables, start

CASES = json.loads((Path(__file__).parent / "data" / "liquid" / "abusive.json").read_text())
SECONDS = 0.25  # a loaded 2-core box; the renders themselves take milliseconds
MEGABYTES = 5  # what one render may make is 3 MB (liquid_limits.MADE_BUDGET)


def expand(spec: Any) -> Any:
    """The file's shorthand for long texts: repeat, numbered, join."""
    if isinstance(spec, str):
        return spec
    if "repeat" in spec:
        return spec["repeat"] * spec["times"]
    if "numbered" in spec:
        return "".join(spec["numbered"].replace("{n}", str(n)) for n in range(spec["times"]))
    return "".join(expand(part) for part in spec["join"])


def source_and_data(case: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    data = {key: expand(value) for key, value in case.get("data", {}).items()}
    return expand(case["template"]), data


def measured(action: Callable[[], Any]) -> tuple[float, float, Any]:
    """(seconds, peak megabytes, outcome) of a cold run (nothing parsed yet): the time of one
    run, then the memory of another (tracemalloc slows what it traces). The time is this
    thread's CPU, the work the template cost: on a loaded machine (CI beside other runs)
    the wall clock also counts the time other processes had the CPU."""

    def run() -> Any:
        templating.PARSED.clear()
        try:
            return action()
        except RenderError as exc:
            return exc

    began = time.thread_time()
    outcome = run()
    seconds = time.thread_time() - began
    tracemalloc.start()
    try:
        run()
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    return seconds, peak, outcome


@pytest.fixture(scope="module")
def slowest(request):
    """Collects every measurement and reports the worst at the end of the module."""
    seen: list[tuple[float, float, str]] = []
    yield seen
    if seen:
        time_, _, name = max(seen)
        _, peak, heavy = max(seen, key=lambda s: s[1])
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        line = (
            f"liquid limits: slowest {time_ * 1000:.1f} ms ({name}); "
            f"largest peak {peak:.2f} MB ({heavy}); {len(seen)} runs"
        )
        print(line)
        if reporter:
            reporter.write_line(line)


def names(cases: list[dict[str, Any]]) -> list[str]:
    return [case["name"] for case in cases]


def within_bounds(slowest: list, label: str, seconds: float, peak: float) -> None:
    slowest.append((seconds, peak, label))
    assert seconds < SECONDS, f"{label} took {seconds:.3f} s"
    assert peak < MEGABYTES, f"{label} peaked at {peak:.1f} MB"


def render(source: str, data: dict[str, Any]) -> Callable[[], Any]:
    return lambda: templating.render(source, {"flow": {"data": data}})


def run_engine(source: str, data: dict[str, Any]) -> Callable[[], Any]:
    definition = flow(set_variables("probe", None, out=source))
    return lambda: start(definition, "request", data=data)


@pytest.mark.parametrize("case", CASES["refused"], ids=names(CASES["refused"]))
def test_it_refuses_an_abusive_template_at_once(case, slowest):
    source, data = source_and_data(case)
    seconds, peak, outcome = measured(render(source, data))
    assert isinstance(outcome, RenderError), f"rendered {str(outcome)[:80]!r}"
    assert case["expect"] in str(outcome)
    within_bounds(slowest, case["name"], seconds, peak)


@pytest.mark.parametrize("case", CASES["bounded"], ids=names(CASES["bounded"]))
def test_it_renders_a_costly_looking_template_at_once(case, slowest):
    source, data = source_and_data(case)
    seconds, peak, outcome = measured(render(source, data))
    assert isinstance(outcome, str), outcome
    within_bounds(slowest, case["name"], seconds, peak)


@pytest.mark.parametrize("case", CASES["refused"], ids=names(CASES["refused"]))
def test_the_engine_ends_the_execution_naming_the_widget_and_the_reason(case, slowest):
    source, data = source_and_data(case)
    seconds, peak, result = measured(run_engine(source, data))
    assert result.state["ended_reason"] == runtime.ERROR
    detail = result.state["ended_detail"]
    assert detail.startswith("probe: ") and case["expect"] in detail
    assert result.effects[-1] == {"type": "ended", "reason": runtime.ERROR, "detail": detail}
    # The reason is on the failing widget's Step too, where the author looks.
    step = result.steps[-1]
    assert (step["transitioned_from"], step["name"]) == ("probe", "error")
    assert case["expect"] in step["context"]["widgets"]["probe"]["error"]["message"]
    within_bounds(slowest, f"engine: {case['name']}", seconds, peak)


# Ordinary templates -------------------------------------------------------------------------

ITEMS = [{"name": f"Item {n}", "id": n, "tags": ["a", "b"] if n % 2 else []} for n in range(40)]
CONTEXT = {
    "items": ITEMS,
    "body": "Hello <b>world</b>, how are you? " * 30,
    "n": 42,
    "price": 19.99,
    "words": "pear apple fig apple",
    "when": "2026-01-15T17:00:00Z",
    "nested": [[1, 2], [3, [4, 5]]],
}
ORDINARY = [
    "{{ items | map: 'name' | join: ', ' }}",
    "{% for i in items limit: 10 offset: 3 %}{{ i.name | upcase }}-{% endfor %}",
    "{% for i in (1..15) reversed %}{{ i }}{% cycle 'a', 'b' %}{% endfor %}",
    "{% tablerow i in (1..6) cols: 2 %}{{ i }}{% endtablerow %}",
    "{{ body | strip_html | truncatewords: 5 }}|{{ body | size }}|{{ body | escape | size }}",
    "{{ body | replace: 'o', '0' | split: ' ' | uniq | sort_natural | join: '/' }}",
    "{% if n > 10 and words contains 'fig' %}big{% elsif n == 42 %}no{% else %}small{% endif %}",
    "{% case n %}{% when 1, 2 %}one{% when 42 %}answer{% else %}other{% endcase %}",
    "{{ n | times: 3 | plus: 1 | divided_by: 2 }} {{ price | times: 3 | round: 1 }} "
    "{{ n | modulo: 5 }} {{ -7 | abs }} {{ 7.5 | ceil }}",
    "{{ items | where: 'id', 3 | first | map: 'name' }} {{ items | sum: 'id' }}",
    # (`join` of nested lists reads each item as Studio's text: tests/test_liquid_objects.py)
    "{{ items | sort: 'name' | reverse | first | map: 'id' }} {{ nested | first | join: ',' }}",
    "{{ words | split: ' ' | uniq | sort | compact | size }} {{ (3..7) | sum }}",
    "{% assign s = '' %}{% for i in (1..15) %}{% assign s = s | append: i %}{% endfor %}{{ s }}",
    "{% capture c %}{% for i in (1..5) %}{{ i }},{% endfor %}{% endcapture %}"
    "{{ c | remove_last: ',' }}",
    "{{ when | date: '%Y-%m-%d' }} {{ 1768496400 | date: '%H:%M' }}",
    "{% increment x %}{% increment x %}{% decrement y %}{{ x }}",
    "{{ items | first | to_json }} {{ 'a b' | url_encode }} {{ 'aGk=' | base64_decode }}",
    "{% liquid\nassign total = 0\nfor i in (1..5)\nassign total = total | plus: i\nendfor\n"
    "echo total\n%}",
    "{{ words | slice: 2, 5 }} {{ items | slice: 1, 2 | map: 'id' | join }} "
    "{{ 'x' | default: 'y' }}",
    "{% for i in (1..3) %}{% for j in (1..5) %}{{ forloop.parentloop.index }}{{ j }}{% endfor %}"
    "{% endfor %}",
]


def plain_render(source: str, context: dict[str, Any]) -> str:
    """python-liquid itself, with Studio's loop and output limits and to_json."""
    env = Environment()
    env.loop_iteration_limit = liquid_environment.LOOP_ITERATION_LIMIT
    env.output_stream_limit = liquid_environment.OUTPUT_LIMIT
    env.filters["to_json"] = liquid_environment.to_json
    return env.from_string(templating.quote_keyword_segments(source)).render(**context)


@pytest.mark.parametrize("source", ORDINARY)
def test_it_renders_ordinary_templates_exactly_as_python_liquid_does(source):
    expected = plain_render(source, CONTEXT)
    assert templating.render(source, CONTEXT) == expected


def test_it_keeps_the_limit_on_what_assign_holds_without_counting_a_name_twice():
    big = {"big": "x" * 40_000}
    again = "{% for i in (1..15) %}{% assign s = big %}{% endfor %}{{ s | size }}"
    assert templating.render(again, big) == "40000"
    with pytest.raises(RenderError, match="64 KB"):
        templating.render("{% assign s = big %}{% assign t = big | append: 'x' %}", big)


# The source, read in linear time -----------------------------------------------------------

ALPHABET = [
    *("{", "}", "%", "-", " ", "\n", "\t", "\u00a0", "#", "a", "x", ".", "'", '"', "1"),
    *("{{", "}}", "{%", "%}", "-}}", "{%-", "if", "raw", "endraw", "comment", "endcomment"),
]


def random_sources(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 24))) for _ in range(count)]


def tokens(lexer: Callable[[str], Any], source: str) -> Any:
    try:
        return [(t.kind, t.value, t.start_index) for t in lexer(source)]
    except Exception as exc:  # the same error, at the same place, counts as the same result
        return (type(exc).__name__, str(exc))


def test_the_linear_lexer_reads_every_template_as_python_liquid_does():
    original = get_lexer()
    different = [
        s for s in random_sources(4000) if tokens(original, s) != tokens(liquid_source.tokenize, s)
    ]
    assert different == []


def test_markup_spans_are_where_the_keyword_regex_finds_them():
    markup = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)
    for source in random_sources(4000, seed=11):
        expected = [m.span() for m in markup.finditer(source)]
        assert list(liquid_source.markup_spans(source)) == expected, source


def test_a_template_that_does_not_parse_is_not_parsed_again():
    source = "{{ 'x' | append: }"
    for _ in range(2):
        with pytest.raises(RenderError, match="expected"):
            templating.render(source, {})
    assert isinstance(templating.PARSED.get(source), templating.Unparsable)


def test_the_parse_cache_is_bounded_by_source_length():
    cache = templating.ParseCache(max_chars=30)
    for n in range(5):
        cache.put(
            f"{{{{ value_number_{n} }}}}", liquid_environment.ENVIRONMENT.parse(f"{{{{ a{n} }}}}")
        )
    assert cache.chars <= 30
    assert cache.get("{{ value_number_4 }}") is not None
    assert cache.get("{{ value_number_0 }}") is None
    cache.clear()
    assert cache.get("{{ value_number_4 }}") is None


# Validation: hazards and syntax errors are warnings ----------------------------------------


@pytest.mark.parametrize(
    ("source", "hazard"),
    [
        ("{% for i in (1..20) %}{{ i }}{% endfor %}", "the loop over (1..20) runs 20 times"),
        ("{% for i in (1..99) limit: 20 %}{% endfor %}", "runs 20 times"),
        ("{% for a in (1..5) %}{% for b in (1..4) %}{% endfor %}{% endfor %}", "20 in all"),
        ("{% tablerow i in (1..30) %}{% endtablerow %}", "runs 30 times"),
        ("{{ (1..5000) | join }}", "the range (1..5000) has 5,000 items"),
        ("{% if x %}{{ (0..100000000) | size }}{% endif %}", "has 100,000,001 items"),
        ("x" * 17_000 + "{{ a }}", "the template's own text is 17,000 bytes"),
        ("{{ a }}" * 600, "the template has 600 tags"),
        ("{% if a %}" * 31 + "{% endif %}" * 31, "nested more than 30 deep"),
    ],
)
def test_hazards_name_what_will_fail_and_the_fix(source, hazard):
    found = templating.hazards(source)
    assert any(hazard in message for message in found), found


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in (1..15) %}{% endfor %}",
        "{% for a in (1..3) %}{% for b in (1..5) %}{% endfor %}{% endfor %}",
        "{% for i in (1..100) limit: 15 %}{% endfor %}{% for i in items %}{% endfor %}",
        "{{ (1..1000) | join }}",
        "Hello {{ name }}",
    ],
)
def test_templates_that_can_render_have_no_hazard(source):
    assert templating.hazards(source) == []


def one_widget_flow(value: str) -> dict[str, Any]:
    return flow(set_variables("probe", None, out=value))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Hi {{ name | }", "Liquid syntax error: "),
        ("{% for i in (1..20) %}{{ i }}{% endfor %}", "runs 20 times"),
        ("{{ (1..100000000) | sort }}", "has 100,000,000 items"),
        ("{% if a %}" * 40, "nested more than 30 deep"),
    ],
)
def test_validation_reports_liquid_problems_as_warnings(body, message):
    problems = validate(one_widget_flow(body))
    assert errors_of(problems) == []
    ((warning,),) = [warnings_of(problems)]
    assert message in warning.message
    assert warning.property_path == "#/states/1/properties/variables/0/value"
