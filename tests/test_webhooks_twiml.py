"""The TwiML each voice widget answers a call with, checked verb by verb and attribute by
attribute against Twilio's TwiML reference, and the event each verb's callback leads to:
driven by the cases in tests/data/twiml.json (docs/channels.md has the same table)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from editor.flowspec.catalogue import widget_type
from editor.models import Execution

from .engine_support import trigger
from .twilio_support import SERVER, call, connect, post, published, twiml, webhook_path

pytestmark = pytest.mark.django_db
CASES = json.loads((Path(__file__).parent / "data" / "twiml.json").read_text())["cases"]
CALL = "CA" + "1" * 32


def flow_of(case: dict[str, Any]) -> dict[str, Any]:
    """A Trigger leading to the widget, each of whose events leads on to `then` (a Say) or
    ends the flow."""
    then = case.get("then")
    widget = {
        "name": "w",
        "type": case["type"],
        "transitions": [
            {"event": e, **({"next": "then"} if then else {})}
            for e in widget_type(case["type"]).events
        ],
        "properties": case["properties"],
    }
    states = [trigger("w"), widget]
    if then:
        say = {"name": "then", "type": "say-play", "properties": {"say": then}}
        states.append({**say, "transitions": [{"event": "audioComplete"}]})
    return {"description": case["description"], "states": states, "initial_state": "Trigger"}


def tree(element: ET.Element) -> list[Any]:
    """An element as the cases write it: [tag, attributes, text | children | None]."""
    children = [tree(child) for child in element]
    return [element.tag, dict(element.attrib), children or element.text]


def callback_url(execution: Execution) -> str:
    path = f"{webhook_path(execution.flow)}/Executions/{execution.sid}/Callback"
    return f"{SERVER}{path}?wait={execution.wait_id}"


def filled(expected: Any, callback: str) -> Any:
    if isinstance(expected, list):
        return [filled(item, callback) for item in expected]
    if isinstance(expected, dict):
        return {key: filled(value, callback) for key, value in expected.items()}
    return callback if expected == "{callback}" else expected


@pytest.mark.parametrize("case", CASES, ids=[case["description"] for case in CASES])
def test_the_widget_answers_the_call_with_its_twiml(team, case):
    connect(team)
    flow = published(team, flow_of(case), case["type"])
    root = twiml(post(webhook_path(flow), call(CALL)))
    execution = Execution.objects.get(flow=flow)
    callback = callback_url(execution)
    if "twiml" in case:
        assert [tree(child) for child in root] == filled(case["twiml"], callback)
    for step in case.get("callbacks", []):
        params = call(CALL, "in-progress", **step["params"])
        twiml(post(callback.removeprefix(SERVER), params))
        execution.refresh_from_db()
        last = execution.steps.order_by("position").last()
        assert (last.transitioned_from, last.name) == ("w", step["event"])
        outputs = execution.context["widgets"]["w"]
        assert {k: outputs.get(k) for k in step["params"]} == step["params"]


def test_every_voice_verb_the_engine_emits_has_a_case():
    from editor.webhooks.twiml import MOVING_ON, WAITING

    covered = {case["type"] for case in CASES}
    voice = {
        "say-play",
        "gather-input-on-call",
        "connect-call-to",
        "record-voicemail",
        "enqueue-call",
        "send-to-flex",
        "capture-payments",
        "fork-stream",
        "record-call",
        "connect-virtual-agent",
        "connect-virtual-agent-v2",
        "run-conversation-relay",
        "add-twiml-redirect",
    }
    assert voice <= covered
    assert set(WAITING) | set(MOVING_ON) == {
        "say_play",
        "gather",
        "dial",
        "record",
        "enqueue",
        "redirect",
        "pay",
        "virtual_agent",
        "conversation_relay",
        "stream",
        "record_call",
    }


SSML = 'Hi <emphasis level="strong">{{trigger.call.From}}</emphasis>,<break time="1s" /> bye'


@pytest.mark.parametrize(
    ("say", "inside"),
    [
        # SSML is nested in <Say>, as Twilio reads it (and the Liquid inside is rendered).
        (SSML, SSML.replace("{{trigger.call.From}}", "+15551230001")),
        (
            '<say-as interpret-as="digits">{{trigger.call.To}}</say-as> &amp; more',
            '<say-as interpret-as="digits">+15559870002</say-as> &amp; more',
        ),
        ('<lang xml:lang="fr-FR">Bonjour</lang>', '<lang xml:lang="fr-FR">Bonjour</lang>'),
        # Anything else is text, escaped.
        ("Press 1 if a < b", "Press 1 if a &lt; b"),
        ("<b>Bold</b> is not SSML", "&lt;b&gt;Bold&lt;/b&gt; is not SSML"),
        ("Tom & Jerry <break/>", "Tom &amp; Jerry &lt;break/&gt;"),
        # SSML nested deeper than any voice needs (a recursion error, a 500, before) is text.
        ("<p>" * 2000 + "deep" + "</p>" * 2000, "&lt;p&gt;" * 2000 + "deep" + "&lt;/p&gt;" * 2000),
        ("<p>" * 32 + "ok" + "</p>" * 32, "<p>" * 32 + "ok" + "</p>" * 32),
    ],
)
@pytest.mark.parametrize("type_", ["say-play", "gather-input-on-call"])
def test_ssml_in_the_text_to_say_is_spoken_as_ssml(team, type_, say, inside):
    connect(team)
    flow = published(team, flow_of({"type": type_, "properties": {"say": say}, "description": ""}))
    body = post(webhook_path(flow), call(CALL)).content.decode()
    assert f'<Say language="en-US">{inside}</Say>' in body
