"""Flow verbs. Each runs in one transaction. A flow's definition changes only by appending
a revision: the working copy (Flow.head + Widget rows) always equals the latest revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.defaultfilters import pluralize

from ..flowspec.compare import change_tags
from ..flowspec.jsontext import load_json, unstorable
from ..flowspec.problems import (
    DocumentError,
    Problem,
    any_blocking,
    errors_of,
    warnings_of,
    wire,
)
from ..flowspec.studio_json import prepare, resource_name, split_document
from ..flowspec.validate import validate
from ..models import Flow, FlowRevision, Status, Team, Widget
from .changes import record_change, settings_changed


class FlowRejected(Exception):
    """The definition has errors, so nothing was saved; `problems` holds its warnings too."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(errors_of(problems))
        super().__init__(f"{count} error{pluralize(count)} in the flow definition")


@dataclass(frozen=True)
class Checked:
    document: dict[str, Any]
    problems: list[Problem]

    @property
    def errors(self) -> list[dict[str, str]]:
        return [p.as_record() for p in errors_of(self.problems)]

    @property
    def warnings(self) -> list[dict[str, str]]:
        return [p.as_record() for p in warnings_of(self.problems)]


def check_definition(
    definition: Any, *, allow_problems: bool = False, publishing: bool = False
) -> Checked:
    """Validate, raising FlowRejected unless the errors may be kept on a draft. Warnings
    never refuse a write: they are stored with the flow and reported."""
    try:
        document = prepare(definition)
    except DocumentError as exc:
        raise FlowRejected(exc.problems) from None
    problems = validate(document)
    # What no database can store (NaN, NUL, lone surrogates) is blocking wherever it is.
    bad = unstorable(document)
    if bad:
        problems.append(bad)
    errors = errors_of(problems)
    if errors and (not allow_problems or publishing or any_blocking(errors)):
        raise FlowRejected(problems)
    return Checked(document, problems)


def create_flow(
    team: Team,
    *,
    friendly_name: str | None,
    definition: Any,
    status: str = Status.DRAFT,
    commit_message: str | None = None,
    author: Any = None,
    allow_problems: bool = False,
    source: str = "api",
) -> Flow:
    """A new flow; without a name it is named after the definition's description."""
    checked = check_definition(
        definition, allow_problems=allow_problems, publishing=status == Status.PUBLISHED
    )
    if not friendly_name:
        description = str(checked.document.get("description") or "").strip()
        friendly_name = (description or "Imported flow")[:200]
    with transaction.atomic():
        flow = Flow.objects.create(team=team, friendly_name=friendly_name, author=author)
        replace_widgets(flow, checked.document)
        append_revision(
            flow, checked, status, commit_message, author, change_tags(None, checked.document)
        )
        record_change(
            flow, None, source=source, author=author, problems=[], summary="created the flow"
        )
    return flow


def update_flow(
    flow: Flow,
    *,
    status: str,
    friendly_name: str | None = None,
    definition: Any = None,
    commit_message: str | None = None,
    author: Any = None,
    allow_problems: bool = False,
    source: str = "api",
    skip_unchanged: bool = False,
) -> Flow:
    """A new revision; the definition, when given, replaces the old one wholesale (a change
    every open canvas hears of, `source` saying where it came from).

    With `skip_unchanged` (the canvas's save, publish, restore and import) a write that
    changes nothing makes no revision: see `unchanged`. Without it, as on Twilio's /v2/,
    every update is a revision (docs/revisions.md)."""
    publishing = status == Status.PUBLISHED
    with transaction.atomic():
        flow = Flow.objects.select_for_update().get(pk=flow.pk)
        working = flow.definition() if definition is None or skip_unchanged else None
        checked = check_definition(
            working if definition is None else definition,
            allow_problems=allow_problems,
            publishing=publishing,
        )
        latest = flow.revisions.order_by("-revision").only("definition", "status").first()
        if skip_unchanged and unchanged(latest, checked.document, working, status):
            return flow
        if definition is not None:
            replace_widgets(flow, checked.document)
            flow.edited_by = author
            problems = [p.as_json() for p in checked.problems]
            record_change(flow, None, source=source, author=author, problems=problems)
        if friendly_name:
            flow.friendly_name = friendly_name
        tags = change_tags(latest.definition if latest else None, checked.document)
        append_revision(flow, checked, status, commit_message, author, tags)
        announce_settings(flow)
    return flow


def unchanged(
    latest: FlowRevision | None,
    document: dict[str, Any],
    working: dict[str, Any] | None,
    status: str,
) -> bool:
    """Nothing to record: the document is the latest revision's and the working copy's,
    and the status is kept (saving a draft of what is published adds nothing either;
    publishing what was only saved as a draft is a new, published revision)."""
    if latest is None or latest.definition != document or working != document:
        return False
    return status == Status.DRAFT or latest.status == Status.PUBLISHED


def announce_settings(flow: Flow) -> None:
    """Every canvas of the flow hears of its new name, status, revisions or test users."""
    published = flow.revision if flow.status == Status.PUBLISHED else None
    if published is None:
        latest = flow.latest_published()
        published = latest.revision if latest else None
    settings_changed(flow, published)


def publish_flow(flow: Flow, *, commit_message: str | None = None, author: Any = None) -> Flow:
    """Publish the working copy; nothing happens when it is already the published revision."""
    return update_flow(
        flow,
        status=Status.PUBLISHED,
        commit_message=commit_message,
        author=author,
        skip_unchanged=True,
    )


def save_draft(flow: Flow, *, commit_message: str | None = None, author: Any = None) -> Flow:
    """Keep the working copy as a draft revision, problems and all (they are recorded);
    nothing happens when it is the latest revision already."""
    return update_flow(
        flow,
        status=Status.DRAFT,
        commit_message=commit_message,
        author=author,
        allow_problems=True,
        skip_unchanged=True,
    )


def restore_revision(flow: Flow, revision: FlowRevision, *, author: Any = None) -> Flow:
    """Revert = a new draft revision with the old definition."""
    return update_flow(
        flow,
        status=Status.DRAFT,
        definition=revision.definition,
        commit_message=f"Restored revision {revision.revision}",
        author=author,
        allow_problems=True,
        source="restore",
        skip_unchanged=True,
    )


def replace_widgets(flow: Flow, document: dict[str, Any]) -> None:
    head, states = split_document(document)
    flow.head = head
    flow.version += 1
    flow.widgets.all().delete()
    Widget.objects.insert_states(flow, states)


def append_revision(
    flow: Flow,
    checked: Checked,
    status: str,
    commit_message: str | None,
    author: Any,
    tags: list[str],
) -> FlowRevision:
    errors = checked.errors
    flow.revision += 1
    flow.status = status
    flow.commit_message = commit_message
    # Valid means no errors; warnings are kept beside them and do not count.
    flow.valid = not errors
    flow.errors = errors
    flow.warnings = checked.warnings
    if author is not None:
        flow.author = author
    flow.save()
    return FlowRevision.objects.create(
        flow=flow,
        revision=flow.revision,
        status=status,
        friendly_name=flow.friendly_name,
        definition=checked.document,
        version=flow.version,
        commit_message=commit_message,
        valid=not errors,
        # Twilio's Revision resource has errors but no warnings.
        errors=[wire(e) for e in errors],
        tags=tags,
        author=author,
    )


def import_flow(
    team: Team,
    text: str | bytes,
    *,
    friendly_name: str | None = None,
    publish: bool = False,
    author: Any = None,
    allow_problems: bool = False,
) -> Flow:
    """Studio JSON text (modern, legacy or a REST Flow resource) to a new flow."""
    try:
        value = load_json(text)
    except DocumentError as exc:
        raise FlowRejected(exc.problems) from None
    friendly_name = friendly_name or resource_name(value)
    # create_flow unwraps and normalises (prepare) and validates, once.
    return create_flow(
        team,
        friendly_name=friendly_name,
        definition=value,
        status=Status.PUBLISHED if publish else Status.DRAFT,
        commit_message="Imported",
        author=author,
        allow_problems=allow_problems,
        source="import",
    )


def export_flow(flow: Flow, revision: int | None = None) -> dict[str, Any]:
    if revision is None:
        return flow.definition()
    return flow.revisions.get(revision=revision).definition


def delete_flow(flow: Flow) -> None:
    flow.delete()


def rename_flow(flow: Flow, friendly_name: str) -> Flow:
    flow.friendly_name = friendly_name
    flow.save(update_fields=["friendly_name", "date_updated"])
    announce_settings(flow)
    return flow


def set_test_users(flow: Flow, test_users: list[str]) -> Flow:
    flow.test_users = [u.strip() for u in test_users if u and u.strip()]
    flow.save(update_fields=["test_users", "date_updated"])
    announce_settings(flow)
    return flow
