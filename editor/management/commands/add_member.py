"""Add a user (created if missing) to a team (created if missing) with a role.

A user without a password gets a one-time link to choose one (Django's password-reset
token, valid for PASSWORD_RESET_TIMEOUT), made from SITE_URL since there is no request.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
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
        parser.add_argument(
            "--password",
            help="set (or reset) the user's password; without it a user who has none gets a "
            "one-time link to choose one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        is_new = not get_user_model().objects.filter(username=username).exists()
        team = services.ensure_team(options["team"])
        user = services.ensure_user(username, password=options["password"])
        membership = services.add_member(team, user, options["role"])
        line = {
            "team": team.slug,
            "account_sid": team.account_sid,
            "username": user.get_username(),
            "role": membership.role,
            "user_created": is_new,
        }
        if not user.has_usable_password():
            line["set_password_url"] = services.set_password_url(user)
            hours = settings.PASSWORD_RESET_TIMEOUT // 3600
            self.stderr.write(
                f"{username} has no password yet: send them set_password_url to choose one "
                f"(it works once, for {hours} hours)"
            )
        self.stdout.write(json.dumps(line))
