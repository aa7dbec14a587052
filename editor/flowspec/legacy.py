"""The legacy (Studio v1 console, pre-2019) export format, converted to today's.

Legacy exports have no `initial_state` or `flags`, give every state a `sid` (`FF…`) that
transitions point at instead of names, mark unwired transitions `"next": null`, carry a
`uuid` and an empty `conditions` list on every transition, and spell widget types in
CamelCase. docs/flow-format.md describes the format. The conversion is one-way: the result
is a modern document, which then goes through the same import and validation as any other.

Anything the converter cannot read is a clean DocumentError naming the state and the fix.
"""

from __future__ import annotations

import re
from typing import Any

from .catalogue import TYPE_NAMES
from .describe import quoted
from .problems import DocumentError, Problem, path

# Type names seen in real legacy exports (two in the corpus, more in public repositories).
LEGACY_TYPES = {
    "InitialState": "trigger",
    "Branch": "split-based-on",
    "Message": "send-message",
    "MessagePrompt": "send-and-wait-for-reply",
    "Webhook": "make-http-request",
    "Function": "run-function",
    "SetVariables": "set-variables",
    "Gather": "gather-input-on-call",
    "SayPlay": "say-play",
    "ConnectCaller": "connect-call-to",
    "DialV2": "make-outgoing-call-v2",
    "EnqueueCall": "enqueue-call",
    "SendToFlex": "send-to-flex",
}
# The other widgets of that era, under the names their Console labels suggest. No public
# export shows these spellings, so they are accepted as well as the CamelCase forms of
# today's type names (below). Make Outgoing Call is `DialV2` (the v2 widget, with its
# machine-detection properties) in the one export of that era that has it; the v1 widget's
# spellings here are guesses, `Dial` by analogy with `DialV2`.
LEGACY_ALIASES = {
    "Record": "record-voicemail",
    "Voicemail": "record-voicemail",
    "Redirect": "add-twiml-redirect",
    "TwimlRedirect": "add-twiml-redirect",
    "MakeOutgoingCall": "make-outgoing-call-v1",
    "Dial": "make-outgoing-call-v1",
    "OutgoingCall": "make-outgoing-call-v1",
    "Autopilot": "send-to-auto-pilot",
    "HttpRequest": "make-http-request",
    "Split": "split-based-on",
    "Pay": "capture-payments",
    "CallRecording": "record-call",
    "Subflow": "run-subflow",
    "VirtualAgent": "connect-virtual-agent",
}


def squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


# `SendToFlex`, `RecordVoicemail`, `AddTwiMLRedirect`, `RunSubflow`: today's type names
# written CamelCase, with any capitalisation.
BY_SQUASHED = {squash(t): t for t in TYPE_NAMES}
for _name, _type in (*LEGACY_TYPES.items(), *LEGACY_ALIASES.items()):
    BY_SQUASHED.setdefault(squash(_name), _type)


def modern_type(name: str) -> str | None:
    return LEGACY_TYPES.get(name) or LEGACY_ALIASES.get(name) or BY_SQUASHED.get(squash(name))


def is_legacy(document: dict[str, Any]) -> bool:
    """No initial_state, and states with SIDs or CamelCase types."""
    states = document.get("states")
    if "initial_state" in document or not isinstance(states, list):
        return False
    return any(isinstance(s, dict) and legacy_marked(s) for s in states)


def legacy_marked(state: dict[str, Any]) -> bool:
    type_ = state.get("type")
    camel = isinstance(type_, str) and type_[:1].isupper()
    return camel or isinstance(state.get("sid"), str)


class Converter:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.problems: list[Problem] = []
        self.names: list[str | None] = []
        self.by_sid: dict[str, str] = {}

    def refuse(self, at: str, text: str) -> None:
        self.problems.append(Problem(text, at, blocking=True))

    def run(self) -> dict[str, Any]:
        states = self.document["states"]
        self.names = [self.name_of(i, s) for i, s in enumerate(states)]
        self.read_sids(states)
        converted = [self.state(i, s) for i, s in enumerate(states)]
        if self.problems:
            raise DocumentError(self.problems)
        triggers = [s["name"] for s in converted if s.get("type") == "trigger"]
        if not triggers:
            self.refuse(
                path("states"),
                "This legacy flow has no InitialState (trigger) state. Export the flow from "
                "Studio again, or add the trigger state it exported.",
            )
            raise DocumentError(self.problems)
        head = {k: v for k, v in self.document.items() if k != "states"}
        head.setdefault("description", "")
        head["initial_state"] = triggers[0]
        # Flows made before 2018-10-01 default to no concurrent calls (docs/studio-semantics.md).
        head.setdefault("flags", {"allow_concurrent_calls": False})
        return {**head, "states": converted}

    def name_of(self, i: int, state: Any) -> str | None:
        if not isinstance(state, dict):
            self.refuse(
                path("states", i),
                f"State {i + 1} is {quoted(state)}, not an object. Each state is a JSON "
                f"object with a name, a type, transitions and properties.",
            )
            return None
        name = state.get("name")
        if isinstance(name, str) and name.strip():
            return name
        sid = state.get("sid")
        which = f"State {i + 1}" + (f" (sid {sid})" if isinstance(sid, str) else "")
        self.refuse(
            path("states", i, "name"),
            f"{which} has no name. Give it a `name` such as `{state_hint(state, i)}`; "
            f"names start with a letter and are unique in the flow.",
        )
        return None

    def read_sids(self, states: list[Any]) -> None:
        for i, (state, name) in enumerate(zip(states, self.names, strict=True)):
            if not isinstance(state, dict) or "sid" not in state:
                continue
            sid = state["sid"]
            label = f"`{name}`" if name else f"{i + 1}"
            if not isinstance(sid, str) or not sid:
                self.refuse(
                    path("states", i, "sid"),
                    f"State {label}: sid is {quoted(sid)}; it must be the state's SID "
                    f"(FF followed by 32 hex digits), which transitions point at.",
                )
            elif sid in self.by_sid:
                self.refuse(
                    path("states", i, "sid"),
                    f"State {label} has sid {sid}, which state `{self.by_sid[sid]}` has too. "
                    f"Each state needs its own sid.",
                )
            elif name:
                self.by_sid[sid] = name

    def state(self, i: int, state: Any) -> dict[str, Any]:
        if not isinstance(state, dict):
            return {}
        label = f"`{self.names[i]}`" if self.names[i] else f"{i + 1}"
        out = {k: v for k, v in state.items() if k != "sid"}
        type_ = state.get("type")
        if not isinstance(type_, str) or not type_:
            self.refuse(
                path("states", i, "type"),
                f"State {label}: type is {quoted(type_)}; it must be a widget type name such "
                f'as "Message" or "send-message".',
            )
        else:
            # An unknown name stays as written; validation names it and lists Studio's types.
            out["type"] = modern_type(type_) or type_
        properties = state.get("properties")
        if isinstance(properties, dict):
            # Legacy exports write null for every unset property; today's leave them out.
            out["properties"] = {k: v for k, v in properties.items() if v is not None}
        elif properties is not None:
            self.refuse(
                path("states", i, "properties"),
                f"State {label}: properties is {quoted(properties)}; it must be an object of "
                f'the widget\'s settings, such as {{"body": "Hi"}}.',
            )
        out["transitions"] = self.transitions(i, label, state.get("transitions", []))
        return out

    def transitions(self, i: int, label: str, transitions: Any) -> list[dict[str, Any]]:
        if not isinstance(transitions, list):
            self.refuse(
                path("states", i, "transitions"),
                f"State {label}: transitions is {quoted(transitions)}; it must be a list of "
                f'transitions such as [{{"event": "sent", "next": null}}].',
            )
            return []
        return [self.transition(i, j, label, t) for j, t in enumerate(transitions)]

    def transition(self, i: int, j: int, label: str, transition: Any) -> dict[str, Any]:
        at = ("states", i, "transitions", j)
        if not isinstance(transition, dict):
            self.refuse(
                path(*at),
                f"State {label}: transition {j + 1} is {quoted(transition)}; each transition "
                f'is an object such as {{"event": "sent", "next": null}}.',
            )
            return {}
        event = transition.get("event")
        if not isinstance(event, str) or not event:
            self.refuse(
                path(*at, "event"),
                f"State {label}: transition {j + 1} has no event. Give it the event it "
                f'leaves by, such as "sent".',
            )
        out = {k: v for k, v in transition.items() if k not in ("uuid", "next", "conditions")}
        target = transition.get("next")
        if isinstance(target, str) and target:
            # SIDs point at states; a name (hand-edited exports) is kept as it is.
            out["next"] = self.by_sid.get(target, target)
        elif target not in (None, ""):
            self.refuse(
                path(*at, "next"),
                f"State {label}: transition {quoted(event)} has next {quoted(target)}; next "
                f"must be the sid of the state it goes to, or null when it goes nowhere.",
            )
        conditions = transition.get("conditions")
        if isinstance(conditions, list):
            if conditions:
                out["conditions"] = conditions
        elif conditions is not None:
            self.refuse(
                path(*at, "conditions"),
                f"State {label}: transition {quoted(event)} has conditions "
                f"{quoted(conditions)}; conditions must be a list (empty when there are none).",
            )
        return out


def state_hint(state: dict[str, Any], i: int) -> str:
    type_ = state.get("type")
    found = modern_type(type_) if isinstance(type_, str) else None
    return f"{found.replace('-', '_')}_{i + 1}" if found else f"widget_{i + 1}"


def convert_legacy(document: dict[str, Any]) -> dict[str, Any]:
    return Converter(document).run()
