"""What the executions pages show: the list's filters and row annotations, and the capped,
pretty-printed context snapshots of the detail page.

Kept apart from editor/execution_views.py so that the views stay parse, access, render.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.utils.text import Truncator

from .flowspec import jsontext
from .models import Execution, ExecutionStep, TranscriptEntry
from .models.executions import ExecutionStatus

# One context is shown inline up to this many characters; a longer one is cut, with a
# link to the whole of it. Snapshots grow with every widget's outputs (an HTTP response
# may be 64 KB), and a page of a thousand such steps would not load.
CONTEXT_CAP = 200_000
# All the contexts of one detail page together: past this, steps link to their context.
PAGE_BUDGET = 2_000_000
NOTE_LENGTH = 200


@dataclass(frozen=True)
class Note:
    """A line above the list saying what of the request was not done; `id` ties it to the
    filter input it is about."""

    text: str
    id: str = ""


class ExecutionFilterForm(forms.Form):
    """The list's GET filters. A malformed value is dropped with a note, never a 400."""

    status = forms.ChoiceField(
        choices=[("", "All"), (ExecutionStatus.ACTIVE, "Active"), (ExecutionStatus.ENDED, "Ended")],
        required=False,
        label="Status",
    )
    contact = forms.CharField(max_length=255, required=False, label="Contact contains")
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    runs = forms.ChoiceField(
        choices=[("", "All runs"), ("test", "Tests only"), ("real", "Real only")],
        required=False,
        label="Runs",
    )

    def notes(self) -> list[Note]:
        """One line per ignored filter, saying what was wrong with it."""
        # A choice's error quotes the value sent, which may be any length.
        lines = [
            Note(
                Truncator(
                    f"Ignored the {self.fields[name].label} filter: {' '.join(errors)}"
                ).chars(NOTE_LENGTH),
                # The id Django's BoundField names in the input's aria-describedby.
                id=f"{self[name].auto_id}_error",
            )
            for name, errors in self.errors.items()
        ]
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        if start and end and start > end:
            lines.append(
                Note(
                    f"From ({start.isoformat()}) is after To ({end.isoformat()}): no execution "
                    "can match both. Swap the dates."
                )
            )
        return lines

    def active(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)


def filter_form(data: Any) -> ExecutionFilterForm:
    form = ExecutionFilterForm(data)
    # Fills cleaned_data with the valid fields and errors with the others. The form is shown
    # again with what was typed: Django marks a bad value's input aria-invalid, described by
    # its note.
    form.is_valid()
    return form


def filtered(executions: QuerySet[Execution], form: ExecutionFilterForm) -> QuerySet[Execution]:
    """The executions that pass the form's valid filters."""
    data = form.cleaned_data
    if data.get("status"):
        executions = executions.filter(status=data["status"])
    if data.get("contact"):
        executions = executions.filter(contact_channel_address__icontains=data["contact"])
    # Days are the active time zone's, as the page shows the dates.
    if data.get("date_from"):
        executions = executions.filter(date_created__date__gte=data["date_from"])
    if data.get("date_to"):
        executions = executions.filter(date_created__date__lte=data["date_to"])
    if data.get("runs") == "test":
        executions = executions.filter(test_user=True)
    elif data.get("runs") == "real":
        executions = executions.filter(test_user=False)
    return executions


def with_summaries(executions: QuerySet[Execution]) -> QuerySet[Execution]:
    """Each row's step count and last step, from correlated subqueries.

    Subqueries rather than a join and GROUP BY: the database evaluates them for the page's
    rows only, each through the (execution, position) index, however many executions the
    flow has. The state (the whole context) is left in the database.
    """
    steps = ExecutionStep.objects.filter(execution=OuterRef("pk")).order_by()
    last = steps.order_by("-position")
    return executions.defer("state").annotate(
        step_count=Subquery(steps.values("execution").annotate(n=Count("pk")).values("n")),
        last_from=Subquery(last.values("transitioned_from")[:1]),
        last_to=Subquery(last.values("transitioned_to")[:1]),
    )


def last_widget(execution: Execution) -> str:
    """Where the contact is (waiting) or was last: the last step's target, or its source
    when that step ended the flow."""
    target = getattr(execution, "last_to", None)
    if target and target != "Ended":
        return target
    return getattr(execution, "last_from", None) or ""


@dataclass(frozen=True)
class ShownContext:
    """A context as the page shows it: the text, and whether it was cut or left out."""

    text: str
    size: int
    cut: bool = False
    omitted: bool = False


def pretty(text: str) -> str:
    """Indented JSON for reading; stored text that does not parse is shown as it is."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        return text


def shown_context(text: str, size: int | None = None) -> ShownContext:
    size = len(text) if size is None else size
    if size > CONTEXT_CAP or len(text) > CONTEXT_CAP:
        return ShownContext(text[:CONTEXT_CAP], size, cut=True)
    return ShownContext(pretty(text), size)


def current_context(execution: Execution) -> ShownContext:
    # For display only: whatever the state holds is shown, not refused.
    return shown_context(json.dumps(execution.context, ensure_ascii=False, default=str))


@dataclass(frozen=True)
class StepRow:
    step: ExecutionStep
    context: ShownContext | None
    # A test run's mock answered the step's widget: {"status": …} (docs/protocol.md, "Mocks").
    mock: dict[str, Any] | None = None


def mocked_steps(execution: Execution) -> dict[str, dict[str, Any]]:
    """The steps of a test run that its mocks answered, by SID, from their transcript
    entries (the fact is kept there, not in the step's context). Only the test panel's runs
    use mocks (editor/services/executions.py, TEST_ORIGIN)."""
    if execution.origin != "test":
        return {}
    rows = TranscriptEntry.objects.filter(
        execution=execution, kind="step", data__contains='"mock"'
    ).values_list("data", flat=True)
    entries = (jsontext.loads(data) for data in rows)
    return {entry["step"]: entry["mock"] for entry in entries if entry.get("mock")}


def step_rows(execution: Execution) -> list[StepRow]:
    """The steps in order, each with its context snapshot as far as the page's budget goes.

    Two queries: the steps with the size of their snapshots, then the snapshots (each cut at
    the cap in the database) of the steps that fit in the budget, so that a huge execution
    costs the page at most the budget.
    """
    steps = list(execution.steps.defer("context").annotate(context_size=Length("context")))
    budget, wanted = PAGE_BUDGET, []
    for step in steps:
        shown = min(step.context_size or 0, CONTEXT_CAP)
        if step.context_size and shown <= budget:
            wanted.append(step.pk)
            budget -= shown
    heads = dict(
        ExecutionStep.objects.filter(pk__in=wanted)
        .annotate(head=Substr("context", 1, CONTEXT_CAP))
        .values_list("pk", "head")
    )
    rows, mocks = [], mocked_steps(execution)
    for step in steps:
        if step.pk in heads:
            context = shown_context(heads[step.pk], step.context_size)
        elif step.context_size:
            context = ShownContext("", step.context_size, omitted=True)
        else:
            context = None
        rows.append(StepRow(step, context, mocks.get(step.sid)))
    return rows
