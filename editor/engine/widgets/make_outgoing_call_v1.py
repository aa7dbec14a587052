from __future__ import annotations

from typing import Any

from .make_outgoing_call_v2 import MakeOutgoingCallV2


class MakeOutgoingCallV1(MakeOutgoingCallV2):
    """The legacy widget; a machine answering is its own event when the flow lists it."""

    type = "make-outgoing-call-v1"

    def choose(self, params: dict[str, Any]) -> str | None:
        answered_by = str(params.get("AnsweredBy", ""))
        if answered_by.startswith("machine") and "answeredByMachine" in self.events:
            return "answeredByMachine"
        return super().choose(params)
