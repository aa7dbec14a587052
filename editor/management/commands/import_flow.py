"""Import a Studio flow JSON file into a team and print the new flow's SID."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import pluralize

from editor import services
from editor.flowspec.problems import Problem, any_blocking
from editor.models import Team


def problem_line(problem: Problem | dict[str, str]) -> str:
    if isinstance(problem, Problem):
        problem = problem.as_dict()
    return f"{problem['property_path']}: {problem['message']}"


class Command(BaseCommand):
    help = "Import a Studio flow JSON file (modern, legacy or a REST Flow resource)."
    # call_command(..., stdin=io.StringIO(...)) stands in for the terminal in tests.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="a .json file, or - for stdin")
        parser.add_argument("--team", required=True, metavar="TEAM_SLUG")
        parser.add_argument("--name", help="friendly name (default: the description)")
        parser.add_argument("--publish", action="store_true", help="publish revision 1")
        parser.add_argument(
            "--allow-problems",
            action="store_true",
            help="keep a flow whose problems are not blocking as an invalid draft",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        team = Team.objects.filter(slug=options["team"]).first()
        if team is None:
            raise CommandError(f"no team {options['team']!r}; create it with add_member first")
        text = self.read(options["file"], options.get("stdin"))
        try:
            flow = services.import_flow(
                team,
                text,
                friendly_name=options["name"],
                publish=options["publish"],
                allow_problems=options["allow_problems"],
            )
        except services.FlowRejected as exc:
            for problem in exc.problems:
                self.stderr.write(problem_line(problem))
            hint = self.hint(exc.problems, options)
            raise CommandError(
                f"flow rejected with {len(exc.problems)} problem{pluralize(len(exc.problems))}; "
                f"nothing was saved{hint}"
            ) from None
        for problem in flow.errors:
            self.stderr.write(f"warning: {problem_line(problem)}")
        self.stdout.write(flow.sid)

    def read(self, name: str, stdin: Any) -> bytes | str:
        if name == "-":
            stream = stdin or sys.stdin
            return stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        try:
            return Path(name).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {name}: {exc.strerror}") from None

    def hint(self, problems: list[Problem], options: dict[str, Any]) -> str:
        if any_blocking(problems):
            return ""
        if options["publish"]:
            return " (a flow with problems cannot be published)"
        if not options["allow_problems"]:
            return " (use --allow-problems to keep it as an invalid draft)"
        return ""
