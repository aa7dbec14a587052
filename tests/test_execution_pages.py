"""The executions pages: a flow's runs, filtered and paged, one run's steps and contexts,
and ending an active run from the page."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from editor import execution_filters, services
from editor.dates import datetime_text
from editor.models import Execution
from editor.samples import sample_text

pytestmark = pytest.mark.django_db

NUMBER = "+15550000000"
TESTER = "+15557770000"
ROW_SID = re.compile(r'class="sid-link" href="[^"]+">(FN[0-9a-f]{32})<')


@pytest.fixture
def flow(team, alice):
    """The Conversations tutorial, published: it asks "do you like bots?" and waits."""
    flow = services.import_flow(team, sample_text("conversations-tutorial"), publish=True)
    services.set_test_users(flow, [TESTER])
    return flow


@pytest.fixture
def other_flow(team, alice):
    return services.import_flow(team, sample_text("conversations-tutorial"), publish=True)


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def start(flow, contact: str, body: str = "Hi") -> Execution:
    payload = {"From": contact, "To": NUMBER, "Body": body}
    return services.start_execution(
        flow, kind="message", contact=contact, flow_address=NUMBER, payload=payload
    ).execution


def finish(execution: Execution, answer: str = "yes") -> Execution:
    """The contact answers, and the tutorial runs to its end."""
    return services.deliver_event(
        execution, {"type": "reply", "message": {"Body": answer}}
    ).execution


def listed(response) -> list[str]:
    assert response.status_code == 200
    return ROW_SID.findall(response.content.decode())


def list_url(flow, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("flow_executions", args=[flow.sid]) + (f"?{query}" if query else "")


def detail_url(flow, execution) -> str:
    return reverse("execution_detail", args=[flow.sid, execution.sid])


def end_url(flow, execution) -> str:
    return reverse("execution_end", args=[flow.sid, execution.sid])


def backdate(execution: Execution, days: int) -> None:
    Execution.objects.filter(pk=execution.pk).update(
        date_created=timezone.now() - timedelta(days=days)
    )


# The list


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


# One execution


def test_the_detail_shows_the_header_the_steps_and_their_contexts(flow, alice):
    execution = finish(start(flow, "+15551000001", body="<b>hello</b>"))

    body = client_for(alice).get(detail_url(flow, execution)).content.decode()

    moves = re.findall(r'<span class="step-move">(\w+) <span class="event">(\w+)</span>', body)
    assert moves == [
        ("Trigger", "incomingMessage"),
        ("send_and_reply_1", "incomingMessage"),
        ("split_1", "match"),
        ("send_message_1", "sent"),
    ]
    assert body.count("<details>") == 4 and body.count('<pre class="context">') == 5
    # Contexts are pretty-printed JSON, escaped: the contact's message is text, not markup.
    assert "<b>hello</b>" not in body
    assert html.escape('"Body": "<b>hello</b>"', quote=True) in body
    assert "FLOW_END" in body and "+15551000001" in body
    assert f'href="/flows/{flow.sid}/?execution={execution.sid}"' in body
    assert "End execution" not in body  # it has ended


def test_the_detail_of_a_waiting_execution_says_what_it_waits_for(flow, alice):
    execution = start(flow, "+15551000001")

    body = client_for(alice).get(detail_url(flow, execution)).content.decode()

    assert "Waiting for" in body
    assert "reply at <strong>send_and_reply_1</strong>" in body
    assert "times out" in body  # the tutorial's reply timeout
    assert "End execution" in body


def test_the_detail_shows_why_an_execution_ended(flow, alice):
    execution = start(flow, "+15551000001")
    state = dict(execution.state, status="ended", ended_reason="ERROR")
    state["ended_detail"] = "split_1: <unknown filter>"
    Execution.objects.filter(pk=execution.pk).update(
        state=state, status="ended", ended_reason="ERROR"
    )

    body = client_for(alice).get(detail_url(flow, execution)).content.decode()

    assert "split_1: &lt;unknown filter&gt;" in body


def test_a_large_context_is_cut_with_a_link_to_the_whole(flow, alice, monkeypatch):
    execution = finish(start(flow, "+15551000001"))
    monkeypatch.setattr(execution_filters, "CONTEXT_CAP", 100)
    client = client_for(alice)

    body = client.get(detail_url(flow, execution)).content.decode()

    assert body.count("Only the first 100") == 5  # four steps and the context now
    step = execution.steps.last()
    link = reverse("execution_step_context", args=[flow.sid, execution.sid, step.sid])
    assert f'href="{link}"' in body
    whole = client.get(link)
    assert whole["Content-Type"].startswith("application/json")
    assert json.loads(whole.content)["widgets"]["send_and_reply_1"]["inbound"]["Body"] == "yes"


def test_past_the_page_budget_contexts_are_linked_not_shown(flow, alice, monkeypatch):
    execution = finish(start(flow, "+15551000001"))
    steps = list(execution.steps.all())
    monkeypatch.setattr(execution_filters, "PAGE_BUDGET", len(steps[0].context) + 1)

    body = client_for(alice).get(detail_url(flow, execution)).content.decode()

    assert body.count("This page already shows as many contexts as it can") == 3
    for step in steps[1:]:
        assert reverse("execution_step_context", args=[flow.sid, execution.sid, step.sid]) in body


def test_the_detail_costs_a_bounded_number_of_queries(flow, alice, django_assert_max_num_queries):
    execution = finish(start(flow, "+15551000001"))
    client = client_for(alice)
    client.get(detail_url(flow, execution))

    # One of them reads its requests to Twilio (none here, so no delivery reports either).
    with django_assert_max_num_queries(9):
        client.get(detail_url(flow, execution))


# Who may see and end


@pytest.mark.parametrize("name", ["flow_executions", "execution_detail"])
def test_anonymous_visitors_are_sent_to_the_login_page(flow, name):
    execution = start(flow, "+15551000001")
    args = [flow.sid] if name == "flow_executions" else [flow.sid, execution.sid]
    url = reverse(name, args=args)

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_outsiders_get_404_for_the_flow_its_executions_and_their_steps(flow, dave):
    execution = finish(start(flow, "+15551000001"))
    step = execution.steps.first()
    client = client_for(dave)

    assert client.get(list_url(flow)).status_code == 404
    assert client.get(detail_url(flow, execution)).status_code == 404
    step_url = reverse("execution_step_context", args=[flow.sid, execution.sid, step.sid])
    assert client.get(step_url).status_code == 404
    assert client.post(end_url(flow, start(flow, "+15551000002"))).status_code == 404


def test_an_execution_is_found_only_under_its_own_flow(flow, other_flow, alice):
    elsewhere = start(other_flow, "+15551000001")
    step = elsewhere.steps.first()
    client = client_for(alice)

    assert client.get(detail_url(flow, elsewhere)).status_code == 404
    assert client.post(end_url(flow, elsewhere)).status_code == 404
    step_url = reverse("execution_step_context", args=[flow.sid, elsewhere.sid, step.sid])
    assert client.get(step_url).status_code == 404
    assert Execution.objects.get(pk=elsewhere.pk).status == "active"


def test_unknown_and_malformed_sids_are_404(flow, alice):
    client = client_for(alice)

    assert client.get(f"/flows/{flow.sid}/executions/FN{'0' * 32}/").status_code == 404
    assert client.get(f"/flows/{flow.sid}/executions/FNxyz/").status_code == 404
    assert client.get(f"/flows/FW{'0' * 32}/executions/").status_code == 404


def test_a_viewer_reads_but_cannot_end_an_execution(flow, carol):
    execution = start(flow, "+15551000001")
    client = client_for(carol)

    assert listed(client.get(list_url(flow))) == [execution.sid]
    body = client.get(detail_url(flow, execution)).content.decode()
    assert "Waiting for" in body and "End execution" not in body
    assert client.post(end_url(flow, execution)).status_code == 403
    assert Execution.objects.get(pk=execution.pk).status == "active"


def test_an_editor_ends_an_active_execution_with_a_csrf_checked_post(flow, bob):
    execution = start(flow, "+15551000001")
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    page = client.get(detail_url(flow, execution))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())

    assert client.post(end_url(flow, execution)).status_code == 403  # no token
    response = client.post(end_url(flow, execution), {"csrfmiddlewaretoken": token.group(1)})

    assert response.status_code == 302
    assert response["Location"] == detail_url(flow, execution)
    ended = Execution.objects.get(pk=execution.pk)
    assert (ended.status, ended.ended_reason) == ("ended", "API_ENDED")
    body = client.get(response["Location"]).content.decode()
    assert f"Ended {execution.sid}." in body and "End execution" not in body


def test_ending_an_execution_that_has_ended_says_so(flow, alice):
    execution = finish(start(flow, "+15551000001"))
    client = client_for(alice)

    response = client.post(end_url(flow, execution), follow=True)

    assert f"{execution.sid} had already ended." in response.content.decode()
    assert Execution.objects.get(pk=execution.pk).ended_reason == "FLOW_END"


def test_ending_takes_a_post_only(flow, alice):
    execution = start(flow, "+15551000001")

    assert client_for(alice).get(end_url(flow, execution)).status_code == 405


# Links in


def test_the_flow_list_and_the_flow_page_link_to_the_executions(flow, carol):
    client = client_for(carol)
    url = reverse("flow_executions", args=[flow.sid])

    assert f'href="{url}"' in client.get(reverse("flow_list")).content.decode()
    assert f'href="{url}"' in client.get(reverse("flow_detail", args=[flow.sid])).content.decode()


def test_a_run_started_a_moment_ago_says_just_now(flow, alice):
    """Django's timesince alone said "0 minutes ago" on a test just run."""
    execution = start(flow, TESTER)
    client = client_for(alice)
    page = client.get(reverse("flow_executions", args=[flow.sid])).content.decode()
    assert "just now" in page
    assert "0 minutes" not in page
    detail = client.get(detail_url(flow, execution)).content.decode()
    assert "(just now)" in detail
    Execution.objects.filter(pk=execution.pk).update(
        date_created=timezone.now() - timedelta(hours=3, minutes=5)
    )
    page = client.get(reverse("flow_executions", args=[flow.sid])).content.decode()
    assert "3\xa0hours, 5\xa0minutes ago" in page


def test_the_detail_of_a_test_users_run_says_it_ran_the_latest_revision(flow, alice):
    tester = start(flow, TESTER)
    contact = start(flow, "+15550001111")
    client = client_for(alice)

    tested = client.get(detail_url(flow, tester)).content.decode()
    real = client.get(detail_url(flow, contact)).content.decode()

    note = "(the latest revision, which test users run, published or not)"
    assert note in tested
    assert note not in real
