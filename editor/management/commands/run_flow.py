"""Run a flow from the terminal: start an execution, feed it scripted replies and call input,
and print what it does, one line per step, message, channel action and wait.

It goes through the same services as webhooks and the API, so the execution is real: it is
stored with its steps, and when the script runs out while the flow still waits, it stays
active for a person (or the timeout worker) to carry on.
"""

from __future__ import annotations

import argparse
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import pluralize

from editor import services
from editor.management.lines import GATHER, plain_outcome, transcript, waiting_for
from editor.models import Execution, Flow
from editor.models.executions import ExecutionStatus
from editor.services.payloads import conversation_payload
from editor.services.runs import pick_revision
from editor.sids import new_sid

DEFAULT_FLOW_ADDRESS = "+15550000000"
DEFAULT_BODY = "Hi"
TRIGGER_EVENTS = {
    "message": "incomingMessage",
    "conversation": "incomingConversationMessage",
    "call": "incomingCall",
    "request": "incomingRequest",
    "parent": "incomingParent",
}


def key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def digits(text: str) -> tuple[str, str]:
    return ("digits", text)


def speech(text: str) -> tuple[str, str]:
    return ("speech", text)


def wired_events(definition: dict[str, Any]) -> set[str]:
    """The trigger's events that lead somewhere."""
    initial = definition.get("initial_state", "Trigger")
    for state in definition.get("states", []):
        if state.get("name") == initial:
            return {t.get("event") for t in state.get("transitions") or [] if t.get("next")}
    return set()


def default_trigger(flow: Flow, contact: str) -> str:
    """Message if the flow answers messages, else a Conversations message, else call if it
    answers calls, else request if it answers requests, else a parent flow's Run Subflow if
    it answers only that (a subflow), else request."""
    revision = pick_revision(flow, "LatestPublished", contact in (flow.test_users or []))
    wired = wired_events(revision.definition) if revision else set()
    for kind in ("message", "conversation", "call", "request", "parent"):
        if TRIGGER_EVENTS[kind] in wired:
            return kind
    return "request"


def opening_line(trigger: str, contact: str, flow_address: str, options: dict[str, Any]) -> str:
    if trigger in ("message", "conversation"):
        return f"← {contact}: {options['body']}"
    if trigger == "call":
        return f"call from {contact} to {flow_address}"
    parameters = json.dumps(dict(options["params"]), ensure_ascii=False)
    if trigger == "parent":
        return f"run as a subflow for {contact}, parameters {parameters}"
    return f"request to {contact} from {flow_address}, parameters {parameters}"


@dataclass
class Script:
    """The scripted inputs, each consumed once, in the order given."""

    replies: deque[str] = field(default_factory=deque)
    call_inputs: deque[tuple[str, str]] = field(default_factory=deque)

    def unused(self) -> int:
        return len(self.replies) + len(self.call_inputs)


class Command(BaseCommand):
    help = (
        "Run an execution of a flow and print its transcript. Scripted --reply answers "
        "Send & Wait For Reply; --digits/--speech answer Gather Input, in the order given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sid", metavar="SID", help="the flow's FW… SID")
        parser.add_argument(
            "--from",
            dest="contact",
            required=True,
            metavar="ADDRESS",
            help="the contact: who messages or calls in (for request, whom the flow contacts)",
        )
        parser.add_argument(
            "--to",
            dest="flow_address",
            default=DEFAULT_FLOW_ADDRESS,
            metavar="ADDRESS",
            help=f"the flow's own address (default {DEFAULT_FLOW_ADDRESS})",
        )
        parser.add_argument(
            "--trigger",
            choices=sorted(TRIGGER_EVENTS),
            help="parent: as a parent flow's Run Subflow starts it (--param gives "
            "trigger.parent.parameters); default: message if incomingMessage is wired, else "
            "conversation, call, request, parent in that order, else request",
        )
        parser.add_argument(
            "--param",
            dest="params",
            action="append",
            type=key_value,
            default=[],
            metavar="KEY=VALUE",
            help="flow.data entries (strings), as the REST API's Parameters; for parent, "
            "the Run Subflow's parameters",
        )
        parser.add_argument(
            "--body",
            default=DEFAULT_BODY,
            help=f"the inbound message that starts a message run (default {DEFAULT_BODY!r})",
        )
        parser.add_argument(
            "--reply",
            dest="replies",
            action="append",
            default=[],
            metavar="TEXT",
            help="the contact's next reply to a Send & Wait For Reply",
        )
        # Digits and speech share one queue so that they are used in the order typed.
        parser.add_argument(
            "--digits",
            dest="call_inputs",
            action="append",
            type=digits,
            metavar="DIGITS",
            help="keys pressed at the next Gather Input On Call",
        )
        parser.add_argument(
            "--speech",
            dest="call_inputs",
            action="append",
            type=speech,
            metavar="TEXT",
            help="words said at the next Gather Input On Call",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        flow = Flow.objects.select_related("team").filter(sid=options["sid"]).first()
        if flow is None:
            raise CommandError(f"no flow {options['sid']!r}")
        self.flow = flow
        self.contact = options["contact"]
        self.flow_address = options["flow_address"]
        trigger = options["trigger"] or default_trigger(flow, self.contact)
        script = Script(deque(options["replies"]), deque(options["call_inputs"] or []))
        try:
            outcome = self.start(trigger, dict(options["params"]), options["body"])
            self.stdout.write(
                f"execution {outcome.execution.sid} "
                f"(flow {flow.sid} revision {outcome.execution.flow_version}, {trigger})"
            )
            self.stdout.write(opening_line(trigger, self.contact, self.flow_address, options))
            self.follow(outcome, script)
        except services.ExecutionError as exc:
            raise CommandError(exc.message) from None
        if script.unused():
            unused = script.unused()
            were = pluralize(unused, "was,were")
            self.stderr.write(f"{unused} scripted input{pluralize(unused)} {were} not used")

    def start(self, trigger: str, parameters: dict[str, Any], body: str) -> services.Outcome:
        contact, flow_address = self.contact, self.flow_address
        common = {"From": contact, "To": flow_address, "AccountSid": self.flow.team.account_sid}
        payload: dict[str, Any] | None = None
        if trigger == "message":
            initiated_by = new_sid("SM")
            payload = {**common, "MessageSid": initiated_by, "Body": body, "NumMedia": "0"}
        elif trigger == "conversation":
            account = self.flow.team.account_sid
            payload = conversation_payload(account, author=contact, body=body)
            initiated_by = payload["MessageSid"]
        elif trigger == "call":
            initiated_by = new_sid("CA")
            payload = {
                **common,
                "CallSid": initiated_by,
                "CallStatus": "in-progress",
                "Direction": "inbound",
            }
        elif trigger == "parent":
            # As a Run Subflow widget hands them over, and as the test panel starts one
            # (services/test_runs.py): `trigger.parent.parameters`, and the same object
            # standing for the parent's flow.data.
            initiated_by = new_sid("RQ")
            payload = {"parameters": parameters}
        else:
            initiated_by = new_sid("RQ")
        return services.start_execution(
            self.flow,
            kind=trigger,
            contact=contact,
            flow_address=flow_address,
            payload=payload,
            parameters=parameters,
            initiated_by=initiated_by,
            origin="shell",
        )

    def follow(self, outcome: services.Outcome, script: Script) -> None:
        """Print, answer the wait from the script, repeat until it ends or the script does."""
        execution = outcome.execution
        self.show(outcome)
        while execution.status == ExecutionStatus.ACTIVE:
            answered = self.answer(execution, script)
            if answered is None or not answered.handled:
                self.stdout.write(f"stopped: waiting for {waiting_for(execution.wait)}")
                self.stdout.write(f"execution {execution.sid} is still active")
                return
            self.show(answered)
            execution = answered.execution

    def show(self, outcome: services.Outcome) -> None:
        for line in transcript(outcome.entries):
            self.stdout.write(line)

    def answer(self, execution: Execution, script: Script) -> services.Outcome | None:
        """The next scripted input for what the execution waits on; None when there is none."""
        wait = execution.wait or {}
        if wait.get("kind") == "reply":
            return self.reply(execution, script) if script.replies else None
        if wait.get("type") == GATHER:
            return self.gather(execution, script) if script.call_inputs else None
        # Say/Play, Dial, Record and the like: the channel reports back with nothing to add,
        # which fires their plain completion event (audioComplete, callCompleted, ...).
        # The others (an outgoing call, a payment) report the way forward: `plain_outcome`.
        callback = {"type": "callback", "params": plain_outcome(wait)}
        return services.deliver_event(execution, callback, source="shell")

    def reply(self, execution: Execution, script: Script) -> services.Outcome:
        body = script.replies.popleft()
        self.stdout.write("waiting for a reply")
        self.stdout.write(f"← {self.contact}: {body}")
        payload = {
            "MessageSid": new_sid("SM"),
            "AccountSid": self.flow.team.account_sid,
            "From": self.contact,
            "To": self.flow_address,
            "Body": body,
            "NumMedia": "0",
        }
        kind = "message"
        previous = execution.context.get("trigger", {}).get("conversation")
        if previous is not None:
            # In a conversation the reply is the conversation's next message.
            account = self.flow.team.account_sid
            payload = conversation_payload(
                account, author=self.contact, body=body, previous=previous
            )
            kind = "conversation"
        if execution.concurrent:
            # Calls that may run side by side are not found by address, so deliver directly.
            reply = {"type": "reply", "message": payload}
            return services.deliver_event(execution, reply, source="shell")
        return services.receive_message(
            self.flow,
            contact=self.contact,
            flow_address=self.flow_address,
            payload=payload,
            source="shell",
            kind=kind,
        )

    def gather(self, execution: Execution, script: Script) -> services.Outcome:
        kind, value = script.call_inputs.popleft()
        self.stdout.write("waiting for call input")
        self.stdout.write(f"← {kind}: {value}")
        params = {"Digits": value} if kind == "digits" else {"SpeechResult": value}
        if kind == "speech":
            params["Confidence"] = "0.9"
        callback = {"type": "callback", "params": params}
        return services.deliver_event(execution, callback, source="shell")
