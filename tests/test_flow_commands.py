"""`manage.py import_flow` and `export_flow`: machine-friendly output (the new flow's sid
alone, the same JSON as the service), every problem on stderr and nothing saved, warnings
that still import, non-zero exits."""

from __future__ import annotations

import io
import json
from unittest import mock

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from editor import services
from editor.flowspec.validate import validate
from editor.models import Flow, Status
from editor.samples import load_sample, sample_text
from editor.sids import is_sid

from .command_support import run
from .real_exports import (
    LIQUID_PATH,
    TRIM_WARNING,
    legacy_webhook_and_flex,
    liquid_in_function_parameter,
    older_trim_on_outgoing_call,
)

pytestmark = pytest.mark.django_db


BROKEN_TARGET = {
    "description": "Broken",
    "states": [
        {
            "name": "Trigger",
            "type": "trigger",
            "transitions": [{"event": "incomingMessage", "next": "nowhere"}],
            "properties": {"offset": {"x": 0, "y": 0}},
        },
        {
            "name": "http_1",
            "type": "make-http-request",
            "transitions": [{"event": "success"}, {"event": "failed"}],
            "properties": {"method": "PUT", "url": ""},
        },
    ],
    "initial_state": "Trigger",
    "flags": {"allow_concurrent_calls": True},
}


def write(tmp_path, data, name="flow.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


# import_flow


def test_import_flow_prints_only_the_new_flow_sid(tmp_path, team):
    out, err = run("import_flow", write(tmp_path, sample_text("sms-chatbot")), "--team", "acme")
    sid = out.strip()
    assert is_sid(sid, "FW") and out == sid + "\n"
    assert err == ""
    flow = Flow.objects.get(sid=sid)
    assert flow.team == team
    assert flow.status == Status.DRAFT
    assert services.export_flow(flow) == load_sample("sms-chatbot")


def test_import_flow_names_and_publishes_on_request(tmp_path, team):
    path = write(tmp_path, sample_text("ivr-phone-tree"))
    out, _ = run("import_flow", path, "--team", "acme", "--name", "Front desk", "--publish")
    flow = Flow.objects.get(sid=out.strip())
    assert flow.friendly_name == "Front desk"
    assert flow.status == Status.PUBLISHED


def test_import_flow_reads_stdin_for_a_dash(team):
    out, _ = run("import_flow", "-", "--team", "acme", stdin=sample_text("webchat-pre-agent"))
    assert Flow.objects.get(sid=out.strip()).widgets.count() == 6


def test_import_flow_prints_every_problem_to_stderr_and_saves_nothing(tmp_path, team):
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_flow", write(tmp_path, BROKEN_TARGET), "--team", "acme", stderr=err)
    lines = err.getvalue().splitlines()
    assert [line.split(" — ")[0] for line in lines] == [
        f"error: {p.property_path}: {p.message}" for p in validate(BROKEN_TARGET)
    ]
    assert (
        "error: #/states/0/transitions/0/next: must match a widget name — Widget `Trigger`: "
        "transition `incomingMessage` goes to `nowhere`, which is not a widget in this flow. "
        "Connect it to an existing widget or remove it."
    ) in lines
    assert any(line.startswith("error: #/states/1/properties/method: ") for line in lines)
    assert not Flow.objects.exists()


def test_import_flow_counts_the_problems_in_words(tmp_path, team):
    with pytest.raises(CommandError, match=r"^flow rejected with 1 error; nothing was saved"):
        call_command(
            "import_flow", write(tmp_path, "{not json"), "--team", "acme", stderr=io.StringIO()
        )


def test_import_flow_exits_non_zero_from_the_command_line(tmp_path, team, capsys):
    path = write(tmp_path, "{not json")
    # run_from_argv closes every connection on exit, the test's own transaction included.
    with (
        mock.patch("django.core.management.base.connections.close_all"),
        pytest.raises(SystemExit) as exited,
    ):
        ManagementUtility(["manage.py", "import_flow", path, "--team", "acme"]).execute()
    assert exited.value.code != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "#: is not valid JSON" in captured.err
    assert not Flow.objects.exists()


def test_import_flow_keeps_a_flow_with_problems_as_a_draft_when_allowed(tmp_path, team):
    out, err = run(
        "import_flow", write(tmp_path, BROKEN_TARGET), "--team", "acme", "--allow-problems"
    )
    flow = Flow.objects.get(sid=out.strip())
    assert not flow.valid
    assert flow.status == Status.DRAFT
    errors = err.splitlines()
    assert errors and all(line.startswith("error: #/") for line in errors)
    assert len(errors) == len(flow.errors)


def test_import_flow_never_keeps_blocking_problems(tmp_path, team):
    duplicate = load_sample("conversations-tutorial")
    duplicate["states"][2]["name"] = "send_and_reply_1"
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_flow",
            write(tmp_path, duplicate),
            "--team",
            "acme",
            "--allow-problems",
            stderr=err,
        )
    assert "used more than once" in err.getvalue()
    assert not Flow.objects.exists()


def test_import_flow_prints_warnings_and_still_imports_and_publishes(tmp_path, team):
    path = write(tmp_path, older_trim_on_outgoing_call())
    out, err = run("import_flow", path, "--team", "acme", "--publish")
    flow = Flow.objects.get(sid=out.strip())
    assert flow.valid and flow.status == Status.PUBLISHED
    (line,) = err.splitlines()
    path_and_message = f"{TRIM_WARNING['property_path']}: {TRIM_WARNING['message']}"
    assert line.startswith(f"warning: {path_and_message} — Widget `call_user_1`")
    # Kept exactly as written: same keys, same order, same values (trim stays "true").
    assert json.dumps(services.export_flow(flow)) == json.dumps(older_trim_on_outgoing_call())


def test_import_flow_converts_a_legacy_export_with_webhook_and_send_to_flex(tmp_path, team):
    out, err = run("import_flow", write(tmp_path, legacy_webhook_and_flex()), "--team", "acme")
    flow = Flow.objects.get(sid=out.strip())
    assert flow.valid and err == ""
    assert {w.type for w in flow.widgets.all()} >= {"make-http-request", "send-to-flex"}


def test_import_flow_keeps_a_flow_whose_liquid_studio_does_not_check(tmp_path, team):
    out, err = run("import_flow", write(tmp_path, liquid_in_function_parameter()), "--team", "acme")
    flow = Flow.objects.get(sid=out.strip())
    assert flow.valid
    assert err.startswith(f"warning: {LIQUID_PATH}: ")


def test_import_flow_needs_an_existing_team(tmp_path, db):
    with pytest.raises(CommandError, match="no team"):
        run("import_flow", write(tmp_path, sample_text("sms-chatbot")), "--team", "nope")


def test_import_flow_reports_a_missing_file(tmp_path, team):
    with pytest.raises(CommandError, match="cannot read"):
        run("import_flow", str(tmp_path / "missing.json"), "--team", "acme")


# export_flow


def test_export_flow_prints_the_same_json_as_the_service(team):
    flow = services.create_flow(
        team, friendly_name="Bots", definition=load_sample("conversations-tutorial")
    )
    out, _ = run("export_flow", flow.sid)
    assert json.loads(out) == services.export_flow(flow)
    assert out.startswith('{\n  "description"')


def test_export_flow_prints_an_older_revision(team):
    flow = services.create_flow(team, friendly_name="Bots", definition=load_sample("sms-chatbot"))
    services.update_flow(
        flow, status=Status.DRAFT, definition=load_sample("conversations-tutorial")
    )
    out, _ = run("export_flow", flow.sid, "--revision", "1")
    assert json.loads(out) == load_sample("sms-chatbot")


def test_export_flow_keeps_non_ascii_text_readable(team):
    document = load_sample("conversations-tutorial")
    document["states"][1]["properties"]["body"] = "¿Te gustan los bots? 🤖"
    flow = services.create_flow(team, friendly_name="Bots", definition=document)
    out, _ = run("export_flow", flow.sid)
    assert "¿Te gustan los bots? 🤖" in out


def test_export_flow_rejects_an_unknown_sid_or_revision(team):
    flow = services.create_flow(team, friendly_name="Bots", definition=load_sample("sms-chatbot"))
    with pytest.raises(CommandError, match="no flow"):
        run("export_flow", "FW" + "0" * 32)
    with pytest.raises(CommandError, match="no revision 7"):
        run("export_flow", flow.sid, "--revision", "7")
