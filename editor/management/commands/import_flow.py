"""Import a Studio flow JSON file into a team and print the new flow's SID.

Errors go to stderr as `error: PATH: MESSAGE` and exit non-zero (unless --allow-problems
keeps them on a draft); warnings go to stderr as `warning: PATH: MESSAGE` and never stop the
import. Each line ends with the problem in plain words.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import pluralize

from editor import services
from editor.flowspec.problems import Problem, any_blocking, errors_of, warnings_of
from editor.management.sources import read_source
from editor.models import Team


def problem_line(kind: str, problem: Problem | dict[str, str]) -> str:
    if isinstance(problem, Problem):
        problem = problem.as_record()
    line = f"{kind}: {problem['property_path']}: {problem['message']}"
    hint = problem.get("hint")
    return f"{line} — {hint}" if hint and hint != problem["message"] else line


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
            errors = errors_of(exc.problems)
            for problem in errors:
                self.stderr.write(problem_line("error", problem))
            for problem in warnings_of(exc.problems):
                self.stderr.write(problem_line("warning", problem))
            hint = self.hint(errors, options)
            raise CommandError(
                f"flow rejected with {len(errors)} error{pluralize(len(errors))}; "
                f"nothing was saved{hint}"
            ) from None
        for problem in flow.errors:
            self.stderr.write(problem_line("error", problem))
        for problem in flow.warnings:
            self.stderr.write(problem_line("warning", problem))
        self.stdout.write(flow.sid)

    def read(self, name: str, stdin: Any) -> bytes | str:
        try:
            return read_source(name, stdin)
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
