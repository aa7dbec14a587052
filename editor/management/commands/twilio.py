"""Pull flows from a team's Twilio account, and push flows to it.

    manage.py twilio pull --team SLUG                 list the account's flows
    manage.py twilio pull --team SLUG --all           import or update every one
    manage.py twilio pull --team SLUG FW… [FW…]       only these (the account's SIDs)
    manage.py twilio push FW… [--publish] [--message TEXT]   this server's flows

A refusal because the other side changed too prints the difference; `--force` overrides
it. Each flow is pulled or pushed on its own: one refusal does not stop the others, but
the command then exits non-zero.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from editor.models import Flow, Team
from editor.services.push import push_flow
from editor.services.sync import SyncConflict, Synced, SyncRefused, pull_flow
from editor.services.sync import remote_flows as list_remote
from editor.sids import is_sid


class Command(BaseCommand):
    help = "Pull flows from the team's Twilio account (Studio v2), or push flows to it."

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="{pull,push}")
        pull = verbs.add_parser("pull", help="list or import the account's Studio flows")
        pull.add_argument("sids", nargs="*", metavar="FW…", help="the account's flow SIDs")
        pull.add_argument("--team", required=True, metavar="SLUG")
        pull.add_argument("--all", action="store_true", help="pull every flow of the account")
        pull.add_argument(
            "--force", action="store_true", help="replace local changes made since the last sync"
        )
        push = verbs.add_parser("push", help="create or update flows in the account")
        push.add_argument("sids", nargs="+", metavar="FW…", help="this server's flow SIDs")
        push.add_argument("--publish", action="store_true", help="publish them on Twilio")
        push.add_argument("--message", metavar="TEXT", help="the commit message on Twilio")
        push.add_argument(
            "--force", action="store_true", help="replace changes made on Twilio since"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "pull":
            self.pull(options)
        else:
            self.push(options)

    def pull(self, options: dict[str, Any]) -> None:
        team = Team.objects.filter(slug=options["team"]).first()
        if team is None:
            raise CommandError(f"no team {options['team']!r}")
        sids = options["sids"]
        if not sids:
            listed = self.listed(team)
            if not options["all"]:
                self.stdout.write("Name flow SIDs to pull them, or use --all.")
                return
            sids = [summary.sid for summary, _ in listed]
        failed = 0
        for sid in sids:
            if not is_sid(sid, "FW"):
                failed += 1
                self.stderr.write(f"error: {sid}: not a flow SID (FW…)")
                continue
            try:
                synced = pull_flow(team, sid, force=options["force"])
            except SyncRefused as exc:
                failed += 1
                self.refused(sid, exc)
                continue
            verb = "pulled as" if synced.created else "pulled into"
            if not synced.changed:
                verb = "up to date with"
            local = f"{synced.flow.sid} {synced.flow.friendly_name}"
            self.report(f"{sid} revision {synced.remote_revision}: {verb} {local}", synced)
        self.finish(failed, "pulled")

    def push(self, options: dict[str, Any]) -> None:
        failed = 0
        for sid in options["sids"]:
            flow = Flow.objects.select_related("team").filter(sid=sid).first()
            if flow is None:
                failed += 1
                self.stderr.write(f"error: {sid}: no such flow")
                continue
            try:
                synced = push_flow(
                    flow,
                    publish=options["publish"],
                    message=options["message"],
                    force=options["force"],
                )
            except SyncRefused as exc:
                failed += 1
                self.refused(sid, exc)
                continue
            if not synced.changed:
                what = f"up to date with {synced.remote_sid}"
            else:
                made = "created" if synced.created else "updated"
                what = f"{made} {synced.remote_sid} revision {synced.remote_revision} on Twilio"
            self.report(f"{sid} {flow.friendly_name}: {what}", synced)
        self.finish(failed, "pushed")

    def listed(self, team: Team) -> list[Any]:
        try:
            listed = list_remote(team)
        except SyncRefused as exc:
            raise CommandError(str(exc)) from None
        for summary, flow in listed:
            here = f"→ {flow.sid}" if flow else "(not pulled)"
            self.stdout.write(
                f"{summary.sid}  {summary.status:<9} revision {summary.revision:<4} "
                f"{summary.friendly_name}  {here}"
            )
        if not listed:
            self.stdout.write("The account has no Studio flows.")
        return listed

    def report(self, text: str, synced: Synced) -> None:
        self.stdout.write(text)
        for note in synced.notes:
            self.stderr.write(f"warning: {note}")

    def refused(self, sid: str, exc: SyncRefused) -> None:
        self.stderr.write(f"error: {sid}: {exc}")
        if isinstance(exc, SyncConflict):
            for line in exc.difference or ["(the documents differ only in formatting)"]:
                self.stderr.write(f"  {line}")
            self.stderr.write("  Use --force to go ahead anyway.")

    def finish(self, failed: int, done: str) -> None:
        if failed:
            raise CommandError(f"{failed} flow{'' if failed == 1 else 's'} not {done}")
