"""Twilio's webhooks: parse, check the signature, call one service verb, answer TwiML.

One URL per flow takes everything Twilio sends it, told apart by its parameters as the
request arrives: `EventType` (a Conversations webhook), `FlowEvent=return` (a TwiML
Redirect gives control back), a `CallSid` (an incoming call, or its status callback once
the call is over), a `MessageStatus` (a status callback of one of the flow's messages, from
a sender or Messaging Service whose status callback URL is this one), a `MessageSid` (an
incoming message). Voice verbs call back at the execution's own callback URL, which names
the wait they answer, and messages' status callbacks at its MessageStatus URL. Nothing
runs unless the request is signed with the team's auth token (403 otherwise); CSRF does
not apply, the signature stands in for it.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..models import EarlyReport, Execution
from ..services import ExecutionError, conversations, outbox_failures
from ..services import webhooks as inbound
from . import twiml
from .security import Missing, Refused, public_url, signed_flow

logger = logging.getLogger(__name__)
XML = "text/xml; charset=utf-8"
# An incoming message's own status (SmsStatus); any other MessageStatus is a status callback.
INBOUND_STATUSES = ("received", "receiving")


def plain(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def params_of(request: HttpRequest) -> dict[str, str]:
    """Twilio's parameters: the query's (GET webhooks, FlowEvent=return…) and the form's."""
    return {**request.GET.dict(), **request.POST.dict()}


def column_length(model: type, field: str) -> int:
    return model._meta.get_field(field).max_length


# The parameters kept in a column of bounded length, and that length. Twilio's SIDs are 34
# characters and its addresses far shorter than 255, so a longer value is not Twilio's; on
# PostgreSQL it made the insert fail (a 500) after the signature had been accepted.
# MessageSid: an execution's initiated_by, and a delivery report's message_sid; CallSid:
# initiated_by; From and a Conversations Author: the contact's address; To and a
# ConversationSid: the flow's.
BOUNDED = {
    "MessageSid": min(
        column_length(EarlyReport, "message_sid"), column_length(Execution, "initiated_by")
    ),
    "CallSid": column_length(Execution, "initiated_by"),
    "From": column_length(Execution, "contact_channel_address"),
    "Author": column_length(Execution, "contact_channel_address"),
    "To": column_length(Execution, "flow_channel_address"),
    "ConversationSid": column_length(Execution, "flow_channel_address"),
}


def parameter_refusal(params: dict[str, str]) -> HttpResponse | None:
    """A 400 for a parameter no Twilio request holds, before anything is read or saved.

    A NUL: Twilio's identifiers, addresses and statuses never hold one, and PostgreSQL
    refuses a NUL in the columns and queries they reach (From, a CallSid), which made a
    500. A message's Body, the contact's own text, is kept in the execution's JSON, where
    a NUL is stored escaped, and runs as before. A value longer than its column (BOUNDED)."""
    for name, value in params.items():
        if "\x00" in name or ("\x00" in value and name != "Body"):
            shown = name.replace("\x00", "\\x00")[:64]
            return plain(400, f"The parameter {shown} holds a NUL character (U+0000)")
        limit = BOUNDED.get(name)
        if limit is not None and len(value) > limit:
            return plain(400, f"The parameter {name} is longer than {limit} characters")
    return None


def voice_answer(
    request: HttpRequest, account_sid: str, answered: inbound.Answered
) -> HttpResponse:
    wait, callback = answered.wait, ""
    if wait is not None and answered.execution is not None:
        execution = answered.execution
        path = reverse("execution_callback", args=[account_sid, execution.flow.sid, execution.sid])
        callback = public_url(request, f"{path}?wait={wait['id']}")
    return HttpResponse(twiml.voice(answered.effects, wait, callback), content_type=XML)


def messaging_answer(answered: inbound.Answered) -> HttpResponse:
    return HttpResponse(twiml.messaging(answered.effects, answered.wait), content_type=XML)


def refusal(exc: Exception, request: HttpRequest) -> HttpResponse:
    """One answer for every refusal, so that nobody without the token learns whether a flow
    exists or is connected; the reason goes to the log, for the operator."""
    logger.warning("Twilio webhook refused (%s): %s", request.path, exc)
    return plain(403, "Forbidden: not a request signed by this flow's Twilio account")


def missing(exc: Exception, request: HttpRequest) -> HttpResponse:
    """A signed request for a flow that is not there: Twilio's debugger shows this text."""
    logger.warning("Twilio webhook for a missing flow (%s): %s", request.path, exc)
    return plain(404, str(exc))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def flow_webhook(request: HttpRequest, account_sid: str, flow_sid: str) -> HttpResponse:
    try:
        flow = signed_flow(request, account_sid, flow_sid).flow
    except Refused as exc:
        return refusal(exc, request)
    except Missing as exc:
        return missing(exc, request)
    params = params_of(request)
    if refused := parameter_refusal(params):
        return refused
    try:
        if params.get("EventType", "").startswith("on"):
            # Conversations (onMessageAdded…; a WhatsApp message's own EventType is not
            # one): the post-event webhook's answer is ignored, 200 it is.
            conversations.receive_conversation_event(flow, params)
            return plain(200, "")
        if params.get("FlowEvent") == "return":
            answered = inbound.receive_return(flow, params)
            if params.get("CallSid"):
                return voice_answer(request, account_sid, answered)
            return messaging_answer(answered)
        if params.get("CallSid"):
            if params.get("CallStatus") in inbound.CALL_OVER:
                inbound.receive_call_status(flow, params)
                return HttpResponse(twiml.voice([], None, ""), content_type=XML)
            return voice_answer(request, account_sid, inbound.receive_call(flow, params))
        if params.get("MessageStatus") not in (None, "", *INBOUND_STATUSES):
            # A status callback of one of the flow's messages (services/webhooks.py), not
            # a message: From is the flow's own number.
            inbound.receive_message_status(flow, params)
            return HttpResponse(status=204)
        if params.get("MessageSid") and params.get("From") and params.get("To"):
            return messaging_answer(inbound.receive_sms(flow, params))
    except ExecutionError as exc:
        # Twilio logs the failure in its debugger; a caller hears its application error.
        logger.warning("Twilio webhook for %s not run: %s", flow.sid, exc.message)
        return plain(exc.status, exc.message)
    return plain(400, "Neither a call (CallSid) nor a message (MessageSid, From, To)")


def signed_execution(
    request: HttpRequest, account_sid: str, flow_sid: str, execution_sid: str
) -> Execution | None:
    """An execution of the flow a signed callback names (Refused if the signature fails)."""
    flow = signed_flow(request, account_sid, flow_sid).flow
    found = Execution.objects.select_related("flow").filter(flow=flow, sid=execution_sid)
    return found.first()


def signed_callback(
    request: HttpRequest, account_sid: str, flow_sid: str, execution_sid: str
) -> tuple[Execution | None, dict[str, str]] | HttpResponse:
    """The execution a signed callback names and its parameters, or the answer that
    refuses the callback (a bad signature, an unknown account or flow, a bad parameter)."""
    try:
        found = signed_execution(request, account_sid, flow_sid, execution_sid)
    except Refused as exc:
        return refusal(exc, request)
    except Missing as exc:
        return missing(exc, request)
    form = request.POST.dict()
    return parameter_refusal(form) or (found, form)


@csrf_exempt
@require_http_methods(["POST"])
def execution_callback(
    request: HttpRequest, account_sid: str, flow_sid: str, execution_sid: str
) -> HttpResponse:
    checked = signed_callback(request, account_sid, flow_sid, execution_sid)
    if isinstance(checked, HttpResponse):
        return checked
    found, form = checked
    wait = request.GET.get("wait", "")
    # ASCII digits only (str.isdigit takes "²", which int() refuses), few enough for int().
    if found is None or not (wait.isascii() and wait.isdigit() and len(wait) <= 18):
        return plain(404, f"No execution {execution_sid} waiting here")
    try:
        answered = inbound.receive_callback(found, int(wait), form)
    except ExecutionError as exc:
        logger.warning("Twilio callback for %s not run: %s", execution_sid, exc.message)
        return plain(exc.status, exc.message)
    return voice_answer(request, account_sid, answered)


@csrf_exempt
@require_http_methods(["POST"])
def message_status(
    request: HttpRequest, account_sid: str, flow_sid: str, execution_sid: str
) -> HttpResponse:
    """The status callback of a message an execution sent (services/outbox_failures.py)."""
    checked = signed_callback(request, account_sid, flow_sid, execution_sid)
    if isinstance(checked, HttpResponse):
        return checked
    found, form = checked
    if found is not None:
        outbox_failures.message_status(found, form)
    return HttpResponse(status=204)
