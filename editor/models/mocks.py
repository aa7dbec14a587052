"""Mock responses of a flow's Make HTTP Request and Run Function widgets, used by its test
runs (editor/engine/mocks.py). They belong to the flow, not to a revision: editing the flow
keeps them, and every editor's test runs share them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from ..engine.mocks import Mock
from ..fields import JSONTextField
from .flows import Flow


class WidgetMock(models.Model):
    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="mocks")
    # A widget name's length (editor/flowspec/schema.json, Widget.name).
    widget = models.CharField(max_length=100)
    status = models.PositiveSmallIntegerField()
    headers = JSONTextField(default=dict)
    body = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["widget"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "widget"], name="one_mock_per_widget")
        ]

    def __str__(self) -> str:
        return f"{self.widget}: {self.status}"

    def mock(self) -> Mock:
        return Mock(self.status, dict(self.headers), self.body)

    def as_json(self) -> dict[str, Any]:
        return self.mock().as_json()
