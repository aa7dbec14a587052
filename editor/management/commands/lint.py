"""Lint flows for CI: `manage.py lint FW…|FILE … [--format text|json] [--team SLUG] [--strict]`.

Each argument is a flow SID (its current draft is linted) or a Studio JSON file (modern,
legacy or a REST Flow resource; `-` reads stdin). Text output is one line per finding,
`SOURCE:WIDGET[.FIELD]: SEVERITY [RULE] MESSAGE`; JSON output is one object with every
flow's findings. The exit status is 1 when any error is found (with --strict, any warning
too), 2 when an argument cannot be read, 0 otherwise. docs/linter.md lists the rules.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from editor.flowspec.problems import DocumentError
from editor.flowspec.studio_json import read_document
from editor.lint import Finding, rules_json
from editor.linting import lint_definition, lint_flow
from editor.management.sources import read_source
from editor.models import Flow, Team
from editor.sids import is_sid


def finding_line(source: str, finding: Finding) -> str:
    where = finding.widget or "-"
    if finding.field:
        where += f".{finding.field}"
    return f"{source}:{where}: {finding.severity} [{finding.rule}] {finding.message}"


class Command(BaseCommand):
    help = "Lint flows (by FW… SID) or Studio JSON files; exit 1 when there are errors."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("targets", nargs="+", metavar="FW…|FILE")
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument(
            "--team",
            metavar="TEAM_SLUG",
            help="the team whose flows Run Subflow may name (files), and that SIDs must be in",
        )
        parser.add_argument("--strict", action="store_true", help="warnings fail too")

    def handle(self, *args: Any, **options: Any) -> None:
        team = None
        if options["team"]:
            team = Team.objects.filter(slug=options["team"]).first()
            if team is None:
                raise CommandError(f"no team {options['team']!r}", returncode=2)
        results = [
            (target, self.lint(target, team, options.get("stdin"))) for target in options["targets"]
        ]
        findings = [f for _, found in results for f in found]
        counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "flows": [
                            {"source": target, "findings": [f.as_dict() for f in found]}
                            for target, found in results
                        ],
                        "counts": counts,
                        "rules": rules_json(),
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
        else:
            for target, found in results:
                for finding in found:
                    self.stdout.write(finding_line(target, finding))
        summary = (
            f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} "
            f"note(s) in {len(results)} flow(s)"
        )
        failing = counts["error"] + (counts["warning"] if options["strict"] else 0)
        if failing:
            raise CommandError(summary, returncode=1)
        self.stderr.write(summary)

    def lint(self, target: str, team: Team | None, stdin: Any) -> list[Finding]:
        if is_sid(target, "FW"):
            flows = Flow.objects.select_related("team").filter(sid=target)
            if team is not None:
                flows = flows.filter(team=team)
            flow = flows.first()
            if flow is None:
                raise CommandError(f"no flow {target}", returncode=2)
            return lint_flow(flow)
        try:
            return lint_definition(read_document(self.read(target, stdin)), team)
        except DocumentError as exc:
            raise CommandError(f"{target}: {exc}", returncode=2) from None

    def read(self, name: str, stdin: Any) -> bytes | str:
        try:
            return read_source(name, stdin)
        except OSError as exc:
            raise CommandError(f"{name}: {exc.strerror or exc}", returncode=2) from None
