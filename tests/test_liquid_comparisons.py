"""`<` and `>` between values that do not compare (a text and a number), and `contains` on a
number or a boolean, are false, as Studio's Liquid answers them, instead of an error that ended
the execution.

REST API parameters and a contact's replies are texts, so `{% if flow.data.n > 9 %}` with
`"n": "10"` compares a text with a number; `<=` and `>=` already answered false there.
"""

from __future__ import annotations

import pytest

from editor.engine import runtime, templating
from editor.engine.templating import RenderError

from .engine_support import flow, set_variables, start


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{% if flow.data.n > 9 %}yes{% else %}no{% endif %}", "no"),
        ("{% if 9 < flow.data.n %}yes{% else %}no{% endif %}", "no"),
        ("{% if flow.data.n < 9 %}yes{% else %}no{% endif %}", "no"),
        ("{% if flow.data.n >= 9 %}yes{% else %}no{% endif %}", "no"),
        ("{% if flow.data.list > 1 %}yes{% else %}no{% endif %}", "no"),
        # What compares still compares.
        ("{% if flow.data.n > '09' %}yes{% else %}no{% endif %}", "yes"),
        ("{% if flow.data.m > 9 %}yes{% else %}no{% endif %}", "yes"),
        ("{% assign k = flow.data.n | plus: 0 %}{% if k > 9 %}yes{% else %}no{% endif %}", "yes"),
        ("{% if flow.data.missing > 9 %}yes{% else %}no{% endif %}", "no"),
        ("{% if flow.data.m contains 1 %}yes{% else %}no{% endif %}", "no"),
        ("{% if flow.data.t contains 'x' %}yes{% else %}no{% endif %}", "no"),
        ("{% if flow.data.n contains 1 %}yes{% else %}no{% endif %}", "yes"),
        ("{% if flow.data.list contains 2 %}yes{% else %}no{% endif %}", "yes"),
    ],
)
def test_ordering_values_that_do_not_compare_is_false(template, expected):
    data = {"n": "10", "m": 10, "t": True, "list": [1, 2]}
    assert templating.render(template, {"flow": {"data": data}}) == expected


def test_a_limit_inside_a_compared_value_is_still_an_error():
    with pytest.raises(RenderError, match="range"):
        templating.render("{% if (1..100000000) > 1 %}x{% endif %}", {})


def test_a_flow_comparing_a_rest_parameter_with_a_number_runs_on():
    definition = flow(
        set_variables("size", None, size="{% if flow.data.n > 9 %}big{% else %}small{% endif %}")
    )
    result = start(definition, "request", data={"n": "10"})
    assert result.state["ended_reason"] == runtime.FLOW_END, result.state["ended_detail"]
    assert result.state["context"]["flow"]["variables"] == {"size": "small"}
