"""Create an API key for a team (created if missing) and print it once, as one JSON line."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from editor import services
from editor.models import Membership, Role


class Command(BaseCommand):
    help = "Create an API key (SK…) for a team and print its SID and secret as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("team", metavar="TEAM_SLUG", help="created if it does not exist")
        parser.add_argument("--name", default="", help="the key's friendly name")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="an owner or editor of the team, recorded as the key's creator: revisions "
            "made with the key are by them (the API's author_sid), as for a key made on the "
            "team page; without it they have no author",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        team = services.ensure_team(options["team"])
        creator = None
        if options["user"]:
            creator = get_user_model().objects.filter(username=options["user"]).first()
            editing = Membership.objects.filter(
                team=team, user=creator, role__in=[Role.OWNER, Role.EDITOR]
            )
            if creator is None or not editing.exists():
                raise CommandError(f"{options['user']} is not an owner or editor of {team.slug}")
        key, secret = services.create_api_key(
            team, friendly_name=options["name"], created_by=creator
        )
        line = {"account_sid": team.account_sid, "api_key_sid": key.sid, "api_key_secret": secret}
        self.stdout.write(json.dumps(line))
