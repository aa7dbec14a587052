"""What the flow test case tests share: the case files in tests/data/testcases, the sample
flows' definitions, a case run in memory (editor/testcases) with its failed assertions, and
the canvas API's test-case URLs with a signed-in client that sends CSRF tokens."""

from __future__ import annotations

from pathlib import Path

from django.test import Client

from editor import services
from editor.samples import load_sample
from editor.testcases.loader import validate
from editor.testcases.runner import run_case

CASES = Path(__file__).resolve().parent / "data" / "testcases"
YES = (CASES / "conversations-yes.yaml").read_text()
NO = (CASES / "conversations-no.json").read_text()


def sample(slug: str) -> dict:
    document = load_sample(slug)
    return document.get("definition", document)


def run(definition: dict, **case) -> dict:
    case.setdefault("name", "case")
    case.setdefault("trigger", {"type": "incomingMessage"})
    return run_case(validate(case), definition)


def failed(result: dict) -> list[str]:
    return [a["assertion"] for a in result["assertions"] if not a["ok"]]


BOTS = sample("conversations-tutorial")
IVR = sample("ivr-phone-tree")
CHATBOT = sample("sms-chatbot")


def url(flow, tail: str = "") -> str:
    return f"/api/editor/flows/{flow.sid}/tests{tail}"


def client_for(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")
    return client


def rename_send_message_1(flow, user) -> None:
    """Break the tutorial: the "yes" branch now says something else."""
    definition = flow.definition()
    for state in definition["states"]:
        if state["name"] == "send_message_1":
            state["properties"]["body"] = "Meh."
    services.update_flow(flow, status="draft", definition=definition, author=user)
