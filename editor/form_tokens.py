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
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .models import Team, hash_secret
from .services.once import AlreadyCreated

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


def make_once(
    request: HttpRequest,
    kind: str,
    team: Team,
    make: Callable[[str], tuple[Any, str]],
    label: Callable[[Any], str],
    already: Callable[[HttpRequest, Team, str, str], HttpResponse],
) -> tuple[Any, str] | HttpResponse:
    """`make(token)` (a service saving its row through services/once.py) gives the row and
    its secret, unless this form's token already made one (the view asked `used` before it
    validated the form; this catches two submits at once and a lost session): then
    `already` answers, naming it by `label`. Either way the session remembers what the
    token made."""
    token = posted_token(request)
    try:
        row, secret = make(token)
    except AlreadyCreated as exc:  # submitted twice at once, or the session lost it
        if exc.row is None:  # the token of another team's form: never a reload
            raise PermissionDenied("This form was already used for another team.") from None
        remember(request, kind, team, token, exc.row.sid, label(exc.row))
        return already(request, team, exc.row.sid, label(exc.row))
    remember(request, kind, team, token, row.sid, label(row))
    return row, secret
