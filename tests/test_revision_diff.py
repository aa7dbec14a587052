"""The structural diff (editor/flowspec/compare.py): one case per file in tests/data/diff,
each a `before` and `after` document and what the diff must say about them."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

from editor.flowspec.compare import MAX_DEPTH, change_tags, compare, value_changes
from editor.flowspec.words import MAX_CELLS, TOTAL_CELLS, TOTAL_CHARS, word_diff

CASES = sorted((Path(__file__).parent / "data" / "diff").glob("*.json"))


def find_change(found: dict, key: str) -> dict:
    widget, path = key.split(":", 1)
    if widget == "settings":
        changes = found["settings"]
    else:
        changes = next(w for w in found["widgets"] if w["name"] == widget)["changes"]
    return next(c for c in changes if c["path"] == path)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_diff_case(path):
    case = json.loads(path.read_text())
    found = compare(case["before"], case["after"])
    expect = case["expect"]
    json.dumps(found)  # plain JSON, nothing else
    if "tags" in expect:
        assert found["tags"] == expect["tags"]
        assert change_tags(case["before"], case["after"]) == expect["tags"]
    if "widgets" in expect:
        assert {w["name"]: w["status"] for w in found["widgets"]} == expect["widgets"]
    by_name = {w["name"]: w for w in found["widgets"]}
    for name, paths in expect.get("changes", {}).items():
        assert [c["path"] for c in by_name[name]["changes"]] == paths
    for name in expect.get("moved", []):
        assert by_name[name]["moved"] is True
        assert by_name[name]["old_offset"] != by_name[name]["offset"]
    for name, old in expect.get("renamed", {}).items():
        assert by_name[name]["renamed_from"] == old
    if "transitions" in expect:
        got = [[t["from"], t["event"], t["to"], t["status"]] for t in found["transitions"]]
        assert got == expect["transitions"]
    if "settings" in expect:
        assert [c["path"] for c in found["settings"]] == expect["settings"]
    for key, ops in expect.get("words", {}).items():
        assert [[w["op"], w["text"]] for w in find_change(found, key)["words"]] == ops
    for key, op in expect.get("ops", {}).items():
        assert find_change(found, key)["op"] == op
    if "summary" in expect:
        assert found["summary"] == expect["summary"]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_reverse_diff_mirrors_the_case(path):
    case = json.loads(path.read_text())
    forward = compare(case["before"], case["after"])
    backward = compare(case["after"], case["before"])
    assert forward["tags"] == backward["tags"]
    flip = {"added": "removed", "removed": "added"}
    assert sorted((t["event"], flip[t["status"]]) for t in forward["transitions"]) == sorted(
        (t["event"], t["status"]) for t in backward["transitions"]
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", "Hello"),
        ("Hello", ""),
        ("a b c", "x y z"),
        ("Press 1 for sales", "Press 2 for sales"),
        ("{{flow.data.name | upcase}}", "{{flow.data.first_name | upcase}} and more"),
        ("same", "same"),
        ("line one\nline two", "line one\nline 2\nline three"),
    ],
)
def test_a_word_diff_spells_both_texts(before, after):
    ops = word_diff(before, after)
    assert "".join(o["text"] for o in ops if o["op"] != "insert") == before
    assert "".join(o["text"] for o in ops if o["op"] != "delete") == after
    assert all(o["op"] in ("equal", "insert", "delete") and o["text"] for o in ops)
    assert all(a["op"] != b["op"] for a, b in pairwise(ops))


def test_a_huge_text_difference_is_bounded():
    side = int(MAX_CELLS**0.5) + 10
    before = " ".join(f"a{i}" for i in range(side))
    after = " ".join(f"b{i}" for i in range(side))
    ops = word_diff(before, after)
    assert [o["op"] for o in ops] == ["delete", "insert"]


def test_deep_nesting_is_reported_whole_at_the_depth_limit():
    def nest(leaf, depth):
        return leaf if depth == 0 else {"k": nest(leaf, depth - 1)}

    changes = value_changes(nest(1, 40), nest(2, 40))
    assert len(changes) == 1
    assert changes[0]["path"].count(".") == MAX_DEPTH - 1


def test_garbage_documents_compare_without_crashing():
    assert compare(None, {"states": "nope"})["tags"] == []
    found = compare({"states": [1, {"name": 5}, {"name": "a", "transitions": "x"}]}, {})
    assert [w["name"] for w in found["widgets"]] == ["a"]


def test_the_word_diffs_of_one_comparison_share_a_budget():
    text = " ".join(f"w{i}" for i in range(150))  # 299 tokens: about 90,000 cells a diff
    count = 40  # more than TOTAL_CELLS allows
    before = {
        "states": [
            {"name": f"s{i}", "type": "x", "properties": {"body": text}} for i in range(count)
        ]
    }
    after = {
        "states": [
            {"name": f"s{i}", "type": "x", "properties": {"body": "x " + text[::-1]}}
            for i in range(count)
        ]
    }
    found = compare(before, after)
    diffed = [
        w["changes"][0]["words"] for w in found["widgets"] if len(w["changes"][0]["words"]) > 2
    ]
    assert 0 < len(diffed) <= TOTAL_CELLS // 80_000
    # Past the budget a text change is still shown, as one delete and one insert.
    plain = [w["changes"][0]["words"] for w in found["widgets"]][-1]
    assert [o["op"] for o in plain] == ["delete", "insert"]


def test_long_texts_past_the_character_budget_are_not_tokenised():
    text = "word " * 1000  # 5,000 characters a side
    count = 100  # 1,000,000 characters in all, more than TOTAL_CHARS
    states = [{"name": f"s{i}", "type": "x", "properties": {"body": text}} for i in range(count)]
    changed = [
        {"name": f"s{i}", "type": "x", "properties": {"body": text + "more"}} for i in range(count)
    ]
    found = compare({"states": states}, {"states": changed})
    words = [w["changes"][0]["words"] for w in found["widgets"]]
    assert [o["op"] for o in words[0]] == ["equal", "insert"]
    assert len([w for w in words if w[0]["op"] == "equal"]) <= TOTAL_CHARS // 10_000
    assert [o["op"] for o in words[-1]] == ["delete", "insert"]
