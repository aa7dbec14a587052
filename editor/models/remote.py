"""Which flow of a Twilio account a local flow was pulled from or pushed to, and what both
sides looked like at that moment, so the next pull or push can tell who changed since.

The remote side is Twilio's Studio v2 Flow resource (or any server speaking it, this one
included). Its `revision` increases with every save there; the hash of its definition tells
a real change from a save that changed nothing (publishing the same document again). The
local side is the flow's `version`, which every change to its working copy bumps.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models

from .flows import Flow


def definition_hash(definition: Any) -> str:
    """A hash of the document that ignores key order and whitespace."""
    text = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class SyncDirection(models.TextChoices):
    PULL = "pull", "Pulled"
    PUSH = "push", "Pushed"


class RemoteFlow(models.Model):
    flow = models.OneToOneField(Flow, on_delete=models.CASCADE, related_name="remote")
    # The Twilio account (the team connection's account SID at the time) and its flow.
    account_sid = models.CharField(max_length=34)
    remote_sid = models.CharField(max_length=34)
    # The remote Flow resource as last seen: its revision, status, date and document hash.
    remote_revision = models.PositiveIntegerField()
    remote_status = models.CharField(max_length=10)
    remote_date_updated = models.DateTimeField(null=True, blank=True)
    remote_hash = models.CharField(max_length=64)
    # The local flow's version and revision when the two were last the same.
    local_version = models.PositiveIntegerField()
    local_revision = models.PositiveIntegerField()
    direction = models.CharField(max_length=4, choices=SyncDirection.choices)
    date_synced = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["account_sid", "remote_sid"], name="remote_flow_sid")]

    def __str__(self) -> str:
        return f"{self.flow_id} <-> {self.account_sid}/{self.remote_sid}"

    def local_changed(self) -> bool:
        """The working copy changed since the last pull or push."""
        return self.flow.version != self.local_version


class PushClaim(models.Model):
    """A push of this flow under way (services/push.py): taken before the push looks for
    the remote twin and creates it, so that two pushes at once cannot both find none and
    create two remote flows. One per flow (its primary key); a claim older than a push
    can take (a process killed mid-push) may be taken over."""

    flow = models.OneToOneField(Flow, on_delete=models.CASCADE, primary_key=True, related_name="+")
    token = models.CharField(max_length=32)
    date_created = models.DateTimeField()

    def __str__(self) -> str:
        return f"push of {self.flow_id} since {self.date_created}"
