"""The per-widget difference that pull and push show when they refuse to overwrite."""

from __future__ import annotations

import copy

from editor.flowspec.diff import MAX_LINES, difference

from .sync_support import GOODBYE, definition


def test_the_same_flow_has_no_difference():
    assert difference(definition(), copy.deepcopy(definition())) == []


def test_added_removed_and_changed_widgets_are_named():
    before = definition("One", extra=[GOODBYE])
    after = definition("Two")
    after["states"].append({**GOODBYE, "name": "say_thanks"})
    assert difference(before, after) == [
        "added say_thanks (send-message)",
        "removed say_goodbye (send-message)",
        "changed say_hello: body",
    ]


def test_a_widget_only_moved_says_so_and_transitions_and_types_are_changes():
    after = definition()
    after["states"][1]["properties"]["offset"] = {"x": 50, "y": 50}
    assert difference(definition(), after) == ["moved say_hello"]
    after["states"][0]["transitions"][0]["next"] = None
    after["states"][1]["type"] = "send-and-wait-for-reply"
    assert difference(definition(), after) == [
        "changed Trigger: transitions",
        "changed say_hello: type send-message → send-and-wait-for-reply",
    ]


def test_the_flows_own_settings_are_a_line_of_their_own():
    after = definition()
    after["description"] = "Say goodbye"
    after["flags"] = {"allow_concurrent_calls": False}
    assert difference(definition(), after) == ["changed the flow's description, flags"]


def test_a_long_difference_is_cut_short():
    after = definition(extra=[{**GOODBYE, "name": f"w{i}"} for i in range(30)])
    lines = difference(definition(), after)
    assert len(lines) == MAX_LINES and lines[-1] == f"and {30 - MAX_LINES + 1} more"
