"""The executions page of a flow: its runs newest first and what each row shows, filtered by
status, contact, day started and test or real runs, paged by fifty at the same cost for one
run as for fifty, a malformed filter or page ignored with a note; and the links to it. One
run's page is tested in tests/test_execution_detail_page.py, who may see and end runs in
tests/test_execution_page_access.py."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from editor.dates import datetime_text
from editor.models import Execution

from .execution_pages_support import (
    NUMBER,
    ROW_SID,
    TESTER,
    client_for,
    finish,
    flow_fixture,  # noqa: F401 (the `flow` fixture)
    list_url,
    listed,
    other_flow_fixture,  # noqa: F401 (the `other_flow` fixture)
    start,
)

pytestmark = pytest.mark.django_db


def backdate(execution: Execution, days: int) -> None:
    Execution.objects.filter(pk=execution.pk).update(
        date_created=timezone.now() - timedelta(days=days)
    )


def test_it_lists_every_execution_of_the_flow_newest_first(flow, other_flow, alice):
    first, second = start(flow, "+15551000001"), start(flow, "+15551000002")
    test_run = start(flow, TESTER)
    elsewhere = start(other_flow, "+15551000003")

    sids = listed(client_for(alice).get(list_url(flow)))

    assert sids == [test_run.sid, second.sid, first.sid]
    assert elsewhere.sid not in sids


def test_a_row_shows_status_trigger_contact_revision_steps_and_last_widget(flow, alice):
    waiting = start(flow, "+15551000001")
    done = finish(start(flow, "+15551000002"))

    body = client_for(alice).get(list_url(flow)).content.decode()
    rows = {sid: row for row in body.split("<tr>")[2:] for sid in ROW_SID.findall(row)}

    assert "Active" in rows[waiting.sid] and "send_and_reply_1" in rows[waiting.sid]
    assert '<td class="num">1</td>' in rows[waiting.sid]  # one step: Trigger → send_and_reply_1
    assert "Ended" in rows[done.sid] and "FLOW_END" in rows[done.sid]
    assert '<td class="num">4</td>' in rows[done.sid]
    assert "send_message_1" in rows[done.sid]  # the widget whose step ended the flow
    for row in rows.values():
        assert "<td>message</td>" in row and f"<code>{NUMBER}</code>" in row
        assert f'<td class="num">{flow.revision}</td>' in row


def test_a_row_writes_the_start_date_as_the_other_pages_do(flow, alice):
    """The one date format of editor/dates.py, as the flow page's Revisions table writes it."""
    execution = start(flow, "+15551000003")

    body = client_for(alice).get(list_url(flow)).content.decode()
    row = next(row for row in body.split("<tr>")[2:] if execution.sid in row)

    written = html.escape(datetime_text(execution.date_created))
    assert f">{written}</time>" in row
    iso_like = timezone.localtime(execution.date_created).strftime("%Y-%m-%d %H:%M:%S")
    assert iso_like not in row


def test_it_filters_by_status(flow, alice):
    waiting = start(flow, "+15551000001")
    done = finish(start(flow, "+15551000002"))
    client = client_for(alice)

    assert listed(client.get(list_url(flow, status="active"))) == [waiting.sid]
    assert listed(client.get(list_url(flow, status="ended"))) == [done.sid]
    assert listed(client.get(list_url(flow, status=""))) == [done.sid, waiting.sid]


def test_it_filters_by_part_of_the_contact_address(flow, alice):
    start(flow, "+15551000001")
    wanted = start(flow, "+44207946000")

    assert listed(client_for(alice).get(list_url(flow, contact="4420794"))) == [wanted.sid]


def test_it_filters_by_the_day_started(flow, alice):
    today = start(flow, "+15551000001")
    last_week = start(flow, "+15551000002")
    backdate(last_week, 7)
    day = (timezone.localdate() - timedelta(days=7)).isoformat()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    client = client_for(alice)

    assert listed(client.get(list_url(flow, date_from=yesterday))) == [today.sid]
    assert listed(client.get(list_url(flow, date_to=yesterday))) == [last_week.sid]
    assert listed(client.get(list_url(flow, date_from=day, date_to=day))) == [last_week.sid]


def test_it_shows_test_runs_or_real_ones(flow, alice):
    real = start(flow, "+15551000001")
    test_run = start(flow, TESTER)
    client = client_for(alice)

    assert listed(client.get(list_url(flow, runs="test"))) == [test_run.sid]
    assert listed(client.get(list_url(flow, runs="real"))) == [real.sid]
    assert "Test</span>" in client.get(list_url(flow, runs="test")).content.decode()


def test_it_pages_by_fifty_and_keeps_the_filters_in_the_page_links(flow, alice):
    made = [start(flow, f"+1555200{n:04d}").sid for n in range(55)]
    client = client_for(alice)

    first = client.get(list_url(flow, status="active"))
    second = client.get(list_url(flow, status="active", page=2))

    assert listed(first) == made[::-1][:50]
    assert listed(second) == made[::-1][50:]
    assert 'href="?status=active&amp;page=2"' in first.content.decode()
    assert "55 executions" in first.content.decode()


def test_the_list_costs_the_same_queries_for_one_execution_as_for_fifty(flow, alice):
    client = client_for(alice)
    start(flow, "+15553000000")
    client.get(list_url(flow))  # the session and the user are loaded once warm

    with CaptureQueriesContext(connection) as one:
        assert len(listed(client.get(list_url(flow)))) == 1
    for n in range(1, 60):
        finish(start(flow, f"+1555300{n:04d}"))
    with CaptureQueriesContext(connection) as fifty:
        assert len(listed(client.get(list_url(flow)))) == 50

    assert len(fifty) == len(one)
    assert len(fifty) <= 8, [q["sql"] for q in fifty.captured_queries]


def test_an_empty_list_says_how_to_start_an_execution(flow, alice):
    body = client_for(alice).get(list_url(flow)).content.decode()

    assert "No executions yet" in body
    assert "Test panel" in body
    assert f"manage.py run_flow {flow.sid}" in body
    assert f"/v2/Flows/{flow.sid}/Executions" in body


@pytest.mark.parametrize(
    "params,note",
    [
        ({"date_from": "yesterday"}, "Ignored the From filter"),
        ({"date_to": "2024-02-30"}, "Ignored the To filter"),
        ({"status": "paused"}, "Ignored the Status filter"),
        ({"runs": "some"}, "Ignored the Runs filter"),
        ({"contact": "9" * 300}, "Ignored the Contact contains filter"),
        ({"page": "abc"}, "There is no page &#x27;abc&#x27;; showing page 1."),
        ({"page": "99999"}, "There is no page &#x27;99999&#x27;; showing page 1."),
        ({"page": "-1"}, "showing page 1."),
    ],
)
def test_a_malformed_filter_is_ignored_with_a_note(flow, alice, params, note):
    execution = start(flow, "+15551000001")

    response = client_for(alice).get(list_url(flow, **params))

    assert listed(response) == [execution.sid]
    assert note in response.content.decode()


def test_a_date_range_that_ends_before_it_starts_says_so(flow, alice):
    start(flow, "+15551000001")

    response = client_for(alice).get(list_url(flow, date_from="2026-03-02", date_to="2026-03-01"))

    assert listed(response) == []
    assert "From (2026-03-02) is after To (2026-03-01)" in response.content.decode()


def test_a_note_does_not_repeat_a_huge_value(flow, alice):
    start(flow, "+15551000001")

    body = client_for(alice).get(list_url(flow, runs="r" * 5000)).content.decode()

    assert "Ignored the Runs filter" in body
    assert "r" * 250 not in body


def test_a_bad_filter_does_not_undo_the_good_ones(flow, alice):
    start(flow, "+15551000001")
    done = finish(start(flow, "+15551000002"))

    response = client_for(alice).get(list_url(flow, status="ended", date_from="13/13/13"))

    assert listed(response) == [done.sid]
    assert "Ignored the From filter" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(flow, alice):
    made = [start(flow, f"+1555400{n:04d}").sid for n in range(51)]

    response = client_for(alice).get(list_url(flow, page=3))

    assert listed(response) == [made[0]]
    assert "showing page 2" in response.content.decode()


@pytest.mark.parametrize("asked", ["0", "-1"])
def test_a_page_before_the_first_shows_the_first(flow, alice, asked):
    made = [start(flow, f"+1555400{n:04d}").sid for n in range(51)]

    response = client_for(alice).get(list_url(flow, page=asked))

    assert listed(response) == made[::-1][:50]
    assert "showing page 1" in response.content.decode()


# Links in


def test_the_flow_list_and_the_flow_page_link_to_the_executions(flow, carol):
    client = client_for(carol)
    url = reverse("flow_executions", args=[flow.sid])

    assert f'href="{url}"' in client.get(reverse("flow_list")).content.decode()
    assert f'href="{url}"' in client.get(reverse("flow_detail", args=[flow.sid])).content.decode()
