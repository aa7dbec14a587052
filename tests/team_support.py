"""Clients for the persona tests of the account and team pages: each signed in, with CSRF
checked as a browser's is, posting forms with the session's token."""

from __future__ import annotations

import base64
import re
from typing import Any

from django.test import Client

from editor.models import Membership, Profile

LINK = re.compile(r"https?://[^\s<\"]+")


class Browser(Client):
    """A CSRF-checking client whose `submit` posts a form the way a page would."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(enforce_csrf_checks=True, **kwargs)

    def submit(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any):
        if "csrftoken" not in self.cookies:
            self.get("/login/")  # any page with a form sets the cookie
        token = self.cookies["csrftoken"].value
        return self.post(url, {**(data or {}), "csrfmiddlewaretoken": token}, **kwargs)


def browser_for(user: Any = None) -> Browser:
    client = Browser()
    if user is not None:
        client.force_login(user)
    client.get("/login/")
    return client


def user_sid(user: Any) -> str:
    return Profile.objects.get(user=user).sid


def role_of(team: Any, user: Any) -> str | None:
    membership = Membership.objects.filter(team=team, user=user).first()
    return membership.role if membership else None


def basic_auth(sid: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{sid}:{secret}".encode()).decode()


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
