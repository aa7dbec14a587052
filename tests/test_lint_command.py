"""`manage.py lint`: text and JSON output, and an exit status CI can use."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from editor import services
from editor.samples import load_sample

pytestmark = pytest.mark.django_db


def broken() -> dict:
    """The SMS chatbot sample with a misspelt widget reference (an error)."""
    document = load_sample("sms-chatbot")
    state = next(s for s in document["states"] if s["type"] == "send-message")
    state["properties"]["body"] = "Hi {{widgets.nobody.parsed.name}}"
    return document


def lint(*args: str) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("lint", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), str(exc), exc.returncode
    return out.getvalue(), err.getvalue(), 0


def test_a_file_with_errors_exits_1_with_one_line_per_finding(tmp_path):
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(broken()))
    out, err, status = lint(str(path))
    assert status == 1
    lines = out.splitlines()
    assert any(
        line.startswith(f"{path}:") and ": error [unknown-widget] Widget `" in line
        for line in lines
    ), out
    assert "1 error(s)" in err


def test_warnings_alone_pass_unless_strict(tmp_path):
    document = load_sample("sms-chatbot")
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(document))
    out, _, status = lint(str(path), "--format", "json")
    counts = json.loads(out)["counts"]
    assert counts["error"] == 0
    assert status == 0
    if counts["warning"]:
        assert lint(str(path), "--strict")[2] == 1


def test_json_output_lists_each_flow_and_its_findings(team, tmp_path):
    flow = services.create_flow(team, friendly_name="Broken", definition=broken())
    path = tmp_path / "flow.json"
    path.write_text(json.dumps({"definition": load_sample("sms-chatbot")}))  # a REST resource
    out, _, status = lint(flow.sid, str(path), "--format", "json", "--team", "acme")
    assert status == 1
    report = json.loads(out)
    assert [f["source"] for f in report["flows"]] == [flow.sid, str(path)]
    rules = {f["rule"] for f in report["flows"][0]["findings"]}
    assert "unknown-widget" in rules
    assert report["counts"]["error"] >= 1
    assert "unknown-widget" in report["rules"]


def test_a_flow_of_another_team_is_not_found_with_team(team, other_team):
    flow = services.create_flow(other_team, friendly_name="Theirs", definition=broken())
    assert lint(flow.sid, "--team", "acme")[2] == 2
    assert lint(flow.sid)[2] == 1


@pytest.mark.parametrize(
    "args",
    [["FW" + "0" * 32], ["/nonexistent/flow.json"], ["x", "--team", "nope"]],
)
def test_unreadable_arguments_exit_2(args, tmp_path):
    assert lint(*args)[2] == 2


def test_a_file_that_is_not_json_exits_2(tmp_path):
    path = tmp_path / "flow.json"
    path.write_text("{nope")
    _, err, status = lint(str(path))
    assert status == 2 and str(path) in err


def test_subflows_are_checked_against_the_team_given(team, tmp_path):
    document = load_sample("sms-chatbot")
    document["states"].append(
        {
            "name": "sub",
            "type": "run-subflow",
            "transitions": [{"event": "completed"}, {"event": "failed"}],
            "properties": {"flow_sid": "FW" + "1" * 32, "flow_revision": "LatestPublished"},
        }
    )
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(document))
    assert "[unknown-subflow]" not in lint(str(path))[0]
    assert "[unknown-subflow]" in lint(str(path), "--team", "acme")[0]


def test_stdin_is_read_for_a_dash():
    out, err = io.StringIO(), io.StringIO()
    stdin = io.StringIO(json.dumps(broken()))
    with pytest.raises(CommandError) as raised:
        call_command("lint", "-", stdout=out, stderr=err, stdin=stdin)
    assert raised.value.returncode == 1
    assert out.getvalue().startswith("-:") and "[unknown-widget]" in out.getvalue()
