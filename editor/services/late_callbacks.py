"""A Dial's (or a Record's) action callback that arrives after the call's status callback.

When a caller hangs up during a Connect Call To, Twilio sends two requests: the <Dial>'s
action (with `DialCallStatus`, `DialCallSid`, `DialCallDuration`…) and the number's status
callback (`CallStatus=completed`). Usually the action comes first and the widget leaves by
`hangup` with the Dial's parameters. When the status callback wins the race, the widget
has already left by `hangup` (the engine notes which wait and Step that was, as
`state["hung_up"]`, editor/engine/answers.py) and the action finds its wait gone.

Studio still shows the Dial's variables in the widget's context, so the late action's
parameters are added to `widgets.NAME`: in the execution's context and in the context of
the Step the widget left by. Nothing else changes: the execution does not move, an ended
one stays ended, and no TwiML is run. Each note is used once, so a retry changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..flowspec import jsontext
from ..models import Execution, ExecutionStep

# Widgets whose late callback is recorded: the Dial's and the Record's are the ones Twilio
# sends after the caller's leg is over, with parameters of their own (the Dial's
# DialCallStatus…, the voicemail's RecordingUrl with Digits=hangup).
LATE_TYPES = ("connect-call-to", "record-voicemail")
ATTEMPTS = 3


def record_late_callback(execution: Execution | None, wait_id: int, form: dict[str, str]) -> bool:
    """Add a late Dial action's parameters to the widget's outputs; True if it did."""
    if execution is None:
        return False
    for _ in range(ATTEMPTS):
        current = Execution.objects.filter(pk=execution.pk).first()
        note = current.state.get("hung_up") if current is not None else None
        if not note or note.get("wait") != wait_id or note.get("type") not in LATE_TYPES:
            return False
        state = {**current.state}
        del state["hung_up"]
        name = note["widget"]
        widgets = state.get("context", {}).get("widgets", {})
        if isinstance(widgets.get(name), dict):
            widgets[name] = {**widgets[name], **form}
        with transaction.atomic():
            moved = Execution.objects.filter(pk=current.pk, version=current.version).update(
                state=state, version=F("version") + 1, date_updated=timezone.now()
            )
            if moved:
                add_to_step(current, note["step"], name, form)
        if moved:
            return True
    return False


def add_to_step(execution: Execution, position: int, name: str, form: dict[str, str]) -> None:
    """The Step's context snapshot (Step Context) gets the same parameters."""
    step = ExecutionStep.objects.filter(execution=execution, position=position).first()
    if step is None or step.transitioned_from != name or not step.context:
        return
    context: dict[str, Any] = json.loads(step.context)
    widgets = context.get("widgets")
    if isinstance(widgets, dict) and isinstance(widgets.get(name), dict):
        widgets[name] = {**widgets[name], **form}
        step.context = jsontext.dumps(context, default=str)
        step.save(update_fields=["context"])
