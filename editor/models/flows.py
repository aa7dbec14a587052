"""Flows, their widgets (one row per state) and append-only revisions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from ..fields import ENCODER, JSONTextField
from ..flowspec.studio_json import State, join_document
from ..sids import new_sid
from .rows import insert_many
from .teams import Team


def flow_sid() -> str:
    return new_sid("FW")


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class FlowQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> FlowQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(team__memberships__user=user)

    def of_team(self, team: Team) -> FlowQuerySet:
        return self.filter(team=team)

    def list_rows(self) -> models.QuerySet:
        """What a list of flows shows, as plain dicts: no model instances and no JSON column
        decoded (the head, errors and test users are not listed), with the team's account
        SID and the author's user SID joined in. Twice as cheap as select_related rows."""
        return self.values(
            "sid",
            "friendly_name",
            "status",
            "revision",
            "commit_message",
            "date_created",
            "date_updated",
            "author_id",
            account_sid=models.F("team__account_sid"),
            author_sid=models.F("author__profile__sid"),
        )


class Flow(models.Model):
    """A flow's working copy: its head, its widgets (rows) and the latest revision's facts."""

    sid = models.CharField(max_length=34, unique=True, default=flow_sid)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="flows")
    friendly_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=0)
    commit_message = models.TextField(null=True, blank=True)  # noqa: DJ001 (API says null)
    # Validity of the working copy (equal to the latest revision's until the canvas edits it).
    valid = models.BooleanField(default=True)
    # Problems as stored: {message, property_path, hint}. Errors make the flow invalid;
    # warnings (what Twilio accepts but an author should hear about) never do.
    errors = JSONTextField(default=list)
    warnings = JSONTextField(default=list)
    # Bumped by every change to the working copy; edits name the version they started from.
    version = models.PositiveIntegerField(default=0)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Every top-level key of the Studio document except `states`, unknown ones included.
    head = JSONTextField(default=dict)
    test_users = JSONTextField(default=list)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    date_created = models.DateTimeField(auto_now_add=True)
    date_updated = models.DateTimeField(auto_now=True)

    objects = FlowQuerySet.as_manager()

    class Meta:
        ordering = ["-date_updated"]

    def __str__(self) -> str:
        return f"{self.friendly_name} ({self.sid})"

    @property
    def description(self) -> str:
        return self.head.get("description", "")

    @property
    def allow_concurrent_calls(self) -> bool:
        flags = self.head.get("flags")
        return bool(flags.get("allow_concurrent_calls", True)) if isinstance(flags, dict) else True

    def definition(self) -> dict[str, Any]:
        """The working copy as Studio JSON."""
        # Plain rows, not model instances: exporting 2,000 widgets stays cheap and linear.
        rows = self.widgets.values_list(*Widget.STATE_FIELDS)
        return join_document(self.head, [State(*row) for row in rows])

    def latest_published(self) -> FlowRevision | None:
        return self.revisions.filter(status=Status.PUBLISHED).order_by("-revision").first()

    def has_unpublished_changes(self, definition: dict[str, Any] | None = None) -> bool:
        """The working copy differs from what live traffic runs (once anything is live).
        `definition`: the working copy, when the caller has it already."""
        published = self.latest_published()
        return published is not None and self.differs_from(published, definition)

    def has_unsaved_changes(self, definition: dict[str, Any] | None = None) -> bool:
        """Edits made since the latest revision was taken (edits undone are none)."""
        latest = self.revisions.order_by("-revision").first()
        return latest is not None and self.differs_from(latest, definition)

    def differs_from(
        self, revision: FlowRevision, definition: dict[str, Any] | None = None
    ) -> bool:
        """The working copy is not that revision's document: a later version whose edits
        did not all cancel out (the documents are compared only when the versions differ)."""
        if revision.version == self.version:
            return False
        return revision.definition != (self.definition() if definition is None else definition)


class WidgetManager(models.Manager):
    def insert_states(self, flow: Flow, states: list[State]) -> None:
        """Insert a flow's states as rows with one executemany.

        bulk_create builds a model instance per row and prepares every field through the
        ORM; a 2,000-widget import spends most of its time there. The columns are the
        model's own, so the rows are the same ones bulk_create would write.
        """
        columns = ("flow_id", "position", *Widget.STATE_FIELDS)
        encode = ENCODER.encode
        rows = [
            (
                flow.pk,
                position,
                state.name,
                state.type,
                encode(state.transitions),
                None if state.properties is None else encode(state.properties),
                None if state.offset is None else encode(state.offset),
                encode(state.extra),
            )
            for position, state in enumerate(states)
        ]
        insert_many(self.model, columns, rows)


class Widget(models.Model):
    """One state of the flow; unknown keys are kept in `extra` for re-export."""

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="widgets")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=100)
    type = models.CharField(max_length=64)
    properties = JSONTextField(null=True, blank=True)
    offset = JSONTextField(null=True, blank=True)
    transitions = JSONTextField(default=list)
    extra = JSONTextField(default=dict)

    objects = WidgetManager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "name"], name="widget_name_unique_in_flow")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.type})"

    # In the order of State's fields.
    STATE_FIELDS = ("name", "type", "transitions", "properties", "offset", "extra")


class FlowRevision(models.Model):
    """An append-only snapshot of the whole Studio document."""

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices)
    friendly_name = models.CharField(max_length=200)
    definition = JSONTextField()
    # The working copy's version this snapshot was taken from.
    version = models.PositiveIntegerField(default=0)
    commit_message = models.TextField(null=True, blank=True)  # noqa: DJ001 (API says null)
    valid = models.BooleanField(default=True)
    errors = JSONTextField(default=list)
    # What changed since the revision before (editor/flowspec/compare.py TAGS): any of
    # layout, widgets, transitions, properties, settings. Empty: only the status changed.
    tags = JSONTextField(default=list)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-revision"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "revision"], name="revision_unique_in_flow")
        ]

    def __str__(self) -> str:
        return f"{self.flow.sid} revision {self.revision}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Flow revisions are append-only")
        super().save(*args, **kwargs)
