"""An object in `{{ … }}` prints as Studio prints it: `{key=value, key=value}`.

Real exports pass `{{flow.data}}` whole to a Function (a Run Function parameter on a
REST-triggered flow: twilio-labs/function-templates' outreach and appointment templates),
and the Function splits that text on `,` and `=`. The flows below are written here in that
shape; nothing is copied from the export.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from editor.engine import runtime, templating

from .engine_support import OK_JSON, FakeHttp, flow, make_ports, set_variables, start, state


def test_a_run_function_parameter_passes_flow_data_as_studio_prints_it():
    definition = flow(
        state(
            "save_response",
            "run-function",
            {
                "url": "https://example.twil.io/save-response",
                "parameters": [
                    {"key": "patient", "value": "{{flow.data}}"},
                    {"key": "question_id", "value": "Outreach"},
                ],
            },
            success=None,
            fail=None,
        )
    )
    http = FakeHttp([OK_JSON])
    data = {"outreach_id": "7", "patient_id": "p1"}
    result = start(definition, "request", data=data, ports=make_ports(http=http))

    assert result.state["ended_reason"] == runtime.FLOW_END, result.state["ended_detail"]
    sent = parse_qs(http.requests[0].body.decode())
    assert sent["patient"] == ["{outreach_id=7, patient_id=p1}"]
    # What the Function does with it: strip the braces, split on "," and "=".
    pairs = dict(
        part.split("=") for part in sent["patient"][0].strip("{}").replace(" ", "").split(",")
    )
    assert pairs == data


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{flow.data}}", "{a=1, b=x, c=true, d=null, e=[x, 2, {f=g}], h={i=j}, empty={}}"),
        ("{% echo flow.data.h %}", "{i=j}"),
        ("{{flow.data.e}}", "x2{f=g}"),  # a list prints its items one after another
        ("{{flow.data.c}}|{{flow.data.d}}|{{flow.data.a}}", "true||1"),
        ("{{flow.data.h | to_json}}", '{"i":"j"}'),
        ("{% for item in flow.data.e %}<{{item}}>{% endfor %}", "<x><2><{f=g}>"),
        ("{{flow.data.empty}}", "{}"),
    ],
)
def test_values_print_as_in_studio(template, expected):
    data = {
        "a": 1,
        "b": "x",
        "c": True,
        "d": None,
        "e": ["x", 2, {"f": "g"}],
        "h": {"i": "j"},
        "empty": {},
    }
    assert templating.render(template, {"flow": {"data": data}}) == expected


def test_a_set_variables_value_of_an_object_keeps_studios_text():
    definition = flow(set_variables("copy", None, whole="{{trigger.request.parameters}}"))
    result = start(definition, "request", data={"k": "v"})

    assert result.state["context"]["flow"]["variables"]["whole"] == "{k=v}"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        # A text filter reads a list, an object, a boolean or nothing as `{{ }}` prints it.
        ("{{flow.data.e | upcase}}", "X2{F=G}"),
        ("{{flow.data.h | upcase}}", "{I=J}"),
        ("{{flow.data.c | append: '!'}}", "true!"),
        ("{{flow.data.d | append: '!'}}", "!"),
        ("{{flow.data.b | append: flow.data.c}}", "xtrue"),
        ("{{flow.data.b | prepend: flow.data.d}}", "x"),
        ("{{flow.data.b | replace: 'x', flow.data.c}}", "true"),
        ("{{flow.data.h | truncate: 4}}", "{..."),
        ("{{flow.data.c | capitalize}}", "True"),
        ("{{flow.data.e | join: '-'}}", "x-2-{f=g}"),
        ("{{flow.data.n | join: ','}}", "12,345"),  # a list inside reads as its items
        ("{{flow.data.c | split: 'u' | join: '+'}}", "tr+e"),
        # Texts, numbers and missing values read as before.
        ("{{flow.data.a | append: 2}}", "12"),
        ("{{flow.data.missing | upcase}}|{{flow.data.b | upcase}}", "|X"),
        ("{{flow.data.a | plus: 1 | append: 'x'}}", "2x"),
    ],
)
def test_text_filters_read_values_as_studio_prints_them(template, expected):
    data = {"a": 1, "b": "x", "c": True, "d": None, "e": ["x", 2, {"f": "g"}], "h": {"i": "j"}}
    data["n"] = [[1, 2], [3, [4, 5]]]
    assert templating.render(template, {"flow": {"data": data}}) == expected
