"""A flow's executions are listed newest first from an index, not sorted from all of them.

Both lists (the API's, editor/api/executions.py, and the executions page, editor/
execution_views.py) ask for one page of a flow's executions by date_created descending. With
hundreds of thousands of executions, sorting them all for every page took 50-110 ms at
200,000 (bench figures in bench/RESULTS.md, "Executions at scale"); the `execution_newest`
index (flow, date_created) gives the page from its end. These tests read the database's
plan for those queries on a flow with enough rows that a planner weighs its choices.
"""

from __future__ import annotations

import pytest
from django.db import connection

from editor import services
from editor.api.executions import EXECUTION_ORDER, filtered
from editor.models import Execution
from editor.samples import sample_text

pytestmark = pytest.mark.django_db
ROWS = 5000


@pytest.fixture
def crowded_flow(team):
    flow = services.import_flow(team, sample_text("appointment-reminder"), publish=True)
    Execution.objects.bulk_create(
        Execution(
            flow=flow,
            flow_version=1,
            trigger="rest",
            contact_channel_address=f"+1555{n:07d}",
            contact_sid=f"FX{n:032x}",
            flow_channel_address="+15550000000",
            status="active" if n % 3 == 0 else "ended",
            concurrent=True,
        )
        for n in range(ROWS)
    )
    # The planner's statistics, as autovacuum would have gathered them.
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Execution._meta.db_table)
        cursor.execute(f"ANALYZE {table}")
    return flow


def plan(queryset) -> str:
    return queryset.explain()


def assert_read_in_order(text: str) -> None:
    assert "execution_newest" in text, text
    if connection.vendor == "postgresql":
        assert "Seq Scan on editor_execution" not in text, text
    else:
        # SQLite may still order ties on the second key in a small temporary tree, never
        # the whole list on the first.
        assert "USE TEMP B-TREE FOR ORDER BY" not in text, text


def test_the_api_list_reads_the_newest_from_the_index(crowded_flow):
    rows = crowded_flow.executions.order_by(*EXECUTION_ORDER)
    assert_read_in_order(plan(rows[:51]))


def test_the_api_list_with_a_status_reads_the_newest_from_the_index(crowded_flow):
    rows = filtered(crowded_flow.executions.order_by(*EXECUTION_ORDER), {"Status": "ended"})
    assert_read_in_order(plan(rows[:51]))


def test_the_executions_page_reads_the_newest_from_the_index(crowded_flow):
    rows = crowded_flow.executions.order_by("-date_created", "-id")
    assert_read_in_order(plan(rows[:50]))
