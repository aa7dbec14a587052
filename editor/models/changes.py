"""The flow's change log: every change to its working copy, numbered by the flow's version,
with who made it and what it did. Rebasing a concurrent edit reads the changes since its
base (editor/flowspec/rebase.py); canvases that were offline catch up from it; the flow page
shows it as the activity list."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..fields import JSONTextField
from .flows import Flow


class FlowChange(models.Model):
    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # canvas, api, shell, restore, import
    source = models.CharField(max_length=16)
    # The operations as applied; null for a change that replaced the whole document.
    ops = JSONTextField(null=True, blank=True)
    summary = models.CharField(max_length=200)
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "version"], name="one_change_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.flow_id} v{self.version}: {self.summary}"
