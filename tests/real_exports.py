"""Flows shaped like real Twilio exports that Twilio stored but an early importer refused.

An outside tester found each kind in exports we have not seen: Liquid Studio does not check
(an unclosed `{{` in a Run Function parameter), a value only older Studio wrote (`trim:
"true"` on Make Outgoing Call), and legacy (v1 console) exports with widget types such as
`Webhook` and `SendToFlex`. Each must import, through /v2/ and import_flow alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .engine_support import trigger

LEGACY = Path(__file__).parent / "data" / "legacy"


def flow_of(*states: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": "Real export",
        "states": [trigger(incomingRequest=states[0]["name"]), *states],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }


def older_trim_on_outgoing_call() -> dict[str, Any]:
    return flow_of(
        {
            "name": "call_user_1",
            "type": "make-outgoing-call-v2",
            "transitions": [
                {"event": "answered"},
                {"event": "busy"},
                {"event": "noAnswer"},
                {"event": "failed"},
            ],
            "properties": {
                "machine_detection_speech_threshold": "2400",
                "detect_answering_machine": False,
                "offset": {"x": 0, "y": 200},
                "recording_status_callback": "",
                "from": "{{flow.channel.address}}",
                "record": False,
                "machine_detection_timeout": "30",
                "trim": "true",
                "timeout": 60,
                "machine_detection": "Enable",
                "to": "{{contact.channel.address}}",
                "recording_channels": "mono",
            },
        }
    )


TRIM_WARNING = {
    "message": 'trim of widget call_user_1 is "true", a value older Studio versions wrote; '
    'Studio writes "trim-silence" today',
    "property_path": "#/states/1/properties/trim",
}


def liquid_in_function_parameter() -> dict[str, Any]:
    return flow_of(
        {
            "name": "function_1",
            "type": "run-function",
            "transitions": [{"event": "success"}, {"event": "fail"}],
            "properties": {
                "service_sid": "ZS00000000000000000000000000000000",
                "environment_sid": "ZE00000000000000000000000000000000",
                "offset": {"x": 0, "y": 200},
                "function_sid": "ZH00000000000000000000000000000000",
                "parameters": [{"value": "{{trigger.request.from", "key": "from"}],
                "url": "https://example-1234.twil.io/hello",
            },
        }
    )


LIQUID_PATH = "#/states/1/properties/parameters/0/value"


def legacy_webhook_and_flex() -> dict[str, Any]:
    return json.loads((LEGACY / "flex-webchat-webhook.json").read_text())["legacy"]
