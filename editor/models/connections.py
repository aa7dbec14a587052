"""A team's connection to its own Twilio account: what verifies Twilio's webhooks
(`X-Twilio-Signature`, keyed with the auth token) and, later, authenticates the REST calls
that send messages and place calls.

The team's `account_sid` is this server's own (it names the team in `/v2/` and in webhook
URLs); the connection's is the real Twilio account's. Secrets are encrypted at rest
(editor/crypto.py) and never shown again: the page shows their last four characters.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .. import crypto
from .teams import Team


class TwilioConnection(models.Model):
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="twilio_connection")
    account_sid = models.CharField(max_length=34)
    # Fernet tokens (editor/crypto.py); empty when not given.
    auth_token_encrypted = models.TextField(blank=True)
    api_key_sid = models.CharField(max_length=34, blank=True)
    api_key_secret_encrypted = models.TextField(blank=True)
    # What Twilio said about the account when the credentials were last checked.
    friendly_name = models.CharField(max_length=200, blank=True)
    account_status = models.CharField(max_length=20, blank=True)
    date_checked = models.DateTimeField()
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date_created = models.DateTimeField(auto_now_add=True)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Twilio connection"

    def __str__(self) -> str:
        return f"{self.team} -> {self.account_sid}"

    # The secrets, decrypted on demand (crypto.Unreadable if the key has changed).
    @property
    def auth_token(self) -> str:
        return crypto.decrypt(self.auth_token_encrypted) if self.auth_token_encrypted else ""

    @auth_token.setter
    def auth_token(self, value: str) -> None:
        self.auth_token_encrypted = crypto.encrypt(value) if value else ""

    @property
    def api_key_secret(self) -> str:
        secret = self.api_key_secret_encrypted
        return crypto.decrypt(secret) if secret else ""

    @api_key_secret.setter
    def api_key_secret(self, value: str) -> None:
        self.api_key_secret_encrypted = crypto.encrypt(value) if value else ""

    @property
    def verifies_webhooks(self) -> bool:
        """Twilio signs webhooks with the account's auth token; an API key cannot check them."""
        return bool(self.auth_token_encrypted)

    def hint(self, field: str) -> str:
        """`••••abcd` for a stored secret, "" for none, "unreadable" if the key changed."""
        try:
            value = getattr(self, field)
        except crypto.Unreadable:
            return "unreadable"
        return f"••••{value[-4:]}" if value else ""

    @property
    def auth_token_hint(self) -> str:
        return self.hint("auth_token")

    @property
    def api_key_secret_hint(self) -> str:
        return self.hint("api_key_secret")
