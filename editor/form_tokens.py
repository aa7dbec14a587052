"""One-time form tokens, for the forms whose answer shows a secret once: creating an API key
(its secret) and making an invitation (its link).

Each such form carries a random hidden token, new every time the form is rendered. A second
POST with the same token (a reload of the answer, "Confirm form resubmission", a double
click) creates nothing: the view redirects to the team page (303) and says what the token
already made, since the secret itself is kept nowhere. The session remembers the recent
tokens used, by hash, with the SID and name of what each made (so the message can name it
even after a revocation); the row made keeps the token's hash under a unique constraint
(services/once.py), which settles two submits at the same moment. A POST without a token
(an API client, a script) creates as it always did.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from .models import Team, hash_secret

FIELD = "form_token"
SESSION_KEY = "used_form_tokens"
KEEP = 20  # the most recent tokens used; older ones are forgotten first


def new_form_token() -> str:
    return secrets.token_urlsafe(32)


def form_token_field() -> forms.CharField:
    """The hidden field; its initial value is a callable, so every rendering gets a new one."""
    return forms.CharField(required=False, widget=forms.HiddenInput, initial=new_form_token)


def posted_token(request: HttpRequest) -> str:
    return request.POST.get(FIELD, "").strip()


def used(request: HttpRequest, kind: str, team: Team, token: str) -> dict[str, str] | None:
    """What this token made, if this session already used it on `team`'s `kind` form."""
    if not token:
        return None
    record = request.session.get(SESSION_KEY, {}).get(hash_secret(token))
    if not record or (record.get("kind"), record.get("team")) != (kind, team.account_sid):
        return None
    return record


def remember(request: HttpRequest, kind: str, team: Team, token: str, sid: str, label: str) -> None:
    """Marks the token used, with the SID and a label (never a secret) of what it made."""
    if not token:
        return
    recent: dict[str, Any] = dict(request.session.get(SESSION_KEY, {}))
    token_hash = hash_secret(token)
    recent.pop(token_hash, None)
    recent[token_hash] = {
        "kind": kind,
        "team": team.account_sid,
        "sid": sid,
        "label": label,
    }
    request.session[SESSION_KEY] = dict(list(recent.items())[-KEEP:])  # dicts keep order


class HttpResponseSeeOther(HttpResponseRedirect):
    """303: the browser follows with a GET, so reloading the page it lands on posts nothing."""

    status_code = 303


def see_team(slug: str, section: str) -> HttpResponseSeeOther:
    return HttpResponseSeeOther(reverse("team_detail", args=[slug]) + f"#{section}")
