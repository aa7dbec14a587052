"""A tester's breakpoints on a flow's widgets (docs/debugger.md): each user has their own,
kept across reloads, and only their own test runs stop at them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from .flows import Flow


class Breakpoint(models.Model):
    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="breakpoints")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="breakpoints"
    )
    widget = models.CharField(max_length=100)  # a widget name (Widget.name)
    # A Liquid condition as `{% if … %}` reads it; blank stops every time.
    condition = models.TextField(blank=True)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["widget"]
        constraints = [
            models.UniqueConstraint(
                fields=["flow", "user", "widget"], name="one_breakpoint_per_widget"
            )
        ]

    def __str__(self) -> str:
        return f"{self.widget} if {self.condition}" if self.condition else self.widget

    def as_json(self) -> dict[str, Any]:
        return {"widget": self.widget, "condition": self.condition}
