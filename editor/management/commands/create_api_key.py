"""Create an API key for a team (created if missing) and print it once, as one JSON line."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from editor import services


class Command(BaseCommand):
    help = "Create an API key (SK…) for a team and print its SID and secret as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("team", metavar="TEAM_SLUG", help="created if it does not exist")
        parser.add_argument("--name", default="", help="the key's friendly name")

    def handle(self, *args: Any, **options: Any) -> None:
        team = services.ensure_team(options["team"])
        key, secret = services.create_api_key(team, friendly_name=options["name"])
        line = {"account_sid": team.account_sid, "api_key_sid": key.sid, "api_key_secret": secret}
        self.stdout.write(json.dumps(line))
