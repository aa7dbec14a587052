"""Run flow test cases from the terminal or CI (docs/testcases.md).

    manage.py flowtest FW…                      the flow's stored cases, on its working copy
    manage.py flowtest --flow flow.json a.yaml  case files against a flow file
    manage.py flowtest FW… a.yaml               case files against a stored flow

Prints one line per case and a summary; `--junit PATH` writes JUnit XML. Exits 1 when any
case fails (or cannot be read).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from editor.flowspec.jsontext import load_json
from editor.flowspec.problems import DocumentError
from editor.models import Flow
from editor.services.testcases import run_cases, subflow_loader
from editor.sids import is_sid
from editor.testcases.junit import junit_xml
from editor.testcases.loader import CaseError, load_case
from editor.testcases.runner import run_case


def flow_file(path: str) -> dict[str, Any]:
    try:
        document = load_json(Path(path).read_bytes())
    except (OSError, DocumentError) as exc:
        raise CommandError(f"{path}: not a readable Studio flow ({exc})") from None
    if isinstance(document, dict) and isinstance(document.get("definition"), dict):
        document = document["definition"]  # a REST API flow resource
    if not isinstance(document, dict) or not isinstance(document.get("states"), list):
        raise CommandError(f"{path}: not a Studio flow (no states)")
    return document


class Command(BaseCommand):
    help = "Run flow test cases: a flow's stored cases, or case files against a flow."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("targets", nargs="+", metavar="FW…|CASE_FILE")
        parser.add_argument("--flow", metavar="FILE", help="a Studio flow JSON file")
        parser.add_argument("--junit", metavar="PATH", help="write JUnit XML here")

    def handle(self, *args: Any, **options: Any) -> None:
        sids = [t for t in options["targets"] if is_sid(t, "FW")]
        files = [t for t in options["targets"] if t not in sids]
        suites: list[tuple[str, list[dict[str, Any]]]] = []
        flows = []
        for sid in sids:
            flow = Flow.objects.select_related("team").filter(sid=sid).first()
            if flow is None:
                raise CommandError(f"no flow {sid}")
            flows.append(flow)
        if files and not options["flow"] and len(flows) != 1:
            raise CommandError("case files need --flow FILE or exactly one flow SID to run on")
        for flow in flows if not files else []:
            suites.append((f"{flow.friendly_name} ({flow.sid})", run_cases(flow)))
        if files:
            suites.append(self.run_files(files, options["flow"], flows[0] if flows else None))
        failed = self.report(suites)
        if options["junit"]:
            Path(options["junit"]).write_text(junit_xml(suites), encoding="utf-8")
        if failed:
            sys.exit(1)

    def run_files(
        self, files: list[str], flow_path: str | None, flow: Flow | None
    ) -> tuple[str, list[dict[str, Any]]]:
        if flow_path:
            definition, name, options = flow_file(flow_path), flow_path, {}
        else:
            assert flow is not None
            definition, name = flow.definition(), f"{flow.friendly_name} ({flow.sid})"
            options = {
                "flow_sid": flow.sid,
                "account_sid": flow.team.account_sid,
                "load_subflow": subflow_loader(flow),
            }
        results = []
        for path in files:
            try:
                case = load_case(Path(path).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                results.append(unreadable(path, str(exc)))
                continue
            except CaseError as exc:
                results.append(unreadable(path, "; ".join(exc.errors)))
                continue
            results.append(run_case(case, definition, **options))
        return name, results

    def report(self, suites: list[tuple[str, list[dict[str, Any]]]]) -> int:
        passed = failed = 0
        for name, results in suites:
            self.stdout.write(name)
            if not results:
                self.stdout.write("  (no test cases)")
            for result in results:
                if result["status"] == "pass":
                    passed += 1
                    self.stdout.write(f"  PASS {result['name']}")
                    continue
                failed += 1
                failure = result.get("failure") or {}
                where = ""
                if failure.get("widget"):
                    where = f" [widget {failure['widget']}, step {failure.get('step')}]"
                self.stdout.write(f"  FAIL {result['name']}: {failure.get('message')}{where}")
        self.stdout.write(f"{passed} passed, {failed} failed")
        return failed


def unreadable(path: str, message: str) -> dict[str, Any]:
    failure = {"message": f"{path}: {message}", "widget": None, "step": None}
    return {"name": path, "status": "fail", "failure": failure, "assertions": []}
