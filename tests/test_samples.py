"""The sample flows: valid, lossless, and shaped like the flows they stand for."""

from __future__ import annotations

import pytest

from editor import services
from editor.flowspec.catalogue import BY_TYPE
from editor.flowspec.validate import validate
from editor.samples import SAMPLES, load_sample, sample_text
from editor.sids import is_sid

SLUGS = [sample.slug for sample in SAMPLES]


def states_by_name(document):
    return {state["name"]: state for state in document["states"]}


def targets(state):
    return [t.get("next") for t in state["transitions"]]


@pytest.mark.parametrize("slug", SLUGS)
def test_it_validates_with_no_problems(slug):
    assert validate(load_sample(slug)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_it_round_trips_unchanged(slug, team):
    document = load_sample(slug)
    flow = services.create_flow(team, friendly_name=slug, definition=document)
    assert services.export_flow(flow) == document
    assert services.export_flow(flow, revision=1) == document


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_it_imports_from_its_file_text(slug, team):
    flow = services.import_flow(team, sample_text(slug), publish=True)
    assert flow.valid
    assert services.export_flow(flow) == load_sample(slug)


@pytest.mark.parametrize("slug", SLUGS)
def test_it_uses_the_modern_format(slug):
    document = load_sample(slug)
    assert list(document) == ["description", "states", "initial_state", "flags"]
    assert document["description"]
    assert document["initial_state"] == "Trigger"
    assert document["flags"] == {"allow_concurrent_calls": True}
    assert document["states"][0]["name"] == "Trigger"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_widget_lists_all_its_events_in_canonical_order(slug):
    for state in load_sample(slug)["states"]:
        widget = BY_TYPE[state["type"]]
        events = [t["event"] for t in state["transitions"]]
        if widget.repeatable_events:
            assert events[0] == "noMatch"
            assert set(events[1:]) == {"match"}
        else:
            assert events == list(widget.events), state["name"]
        for transition in state["transitions"]:
            assert transition.get("next", "wired") not in (None, ""), state["name"]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_widget_has_an_integer_offset_laid_out_top_to_bottom(slug):
    document = load_sample(slug)
    offsets = {s["name"]: s["properties"]["offset"] for s in document["states"]}
    for offset in offsets.values():
        assert set(offset) == {"x", "y"}
        assert all(type(v) is int for v in offset.values())
    assert offsets["Trigger"]["y"] == min(o["y"] for o in offsets.values())
    positions = {(o["x"], o["y"]) for o in offsets.values()}
    assert len(positions) == len(offsets), "two widgets share a position"
    # Forward edges go down the canvas; only loops back to an earlier widget go up.
    for state in document["states"]:
        for target in filter(None, targets(state)):
            below = offsets[target]["y"] > offsets[state["name"]]["y"]
            assert below or target in loops(slug), (state["name"], target)


def loops(slug):
    return {"ivr-phone-tree": {"gather_main_menu"}}.get(slug, set())


def test_the_tutorial_splits_yes_and_no_into_three_replies():
    states = states_by_name(load_sample("conversations-tutorial"))
    trigger = states["Trigger"]
    assert trigger["transitions"][0] == {"event": "incomingMessage", "next": "send_and_reply_1"}
    ask = states["send_and_reply_1"]
    assert ask["properties"]["body"] == "Hi, do you like bots?"
    assert ask["properties"]["timeout"] == "3600"
    split = states["split_1"]
    assert split["properties"]["input"] == "{{widgets.send_and_reply_1.inbound.Body}}"
    no_match, yes, no = split["transitions"]
    assert no_match == {"event": "noMatch", "next": "send_message_3"}
    assert yes["conditions"][0]["type"] == "matches_any_of"
    assert yes["conditions"][0]["value"] == "yes,yeah,yup,y"
    assert yes["conditions"][0]["arguments"] == [split["properties"]["input"]]
    assert no["conditions"][0]["value"].split(",")[0] == "no"
    replies = [s for s in states.values() if s["type"] == "send-message"]
    assert [s["name"] for s in replies] == ["send_message_1", "send_message_2", "send_message_3"]
    assert {yes["next"], no["next"]} == {"send_message_1", "send_message_2"}


def test_the_chatbot_looks_an_order_up_and_splits_on_the_parsed_status():
    states = states_by_name(load_sample("sms-chatbot"))
    http = states["http_order_lookup"]
    assert http["properties"]["url"].startswith("https://")
    assert http["properties"]["method"] == "GET"
    assert targets(http) == ["split_order_status", "reply_lookup_failed"]
    assert states["split_order_status"]["properties"]["input"].startswith(
        "{{widgets.http_order_lookup.parsed."
    )
    assert states["set_order_number"]["type"] == "set-variables"
    assert states["menu"]["type"] == "send-and-wait-for-reply"


def test_the_ivr_gathers_digits_and_loops_back_on_no_input():
    states = states_by_name(load_sample("ivr-phone-tree"))
    assert states["Trigger"]["transitions"][1] == {
        "event": "incomingCall",
        "next": "gather_main_menu",
    }
    gather = states["gather_main_menu"]
    assert gather["properties"]["say"]
    assert type(gather["properties"]["number_of_digits"]) is int
    assert gather["properties"]["speech_timeout"] == "auto"
    assert targets(gather) == ["split_digits", None, "say_no_input"]
    assert targets(states["say_no_input"]) == ["gather_main_menu"]
    split = states["split_digits"]
    assert split["properties"]["input"] == "{{widgets.gather_main_menu.Digits}}"
    branch_types = {states[t]["type"] for t in targets(split)}
    assert {"say-play", "connect-call-to"} <= branch_types
    assert any(s["type"] == "record-voicemail" for s in states.values())
    assert states["record_voicemail_1"]["properties"]["play_beep"] == "true"


def test_the_webchat_flow_sends_quick_replies_and_hands_over_to_flex():
    states = states_by_name(load_sample("webchat-pre-agent"))
    ask = states["ask_topic"]
    assert '"selections"' in ask["properties"]["attributes"]
    flex = states["send_to_flex_1"]["properties"]
    assert is_sid(flex["workflow"], "WW")
    assert is_sid(flex["channel"], "TC")
    assert "| to_json}}" in flex["attributes"]
    assert flex["priority"] == "0"
    assert flex["timeout"] == "3600"
    assert targets(states["set_topic"]) == ["send_to_flex_1"]


def test_the_reminder_is_started_over_rest_and_records_the_answer():
    states = states_by_name(load_sample("appointment-reminder"))
    assert targets(states["Trigger"])[3] == "send_reminder"
    assert [t for t in targets(states["Trigger"]) if t] == ["send_reminder"]
    assert "{{flow.data.appointment_time}}" in states["send_reminder"]["properties"]["body"]
    split = states["split_answer"]
    assert [t["event"] for t in split["transitions"]] == ["noMatch", "match", "match"]
    http = states["http_record_answer"]["properties"]
    assert http["method"] == "POST"
    assert http["content_type"] == "application/json;charset=utf-8"
    assert targets(states["send_confirmed"])[0] == "http_record_answer"
    assert targets(states["send_cancelled"])[0] == "http_record_answer"
