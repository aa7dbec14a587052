"""Migration 0004 repairs rows stored with NaN or Infinity before input was checked: each
becomes null, every other byte of the row stays as it was, and the flow reads again."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.db import connection

from editor import services
from editor.models import Execution, ExecutionStep, Flow, FlowRevision, Status, Widget

from .test_api_flows import studio_definition

pytestmark = pytest.mark.django_db

migration = importlib.import_module("editor.migrations.0007_finite_numbers")


def write_raw(model, pk: int, column: str, text: str) -> None:
    """Store `text` as it is, past the field's encoder (which would refuse it now)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
            [text, pk],
        )


def read_raw(model, pk: int, column: str) -> str:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def flow(team, alice):
    return services.create_flow(
        team,
        friendly_name="Hello",
        definition=studio_definition(),
        status=Status.PUBLISHED,
        author=alice,
    )


# Rows as the unchecked code wrote them (Python writes NaN, Infinity and -Infinity), with
# spacing and spellings the repair must not touch.
BROKEN = {
    "revision": '{"description":"NaN and Infinity, as words","states":[],"x":NaN,"n":1.50}',
    "widget-offset": '{"x":Infinity,"y":200}',
    "widget-properties": '{"body":"Infinity","timeout":-Infinity,"list":[1, NaN ,2]}',
    "widget-extra": '{"uuid":"NaN","score":NaN}',
    "head": '{"description":"Say hello","initial_state":"Trigger","flags":'
    '{"allow_concurrent_calls":true},"zoom":NaN}',
    "state": '{"status":"active","context":{"flow":{"data":{"total":NaN,"note":"NaN"}}}}',
    "context": '{"widgets":{"http":{"parsed":{"total":-Infinity},"body":"{\\"total\\": NaN}"}}}',
}
REPAIRED = {
    "revision": '{"description":"NaN and Infinity, as words","states":[],"x":null,"n":1.50}',
    "widget-offset": '{"x":null,"y":200}',
    "widget-properties": '{"body":"Infinity","timeout":null,"list":[1, null ,2]}',
    "widget-extra": '{"uuid":"NaN","score":null}',
    "head": '{"description":"Say hello","initial_state":"Trigger","flags":'
    '{"allow_concurrent_calls":true},"zoom":null}',
    "state": '{"status":"active","context":{"flow":{"data":{"total":null,"note":"NaN"}}}}',
    "context": '{"widgets":{"http":{"parsed":{"total":null},"body":"{\\"total\\": NaN}"}}}',
}


@pytest.mark.parametrize("case", BROKEN)
def test_the_repair_replaces_only_the_non_finite_numbers(case):
    assert migration.repaired(BROKEN[case]) == REPAIRED[case]


@pytest.mark.parametrize(
    "text",
    ['{"a":1,"b":"NaN"}', '{"note":"Infinity and beyond"}', "", '{"broken": NaN'],
    ids=["words-in-strings", "more-words", "empty", "not-json-even-then"],
)
def test_the_repair_leaves_other_rows_alone(text):
    assert migration.repaired(text) is None


def test_the_migration_repairs_every_json_column_and_the_flow_reads_again(flow, alice, client):
    execution = Execution.objects.create(
        flow=flow,
        flow_version=1,
        trigger="request",
        contact_channel_address="+15551230001",
        contact_sid="FC" + "0" * 32,
        flow_channel_address="+15550000000",
        state={},
    )
    step = ExecutionStep.objects.create(
        execution=execution,
        position=0,
        name="incomingRequest",
        transitioned_from="Trigger",
        transitioned_to="Ended",
        type="trigger",
        flow_sid=flow.sid,
        context="{}",
    )
    revision = FlowRevision.objects.get(flow=flow)
    widget = Widget.objects.get(flow=flow, name="say_hello")
    untouched = Widget.objects.get(flow=flow, name="Trigger")
    untouched_text = read_raw(Widget, untouched.pk, "properties")
    rows = [
        (FlowRevision, revision.pk, "definition", "revision"),
        (Widget, widget.pk, "offset", "widget-offset"),
        (Widget, widget.pk, "properties", "widget-properties"),
        (Widget, widget.pk, "extra", "widget-extra"),
        (Flow, flow.pk, "head", "head"),
        (Execution, execution.pk, "state", "state"),
        (ExecutionStep, step.pk, "context", "context"),
    ]
    for model, pk, column, case in rows:
        write_raw(model, pk, column, BROKEN[case])

    migration.repair(apps, connection.schema_editor())

    for model, pk, column, case in rows:
        assert read_raw(model, pk, column) == REPAIRED[case], case
    assert read_raw(Widget, untouched.pk, "properties") == untouched_text
    client.force_login(alice)
    assert client.get(f"/flows/{flow.sid}/export/").status_code == 200
    assert client.get(f"/api/editor/flows/{flow.sid}").status_code == 200
    exported = json.loads(client.get(f"/flows/{flow.sid}/export/?revision=1").content)
    assert exported["x"] is None
