"""Connecting a team to its Twilio account: the credentials are checked against Twilio's
API before they are stored (encrypted), so a typo is caught on the team page rather than
by the first caller whose webhook is refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from .. import crypto, twilio_rest
from ..models import Team, TwilioConnection


class ConnectionRefused(Exception):
    """The credentials are incomplete, or Twilio refused them; nothing was stored."""


@dataclass(frozen=True)
class Credentials:
    """What the owner typed; a blank secret keeps the stored one (it is never shown)."""

    account_sid: str
    auth_token: str = ""
    api_key_sid: str = ""
    api_key_secret: str = ""


def connect_twilio(team: Team, given: Credentials, user: Any = None) -> TwilioConnection:
    """Check the credentials with Twilio, then store them: an auth token (which also
    verifies webhook signatures), an API key and its secret, or both."""
    current = TwilioConnection.objects.filter(team=team).first()
    token, key_sid, key_secret = complete(given, current)
    if not token and not key_sid:
        raise ConnectionRefused("Give the account's auth token, or an API key and its secret.")
    if key_sid and not key_secret:
        raise ConnectionRefused("Give the API key's secret too.")
    account = None
    try:
        if token:
            account = twilio_rest.fetch_account(given.account_sid, given.account_sid, token)
        if key_sid:
            account = twilio_rest.fetch_account(given.account_sid, key_sid, key_secret)
    except twilio_rest.CheckFailed as exc:
        raise ConnectionRefused(str(exc)) from exc
    assert account is not None
    connection = current or TwilioConnection(team=team)
    connection.account_sid = given.account_sid
    connection.auth_token = token
    connection.api_key_sid = key_sid
    connection.api_key_secret = key_secret
    connection.friendly_name = account.friendly_name[:200]
    connection.account_status = account.status[:20]
    connection.date_checked = timezone.now()
    connection.checked_by = user if getattr(user, "pk", None) else None
    connection.save()
    return connection


def complete(given: Credentials, current: TwilioConnection | None) -> tuple[str, str, str]:
    """The secrets to check and store: those typed, else the stored ones of the same
    account and key (a secret never travels to another account or key)."""
    token, key_sid, key_secret = given.auth_token, given.api_key_sid, given.api_key_secret
    if current is None or current.account_sid != given.account_sid:
        return token, key_sid, key_secret
    try:
        if not token:
            token = current.auth_token
        if key_sid and not key_secret and key_sid == current.api_key_sid:
            key_secret = current.api_key_secret
    except crypto.Unreadable as exc:
        raise ConnectionRefused(
            "The stored secrets cannot be decrypted with this server's key; type them again."
        ) from exc
    return token, key_sid, key_secret


def disconnect_twilio(team: Team) -> bool:
    """Forget the connection: webhooks are refused (403) and effects are simulated again."""
    deleted, _ = TwilioConnection.objects.filter(team=team).delete()
    return bool(deleted)
