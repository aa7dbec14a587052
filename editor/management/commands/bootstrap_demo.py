"""Set up (idempotently) a demo team and user with every sample flow, and print the login."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from editor import services
from editor.models import Flow, Role, Status
from editor.samples import SAMPLES, load_sample

TEAM_SLUG = "demo"
TEAM_NAME = "Demo team"
USERNAME = "demo"


def url_hint() -> str:
    """Where scripts/run serves (it passes HOST and PORT on to runserver)."""
    return f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}/"


def login_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-login.txt"


def read_password(path: Path) -> str | None:
    if not path.exists():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "password" and value.strip():
            return value.strip()
    return None


def write_password(path: Path, password: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created 0600 from the start, so the password is never readable by others.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"username: {USERNAME}\npassword: {password}\n")
    path.chmod(0o600)


class Command(BaseCommand):
    help = "Create the demo team, its owner and the sample flows (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        path = login_file()
        password = read_password(path)
        if password is None:
            password = secrets.token_urlsafe(12)
            write_password(path, password)
        team = services.ensure_team(TEAM_SLUG, TEAM_NAME)
        # The file is the source of truth, so the banner always shows a password that works.
        user = services.ensure_user(USERNAME, password=password)
        services.add_member(team, user, Role.OWNER)
        created = 0
        for sample in SAMPLES:
            if Flow.objects.of_team(team).filter(friendly_name=sample.title).exists():
                continue
            services.create_flow(
                team,
                friendly_name=sample.title,
                definition=load_sample(sample.slug),
                status=Status.PUBLISHED,
                commit_message="Sample flow",
                author=user,
            )
            created += 1
        titles = [sample.title for sample in SAMPLES]
        present = Flow.objects.of_team(team).filter(friendly_name__in=titles).count()
        self.stdout.write(
            f"Demo ready: open {url_hint()} and sign in\n"
            f"  username: {USERNAME}\n"
            f"  password: {read_password(path)}\n"
            f"  sample flows: {present} ({created} new)\n"
            f"  login saved in {path}"
        )
