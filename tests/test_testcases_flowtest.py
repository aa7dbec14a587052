"""`manage.py flowtest`: case files run against a flow file, or a stored flow's cases; a
summary on stdout, JUnit XML, and exit 1 with the widget where a case failed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from editor.models import FlowTestCase
from editor.samples import load_sample
from editor.services import testcases

from .testcase_support import CASES, YES, rename_send_message_1


@pytest.fixture
def flow_file(tmp_path):
    path = tmp_path / "tutorial.json"
    path.write_text(json.dumps(load_sample("conversations-tutorial")))
    return path


def test_flowtest_runs_case_files_and_writes_junit(flow_file, tmp_path, capsys):
    report = tmp_path / "junit.xml"
    files = [str(CASES / "conversations-yes.yaml"), str(CASES / "conversations-no.json")]
    call_command("flowtest", *files, flow=str(flow_file), junit=str(report))
    out = capsys.readouterr().out
    assert "PASS A contact who likes bots" in out and "2 passed, 0 failed" in out
    suite = ET.parse(report).getroot().find("testsuite")  # noqa: S314 (our own report)
    assert (suite.get("tests"), suite.get("failures")) == ("2", "0")


def test_flowtest_fails_with_exit_1_and_the_widget(flow_file, tmp_path, capsys):
    broken = json.loads(flow_file.read_text())
    for state in broken["states"]:
        if state["name"] == "send_message_1":
            state["properties"]["body"] = "Meh."
    flow_file.write_text(json.dumps(broken))
    report = tmp_path / "junit.xml"
    bad_case = tmp_path / "bad.yaml"
    bad_case.write_text("name: [")
    with pytest.raises(SystemExit) as exited:
        call_command(
            "flowtest",
            str(CASES / "conversations-yes.yaml"),
            str(bad_case),
            flow=str(flow_file),
            junit=str(report),
        )
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "FAIL A contact who likes bots" in out and "[widget send_message_1, step 4]" in out
    assert "0 passed, 2 failed" in out
    cases = ET.parse(report).getroot().find("testsuite").findall("testcase")  # noqa: S314
    failure = cases[0].find("failure")
    assert "send_message_1" in failure.get("message")
    assert "messages[1].body" in failure.text
    assert "not valid YAML" in cases[1].find("failure").get("message")


def test_flowtest_runs_a_stored_flows_cases(tutorial, alice, capsys):
    testcases.create_case(tutorial, YES, alice)
    call_command("flowtest", tutorial.sid)
    assert "1 passed, 0 failed" in capsys.readouterr().out
    assert FlowTestCase.objects.get().last_status == "pass"
    rename_send_message_1(tutorial, alice)
    with pytest.raises(SystemExit):
        call_command("flowtest", tutorial.sid)
