"""What the flow test case tests share: the case files in tests/data/testcases, the sample
flows' definitions, and a case run in memory (editor/testcases) with its failed assertions."""

from __future__ import annotations

from pathlib import Path

from editor.samples import load_sample
from editor.testcases.loader import validate
from editor.testcases.runner import run_case

CASES = Path(__file__).resolve().parent / "data" / "testcases"


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
