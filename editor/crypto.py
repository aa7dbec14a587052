"""Secrets stored encrypted at rest (a team's Twilio auth token and API key secret).

Fernet (AES-128-CBC with HMAC-SHA256, from the `cryptography` package). The keys come from
`FIELD_ENCRYPTION_KEY` (comma-separated; the first encrypts, all decrypt, so a key can be
rolled) or, when it is unset, are derived from `SECRET_KEY` and `SECRET_KEY_FALLBACKS`.
Any string is stretched into a Fernet key with HKDF, so an operator may give a passphrase
or `Fernet.generate_key()`'s output alike. A database dump without the settings reveals
nothing; losing the key loses the secrets (they are set again on the team page).
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# Domain separation: the same SECRET_KEY also signs sessions; this key is for nothing else.
INFO = b"studio-clone field encryption v1"


class Unreadable(Exception):
    """The stored secret was encrypted with a key this server no longer has."""


def keys() -> tuple[str, ...]:
    configured = getattr(settings, "FIELD_ENCRYPTION_KEY", "") or ""
    given = tuple(k.strip() for k in configured.split(",") if k.strip())
    if given:
        return given
    return (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))


@lru_cache(maxsize=8)
def fernet_for(secrets: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(derive(secret)) for secret in secrets])


def derive(secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret.encode()))


def encrypt(text: str) -> str:
    return fernet_for(keys()).encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet_for(keys()).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise Unreadable("the secret was encrypted with another key") from exc
