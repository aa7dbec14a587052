"""The flow's activity page: who changed what, grouped, newest first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils.timezone import localtime

from editor import services
from editor.activity import GROUP_GAP, activity
from editor.models import Flow, FlowChange, FlowRevision

pytestmark = pytest.mark.django_db


def edit(flow, user, *ops):
    flow.refresh_from_db()
    return services.apply_edit(flow, base_version=flow.version, ops=list(ops), user=user)


def move(name, x):
    return {"op": "move_widgets", "offsets": {name: {"x": x, "y": x}}}


def lines(flow):
    return [(line.who, line.text()) for day in activity(flow) for line in day.lines]


def test_each_change_records_who_made_it_and_reads_as_a_sentence(tutorial, alice, bob):
    edit(tutorial, alice, {"op": "rename_widget", "name": "split_1", "new_name": "check_answer"})
    edit(tutorial, bob, move("send_message_1", 1), move("send_message_2", 2))
    changes = FlowChange.objects.filter(flow=tutorial).order_by("version")
    assert [(c.author, c.summary) for c in changes][-2:] == [
        (alice, "renamed split_1 to check_answer"),
        (bob, "moved send_message_1; moved send_message_2"),
    ]
    assert lines(tutorial)[:2] == [
        ("bob", "moved send_message_1; moved send_message_2"),
        ("alice", "renamed split_1 to check_answer"),
    ]


def test_close_changes_by_one_person_are_grouped_and_far_ones_are_not(tutorial, alice):
    for x in range(4):
        edit(tutorial, alice, move("split_1", x))
    assert lines(tutorial)[0] == ("alice", "moved split_1 and 3 more changes")
    first = FlowChange.objects.filter(flow=tutorial, author=alice).order_by("version").first()
    earlier = first.date_created - GROUP_GAP - timedelta(minutes=1)
    FlowChange.objects.filter(flow=tutorial, version__lte=first.version).update(
        date_created=earlier
    )
    FlowRevision.objects.filter(flow=tutorial).update(date_created=earlier - GROUP_GAP)
    assert lines(tutorial) == [
        ("alice", "moved split_1 and 2 more changes"),
        ("alice", "moved split_1"),
        ("Someone", "created the flow"),
        ("Someone", "saved revision 1"),
    ]


def test_revisions_appear_with_their_message(tutorial, alice):
    services.publish_flow(tutorial, commit_message="Go live", author=alice)
    assert lines(tutorial)[0] == ("alice", "published revision 2: “Go live”")


def test_the_page_is_for_members_only(tutorial, alice, carol, dave):
    edit(tutorial, alice, move("split_1", 5))
    url = f"/flows/{tutorial.sid}/activity/"
    viewer, outsider = Client(), Client()
    viewer.force_login(carol)
    outsider.force_login(dave)
    page = viewer.get(url)
    assert page.status_code == 200 and "moved split_1" in page.content.decode()
    assert outsider.get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert Flow.objects.filter(pk=tutorial.pk).exists()


def test_a_grouped_line_reads_its_time_range_oldest_first(tutorial, alice):
    """A line grouping changes from 12:34 to 12:35 says "12:34" EN DASH "12:35", as a
    range is read, not the other way round."""
    for x in range(2):
        edit(tutorial, alice, move("split_1", x))
    first, second = FlowChange.objects.filter(flow=tutorial, author=alice).order_by("version")
    second.date_created = first.date_created + timedelta(minutes=1)
    second.save(update_fields=["date_created"])
    client = Client()
    client.force_login(alice)
    page = client.get(f"/flows/{tutorial.sid}/activity/").content.decode()
    start, end = (localtime(c.date_created).strftime("%H:%M") for c in (first, second))
    dash = "\N{EN DASH}"
    assert f"{start}{dash}{end}</time>" in page
    assert f"{end}{dash}{start}" not in page
