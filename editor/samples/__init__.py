"""Sample flows in Studio flow JSON: starter templates and the demo team's content.

Each sample is a plain export-format file next to this module, so it can be opened, diffed
and imported anywhere Studio JSON is accepted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

FOLDER = Path(__file__).resolve().parent


class Sample(NamedTuple):
    slug: str
    title: str
    description: str


SAMPLES: list[Sample] = [
    Sample(
        "conversations-tutorial",
        "Conversations tutorial",
        'Ask "Hi, do you like bots?", split the reply on yes or no and answer.',
    ),
    Sample(
        "sms-chatbot",
        "SMS chatbot",
        "A menu, an order lookup over HTTP and replies based on the parsed response.",
    ),
    Sample(
        "ivr-phone-tree",
        "IVR phone tree",
        "A keypad menu for calls: opening hours, a transfer to reception and voicemail.",
    ),
    Sample(
        "webchat-pre-agent",
        "Webchat pre-agent",
        "Ask a webchat visitor's topic with quick replies, then send the chat to Flex.",
    ),
    Sample(
        "appointment-reminder",
        "Appointment reminder",
        "Started over the REST API: confirm or cancel an appointment and record the answer.",
    ),
]

BY_SLUG: dict[str, Sample] = {sample.slug: sample for sample in SAMPLES}


def sample_path(slug: str) -> Path:
    if slug not in BY_SLUG:
        raise KeyError(f"no sample flow called {slug!r}")
    return FOLDER / f"{slug}.json"


def sample_text(slug: str) -> str:
    """The file as it is on disk, for imports that take text."""
    return sample_path(slug).read_text(encoding="utf-8")


def load_sample(slug: str) -> dict[str, Any]:
    """A fresh copy of the sample's flow definition."""
    return json.loads(sample_text(slug))
