"""Enumerated properties carry the Console's labels; saved values stay as Twilio writes them."""

from __future__ import annotations

import json

import pytest

from editor import services
from editor.flowspec import catalogue, speech
from editor.flowspec.catalogue import BY_TYPE, WIDGET_TYPES
from editor.flowspec.studio_json import join_state, new_document, new_state
from editor.flowspec.validate import validate

ENUMERATED = [(w.type, p) for w in WIDGET_TYPES for p in w.props if p.choices or p.enum]


def test_there_are_enumerations_to_check():
    names = {(type_, p.name) for type_, p in ENUMERATED}
    assert ("capture-payments", "payment_method") in names
    assert ("capture-payments", "valid_card_types") in names
    assert len(names) > 20


@pytest.mark.parametrize("type_,prop", ENUMERATED, ids=lambda x: getattr(x, "name", x))
def test_every_enumerated_value_has_a_label(type_, prop):
    values = [value for value, _ in prop.choices]
    assert values == list(prop.enum)
    assert len(set(values)) == len(values), (type_, prop.name)
    for value, label in prop.choices:
        assert isinstance(value, str) and value, (type_, prop.name)
        assert isinstance(label, str) and label.strip() == label and label, (type_, value)
    labels = [label for _, label in prop.choices]
    assert len(set(labels)) == len(labels), (type_, prop.name, labels)


def test_the_canvas_gets_each_value_with_its_label():
    served = {w["type"]: w for w in catalogue.as_json()["widgets"]}
    for type_, prop in ENUMERATED:
        entry = next(p for p in served[type_]["properties"] if p["name"] == prop.name)
        assert entry["enum"] == list(prop.enum)
        assert [c["value"] for c in entry["choices"]] == entry["enum"]
        assert all(c["label"] for c in entry["choices"])


def test_labels_in_studio_words():
    pay = BY_TYPE["capture-payments"].props_by_name
    assert pay["payment_method"].choice_label("CREDIT_CARD") == "Credit card"
    assert pay["payment_method"].choice_label("ACH_DEBIT") == "ACH debit"
    assert pay["payment_token_type"].choice_label("one-time") == "One-time"
    assert pay["payment_token_type"].choice_label("reusable") == "Reusable"
    # A value outside the enumeration reads as itself.
    assert pay["payment_method"].choice_label("PAYPAL") == "PAYPAL"


@pytest.mark.parametrize("type_", ["say-play", "gather-input-on-call"])
def test_voice_and_language_are_suggested_not_enforced(type_):
    props = BY_TYPE[type_].props_by_name
    assert props["voice"].suggested == speech.VOICES
    assert props["language"].suggested == speech.LANGUAGES
    assert not props["voice"].enum and not props["language"].enum
    assert props["voice"].liquid and props["language"].liquid
    voices = dict(speech.VOICES)
    assert {"man", "woman", "alice"} <= set(voices)
    assert any(v.startswith("Polly.") for v in voices)
    assert any(v.startswith("Google.") for v in voices)
    assert dict(speech.LANGUAGES)["en-US"] == "English (US)"
    served = next(w for w in catalogue.as_json()["widgets"] if w["type"] == type_)
    voice = next(p for p in served["properties"] if p["name"] == "voice")
    assert {"value": "alice", "label": "Alice"} in voice["suggested"]
    assert "enum" not in voice


# Suggestions only where Twilio documents the attribute's values for that noun: <Pay
# language> has its own shorter list, ConversationRelay names its providers; its `voice`
# (provider voice IDs), its `language` and Dialogflow's language are left free.
SUGGESTED_ELSEWHERE = [
    ("capture-payments", "language", speech.PAY_LANGUAGES),
    ("run-conversation-relay", "tts_provider", speech.TTS_PROVIDERS),
    ("run-conversation-relay", "transcription_provider", speech.TRANSCRIPTION_PROVIDERS),
]


@pytest.mark.parametrize("type_,name,offered", SUGGESTED_ELSEWHERE)
def test_other_speech_fields_are_suggested_not_enforced(type_, name, offered):
    prop = BY_TYPE[type_].props_by_name[name]
    assert prop.suggested == offered and not prop.enum
    values = [value for value, _ in offered]
    assert len(set(values)) == len(values)
    assert all(label.strip() == label and label for _, label in offered)
    served = next(w for w in catalogue.as_json()["widgets"] if w["type"] == type_)
    entry = next(p for p in served["properties"] if p["name"] == name)
    assert entry["suggested"] == [{"value": v, "label": label} for v, label in offered]
    assert "enum" not in entry


def test_pay_offers_only_pays_languages():
    pay = dict(speech.PAY_LANGUAGES)
    assert {"en-US", "en-GB", "es-US", "fr-CA", "it-IT", "en-PH"} <= set(pay)
    assert "ja-JP" not in pay and "nl-NL" not in pay, "<Say> speaks these, <Pay> does not"
    language = BY_TYPE["capture-payments"].props_by_name["language"]
    assert language.choice_label("en-GB") == "English (UK)"
    assert not language.liquid, "stays as Studio stores it: never rendered"


def test_fields_without_documented_values_offer_nothing():
    relay = BY_TYPE["run-conversation-relay"].props_by_name
    assert not relay["voice"].suggested, "provider voice IDs, not <Say>'s names"
    assert not relay["language"].suggested
    assert not BY_TYPE["connect-virtual-agent"].props_by_name["language"].suggested


def test_a_value_outside_the_suggestions_is_valid():
    document = new_document()
    pay = new_state("capture-payments", "pay_1")
    pay.properties.update(payment_connector="Default", language="ja-JP")
    relay = new_state("run-conversation-relay", "relay_1")
    relay.properties.update(url="wss://a.test/", tts_provider="SomeoneElse")
    document["states"] = [join_state(s) for s in (new_state("trigger", "Trigger"), pay, relay)]
    problems = [p.message for p in validate(document) if "language" in p.message]
    assert not problems and not [p for p in validate(document) if "tts_provider" in p.message]


def every_stored_value() -> dict:
    """A flow with one widget per enumerated value (and Say's voice as Liquid)."""
    states = [new_state("trigger", "Trigger")]
    for type_, prop in ENUMERATED:
        for value in prop.enum:
            state = new_state(type_, f"w_{len(states)}")
            state.properties[prop.name] = [value] if prop.type == "array" else value
            states.append(state)
    say = new_state("say-play", "say_play_1")
    say.properties.update(voice="{{flow.variables.voice}}", language="Polly.Unknown-Neural")
    states.append(say)
    document = new_document()
    document["states"] = [join_state(s) for s in states]
    return document


@pytest.mark.django_db
def test_stored_values_round_trip_through_export_and_import(team):
    document = every_stored_value()
    # Every stored value is one validation accepts (only Dialogflow ES's connector is empty).
    assert not [p for p in validate(document) if "enumeration" in p.message]
    flow = services.import_flow(team, json.dumps(document), allow_problems=True)
    exported = services.export_flow(flow)
    assert json.dumps(exported) == json.dumps(document)
    by_name = {s["name"]: s["properties"] for s in exported["states"]}
    assert "ACH_DEBIT" in {p.get("payment_method") for p in by_name.values()}
    assert by_name["say_play_1"]["voice"] == "{{flow.variables.voice}}"
    again = services.import_flow(team, json.dumps(exported), allow_problems=True)
    assert json.dumps(services.export_flow(again)) == json.dumps(document)


def test_a_subflows_revision_offers_latest_published_and_latest_draft():
    """The Revision field was a bare text box whose help listed the words to type."""
    entry = {w["type"]: w for w in catalogue.as_json()["widgets"]}["run-subflow"]
    revision = next(p for p in entry["properties"] if p["name"] == "flow_revision")
    assert revision["suggested"] == [
        {"value": "LatestPublished", "label": "Latest published"},
        {"value": "LatestDraft", "label": "Latest draft"},
    ]
    assert "enum" not in revision  # a revision number is still accepted
