"""Print a flow's Studio JSON: the working copy, or one revision."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from editor import services
from editor.flowspec import jsontext
from editor.models import Flow, FlowRevision


class Command(BaseCommand):
    help = "Print a flow's Studio flow JSON (the latest revision unless --revision is given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sid", metavar="SID", help="the flow's FW… SID")
        parser.add_argument("--revision", type=int, metavar="N")

    def handle(self, *args: Any, **options: Any) -> None:
        flow = Flow.objects.filter(sid=options["sid"]).first()
        if flow is None:
            raise CommandError(f"no flow {options['sid']!r}")
        try:
            definition = services.export_flow(flow, options["revision"])
        except FlowRevision.DoesNotExist:
            raise CommandError(
                f"flow {flow.sid} has no revision {options['revision']} (latest is {flow.revision})"
            ) from None
        self.stdout.write(jsontext.dumps(definition, indent=2))
