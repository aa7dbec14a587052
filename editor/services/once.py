"""Rows made by a form that carries a one-time token (editor/form_tokens.py): an API key, an
invitation. The row keeps the token's hash under a unique constraint, so the same form
submitted twice, even at the same moment (a double click), makes one row, and the second
submit learns which one it was."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet

from ..models import hash_secret


class AlreadyCreated(Exception):
    """The form's token already made `row` (None: made outside `scope`, not to be named)."""

    def __init__(self, row: Model | None) -> None:
        super().__init__("This form was already submitted.")
        self.row = row


def form_token_hash(form_token: str) -> str | None:
    return hash_secret(form_token) if form_token else None


def save_once(row: Model, scope: QuerySet) -> None:
    """Saves a new `row` unless a row already carries its form token's hash, in which case
    that row of `scope` (its team's) is raised. A row without a hash (an API client's POST)
    is always saved. The unique constraint is the only check: a check before the insert
    would still need it for two requests at the same moment."""
    token_hash = row.form_token_hash
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            row.save()
    except IntegrityError:
        # If no row carries the hash, the constraint that failed was another one.
        if (
            token_hash is None
            or not type(row)._default_manager.filter(form_token_hash=token_hash).exists()
        ):
            raise
        raise AlreadyCreated(scope.filter(form_token_hash=token_hash).first()) from None
