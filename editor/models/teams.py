"""Teams (Twilio accounts), their members, profiles and API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models

from ..sids import new_sid


def account_sid() -> str:
    return new_sid("AC")


def api_key_sid() -> str:
    return new_sid("SK")


def user_sid() -> str:
    return new_sid("US")


class Team(models.Model):
    """A Twilio Account: flows, members and API keys belong to it."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50, unique=True)
    account_sid = models.CharField(max_length=34, unique=True, default=account_sid)
    date_created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="one_role_per_team")]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.team}"

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.OWNER, Role.EDITOR)


class AvatarColour(models.TextChoices):
    """The avatar palette: each dark enough for white initials (WCAG AA)."""

    INDIGO = "indigo", "Indigo"
    TEAL = "teal", "Teal"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    PINK = "pink", "Pink"
    PURPLE = "purple", "Purple"
    SLATE = "slate", "Slate"


COLOUR_HEX = {
    AvatarColour.INDIGO: "#3552d4",
    AvatarColour.TEAL: "#0b6e73",
    AvatarColour.GREEN: "#17744a",
    AvatarColour.AMBER: "#8a5800",
    AvatarColour.RED: "#b3261e",
    AvatarColour.PINK: "#a3236a",
    AvatarColour.PURPLE: "#6a3fb5",
    AvatarColour.SLATE: "#4d5566",
}


def random_colour() -> str:
    # A colour per person out of the box, so that a team's avatars are told apart.
    return secrets.choice(AvatarColour.values)


class Profile(models.Model):
    """The user's public `US…` SID (author_sid in the API), display name and avatar."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    sid = models.CharField(max_length=34, unique=True, default=user_sid)
    display_name = models.CharField(max_length=100, blank=True)
    avatar_colour = models.CharField(
        max_length=10, choices=AvatarColour.choices, default=random_colour
    )

    def __str__(self) -> str:
        return self.sid

    @property
    def name(self) -> str:
        return self.display_name or self.user.get_username()

    @property
    def initials(self) -> str:
        words = self.name.split()
        letters = "".join(w[0] for w in words[:2]) if len(words) > 1 else self.name[:2]
        return letters.upper()

    @property
    def colour_hex(self) -> str:
        return COLOUR_HEX.get(self.avatar_colour, COLOUR_HEX[AvatarColour.SLATE])


def hash_secret(secret: str) -> str:
    # Secrets are 256 random bits, so a fast hash cannot be brute-forced; a slow KDF would
    # only make every API request slower.
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKey(models.Model):
    """An `SK…` key; the secret is shown once and stored only as a hash."""

    sid = models.CharField(max_length=34, unique=True, default=api_key_sid)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="api_keys")
    friendly_name = models.CharField(max_length=64, blank=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    date_created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    # The hash of the one-time token of the form that created it (editor/form_tokens.py),
    # unique so that the same form submitted twice at once still makes one key.
    form_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.sid} ({self.friendly_name})" if self.friendly_name else self.sid

    def set_new_secret(self) -> str:
        secret = secrets.token_urlsafe(32)
        self.secret_hash = hash_secret(secret)
        return secret

    def check_secret(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, hash_secret(secret))
