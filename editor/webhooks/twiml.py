"""TwiML for what an execution asks of a call, built with the SDK's TwiML classes.

The engine's actions are channel-neutral (docs/engine.md, "Effects"); this turns them into
the verbs Twilio's Studio would answer with (docs/channels.md has the table). A waiting
widget's verb gets `action` = the execution's callback URL for that wait, so Twilio's
answer resumes the execution there; verbs that finish without calling an action URL
(Say/Play, and Gather or Record when nothing was entered) are followed by a <Redirect> to
the same URL, so the execution learns they finished. Fork Stream and Call Recording do not
wait: their <Start>/<Stop> come first, before the verb of the widget the run now waits in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from twilio.twiml import TwiML
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from .ssml import markup, nest

# Actions of widgets that move on at once; their TwiML precedes the waiting widget's.
NON_BLOCKING = ("stream", "record_call")
# Waits answered through the call: a voice verb's action URL, or a TwiML Redirect's return.
VOICE_WAITS = ("callback", "return")

PAYMENT_METHODS = {"CREDIT_CARD": "credit-card", "ACH_DEBIT": "ach-debit"}
# Studio's card names, as <Pay validCardTypes> spells them.
CARD_TYPES = {"master-card": "mastercard"}


def given(value: Any) -> Any:
    """An attribute worth writing: empty values and Studio's "default" leave it to Twilio."""
    return None if value in (None, "", "default") else value


def prompt(parent: TwiML, action: dict[str, Any]) -> None:
    loop = action.get("loop", 1)
    loop = loop if loop not in (None, 1) else None
    if action.get("say"):
        voice, language = given(action.get("voice")), given(action.get("language"))
        ssml = markup(action["say"])
        text = None if ssml is not None else action["say"]
        say = parent.say(text, voice=voice, language=language, loop=loop)
        if ssml is not None:
            nest(say, ssml)
    elif action.get("play"):
        parent.play(action["play"], loop=loop)
    elif action.get("digits"):
        parent.play(digits=action["digits"])


def say_play(response: VoiceResponse, action: dict[str, Any], callback: str) -> None:
    prompt(response, action)
    response.redirect(callback, method="POST")


def gather(response: VoiceResponse, action: dict[str, Any], callback: str) -> None:
    verb = response.gather(
        input=action.get("input") or "dtmf speech",
        action=callback,
        method="POST",
        timeout=action.get("timeout"),
        finish_on_key=action.get("finish_on_key"),
        num_digits=action.get("number_of_digits") or None,
        language=given(action.get("gather_language")),
        hints=given(action.get("hints")),
        speech_timeout=given(action.get("speech_timeout")),
        speech_model=given(action.get("speech_model")),
        profanity_filter=action.get("profanity_filter"),
        # No input still calls the action (with no Digits): that is the `timeout` event.
        action_on_empty_result=True,
    )
    prompt(verb, action)
    response.redirect(callback, method="POST")


def dial(response: VoiceResponse, action: dict[str, Any], callback: str) -> None:
    verb = response.dial(
        action=callback,
        method="POST",
        caller_id=given(action.get("caller_id")),
        timeout=action.get("timeout"),
        time_limit=action.get("time_limit"),
        record="record-from-answer" if action.get("record") else None,
    )
    noun = action.get("noun", "number")
    targets = [t for t in action.get("to") or [] if t]
    if noun == "sip":
        sip = action.get("sip") or {}
        endpoint = sip.get("endpoint") or (targets[0] if targets else "")
        verb.sip(endpoint, username=given(sip.get("username")), password=given(sip.get("password")))
        return
    for target in targets:
        if noun == "client":
            verb.client(identity=target)
        elif noun == "sim":
            verb.sim(target)
        elif noun == "conference":
            verb.conference(target)
        else:
            verb.number(target)


def record(response: VoiceResponse, action: dict[str, Any], callback: str) -> None:
    transcribe = bool(action.get("transcribe"))
    response.record(
        action=callback,
        method="POST",
        timeout=action.get("timeout"),
        finish_on_key=action.get("finish_on_key"),
        max_length=action.get("max_length"),
        play_beep=action.get("play_beep"),
        trim=given(action.get("trim")),
        transcribe=True if transcribe else None,
        transcribe_callback=given(action.get("transcription_callback_url")) if transcribe else None,
        recording_status_callback=given(action.get("recording_status_callback_url")),
    )
    # Reached only when nothing was recorded: Record Voicemail's `noAudio`.
    response.redirect(callback, method="POST")


def enqueue(response: VoiceResponse, action: dict[str, Any], callback: str) -> None:
    flex = bool(action.get("flex"))
    workflow = action.get("workflow") if flex else action.get("workflow_sid")
    wait_url = given(action.get("wait_url"))
    method = action.get("wait_url_method") if wait_url else None
    common = {"action": callback, "method": "POST", "wait_url": wait_url, "wait_url_method": method}
    if not workflow:
        response.enqueue(action.get("queue_name") or "", **common)
        return
    verb = response.enqueue(None, workflow_sid=workflow, **common)
    attributes = action.get("attributes") if flex else action.get("task_attributes")
    body = json.dumps(attributes) if isinstance(attributes, dict) else (attributes or "{}")
    verb.task(body, priority=action.get("priority"), timeout=action.get("timeout") or None)


def pay(response: VoiceResponse, action: dict[str, Any], callback: str) -> None:
    cards = [CARD_TYPES.get(c, c) for c in action.get("valid_card_types") or [] if c]
    bank = str(action.get("bank_account_type") or "").lower().replace("_", "-")
    method = str(action.get("payment_method") or "")
    verb = response.pay(
        action=callback,
        payment_connector=given(action.get("payment_connector")),
        charge_amount=given(action.get("payment_amount")),
        currency=given(action.get("currency")),
        description=given(action.get("description")),
        token_type=given(action.get("payment_token_type")),
        payment_method=PAYMENT_METHODS.get(method, given(method.lower())),
        bank_account_type=given(bank),
        valid_card_types=" ".join(cards) or None,
        security_code=action.get("security_code"),
        postal_code=given(action.get("postal_code")),
        min_postal_code_length=action.get("min_postal_code_length") or None,
        timeout=action.get("timeout"),
        max_attempts=action.get("max_attempts"),
        language=given(action.get("language")),
    )
    for name, value in (action.get("parameters") or {}).items():
        verb.parameter(name=name, value=value)


def stream(response: VoiceResponse, action: dict[str, Any]) -> None:
    siprec = action.get("transport") == "siprec"
    name = given(action.get("name"))
    if action.get("stream_action") == "stop":
        stop = response.stop()
        (stop.siprec if siprec else stop.stream)(name=name)
        return
    start = response.start()
    if siprec:
        noun = start.siprec(
            name=name, connector_name=given(action.get("connector")), track=action.get("track")
        )
    else:
        noun = start.stream(name=name, url=action.get("url"), track=action.get("track"))
    for key, value in (action.get("parameters") or {}).items():
        noun.parameter(name=key, value=value)


def record_call(response: VoiceResponse, action: dict[str, Any]) -> None:
    """Start recording with <Start><Recording>. Stopping has no TwiML: Studio stops through
    the Recordings API, which needs the outbound REST calls (not yet sent; see docs)."""
    if not action.get("start"):
        return
    status_callback = given(action.get("recording_status_callback"))
    response.start().recording(
        recording_status_callback=status_callback,
        recording_status_callback_method=(
            action.get("recording_status_callback_method") if status_callback else None
        ),
        recording_status_callback_event=(
            action.get("recording_status_callback_events") if status_callback else None
        ),
        channels=given(action.get("recording_channels")),
        trim=given(action.get("trim")),
    )


def redirect(response: VoiceResponse, action: dict[str, Any], callback: str) -> None:
    # The TwiML at the URL hands the call back with {webhook URL}?FlowEvent=return.
    response.redirect(action.get("url", ""), method=action.get("method") or "POST")


def virtual_agent(response: VoiceResponse, action: dict[str, Any], callback: str) -> None:
    connect = response.connect(action=callback, method="POST")
    if "connector_name" in action:  # Connect Virtual Agent (v2, Dialogflow CX)
        agent = connect.virtual_agent(
            connector_name=given(action.get("connector_name")),
            status_callback=given(action.get("status_callback")),
            status_callback_method=given(action.get("status_callback_method")),
        )
        for key, value in (action.get("configurations") or {}).items():
            agent.config(name=key, value=value)
        for key, value in (action.get("parameters") or {}).items():
            agent.parameter(name=key, value=value)
        return
    connect.virtual_agent(
        connector_name=given(action.get("connector")),
        language=given(action.get("language")),
        sentiment_analysis=action.get("sentiment_analysis") or None,
        status_callback=given(action.get("status_callback")),
    )


def conversation_relay(response: VoiceResponse, action: dict[str, Any], callback: str) -> None:
    connect = response.connect(action=callback, method="POST")
    relay = connect.conversation_relay(
        url=action.get("url"),
        welcome_greeting=given(action.get("welcome_greeting")),
        tts_provider=given(action.get("tts_provider")),
        voice=given(action.get("voice")),
        language=given(action.get("language")),
        transcription_provider=given(action.get("transcription_provider")),
        speech_model=given(action.get("speech_model")),
        dtmf_detection=given(action.get("dtmf_detection")),
        interruptible=given(action.get("interruptible")),
    )
    for key, value in (action.get("parameters") or {}).items():
        relay.parameter(name=key, value=value)


Builder = Callable[[VoiceResponse, dict[str, Any], str], None]
WAITING: dict[str, Builder] = {
    "say_play": say_play,
    "gather": gather,
    "dial": dial,
    "record": record,
    "enqueue": enqueue,
    "redirect": redirect,
    "pay": pay,
    "virtual_agent": virtual_agent,
    "conversation_relay": conversation_relay,
}
MOVING_ON: dict[str, Callable[[VoiceResponse, dict[str, Any]], None]] = {
    "stream": stream,
    "record_call": record_call,
}


def voice(effects: list[dict[str, Any]], wait: dict[str, Any] | None, callback: str) -> str:
    """The TwiML answering a voice webhook: the non-blocking actions this request produced,
    then the verb of the widget the execution now waits in (none: the call ends, as it does
    in Studio when the flow ends)."""
    response = VoiceResponse()
    for effect in effects:
        if effect.get("type") == "action" and effect.get("verb") in MOVING_ON:
            MOVING_ON[effect["verb"]](response, effect)
    action = (wait or {}).get("action") or {}
    builder = WAITING.get(action.get("verb", ""))
    if wait and wait.get("kind") in VOICE_WAITS and builder:
        builder(response, action, callback)
    return response.to_xml()


def messaging(effects: list[dict[str, Any]], wait: dict[str, Any] | None) -> str:
    """An inbound message is acknowledged with an empty <Response/> (replies go out through
    the Messages API); a TwiML Redirect widget reached by this message hands it to its URL
    (a later message, or a retry, is not handed over again)."""
    response = MessagingResponse()
    action = (wait or {}).get("action") or {}
    reached = any(e.get("type") == "action" and e.get("verb") == "redirect" for e in effects)
    if wait and wait.get("kind") == "return" and action.get("verb") == "redirect" and reached:
        response.redirect(action.get("url", ""), method=action.get("method") or "POST")
    return response.to_xml()
