"""A flow's test cases (docs/testcases.md) and their last results. Like mocks they belong
to the flow, not to a revision: every revision of the draft is tested by the same cases."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from ..fields import JSONTextField
from .flows import Flow


class CaseStatus(models.TextChoices):
    NOT_RUN = "not_run", "Not run"
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"


class FlowTestCase(models.Model):
    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="test_cases")
    name = models.CharField(max_length=200)
    # The case as validated JSON; `source` is the text the author wrote (YAML or JSON).
    body = JSONTextField(default=dict)
    source = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date_created = models.DateTimeField(auto_now_add=True)
    date_updated = models.DateTimeField(auto_now=True)
    # The last run: its status, the widget it failed at, its message, when, which revision.
    last_status = models.CharField(
        max_length=8, choices=CaseStatus.choices, default=CaseStatus.NOT_RUN
    )
    last_widget = models.CharField(max_length=100, blank=True)
    last_message = models.TextField(blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_revision = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "name"], name="test_case_name_unique_in_flow")
        ]

    def __str__(self) -> str:
        return f"{self.flow_id}: {self.name}"

    def last_json(self) -> dict[str, Any] | None:
        if self.last_run_at is None:
            return None
        return {
            "status": self.last_status,
            "widget": self.last_widget or None,
            "message": self.last_message or None,
            "date": self.last_run_at.isoformat(),
            "revision": self.last_revision,
        }


class FlowTestPolicy(models.Model):
    """Per-flow test settings: publishing can require every case to pass."""

    flow = models.OneToOneField(Flow, on_delete=models.CASCADE, related_name="test_policy")
    require_passing = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date_updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.flow_id}: require passing tests {self.require_passing}"
