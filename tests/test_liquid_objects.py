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
