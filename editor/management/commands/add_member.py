"""Add a user (created if missing) to a team (created if missing) with a role."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from editor import services
from editor.models import Role


class Command(BaseCommand):
    help = "Add a user to a team, or change their role; prints the membership as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("team", metavar="TEAM_SLUG", help="created if it does not exist")
        parser.add_argument("username", metavar="USERNAME", help="created if it does not exist")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--password", help="set (or reset) the user's password")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        is_new = not get_user_model().objects.filter(username=username).exists()
        team = services.ensure_team(options["team"])
        user = services.ensure_user(username, password=options["password"])
        membership = services.add_member(team, user, options["role"])
        if not user.has_usable_password():
            self.stderr.write(f"{username} has no password yet; set one with changepassword")
        line = {
            "team": team.slug,
            "account_sid": team.account_sid,
            "username": user.get_username(),
            "role": membership.role,
            "user_created": is_new,
        }
        self.stdout.write(json.dumps(line))
