"""The flow list's sorting and paging (editor/flow_listing.py, editor/pager.py): the column
headers sort every team's flows, each team pages on its own, with the search, and a page
costs the same queries however many flows there are. Listing, search and row actions are
in tests/test_pages.py."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from editor import services
from editor.models import Flow, Role, Status, Widget

from .test_pages import client_for

pytestmark = pytest.mark.django_db

SID = re.compile(r'<div class="sid">(FW[0-9a-f]{32})</div>')


def make_flows(team, names, widgets=(), status=Status.DRAFT):
    """Flows named `names`, the first the most recently updated, each a minute older than
    the one before; `widgets` gives each one's widget count."""
    flows = Flow.objects.bulk_create(
        [Flow(team=team, friendly_name=name, status=status) for name in names]
    )
    now = timezone.now()
    for age, flow in enumerate(flows):
        Flow.objects.filter(pk=flow.pk).update(date_updated=now - timedelta(minutes=age))
    Widget.objects.bulk_create(
        Widget(flow=flow, position=n, name=f"w{n}", type="send-message")
        for flow, count in zip(flows, widgets, strict=False)
        for n in range(count)
    )
    return [flow.sid for flow in flows]


def section(body, team):
    """The HTML of one team's section of the list."""
    start = body.index(f'aria-labelledby="team-{team.slug}"')
    return body[start : body.index("</section>", start)]


def listed(response, team):
    assert response.status_code == 200
    return SID.findall(section(response.content.decode(), team))


def get(user, **params):
    return client_for(user).get(reverse("flow_list"), params)


@pytest.fixture
def alice_in_globex(other_team, alice):
    services.add_member(other_team, alice, Role.VIEWER)
    return other_team


# Sorting


def test_the_most_recently_updated_come_first_by_default(team, alice):
    made = make_flows(team, ["b", "c", "a"])
    # Not the order they were made in: the first one made is now the least recently updated.
    Flow.objects.filter(sid=made[0]).update(date_updated=timezone.now() - timedelta(hours=1))

    response = get(alice)

    assert listed(response, team) == [*made[1:], made[0]]
    assert 'aria-sort="descending"' in response.content.decode()


@pytest.mark.parametrize(
    "sort,order",
    [
        ("name", ["apple", "Banana", "cherry"]),
        ("-name", ["cherry", "Banana", "apple"]),
        ("updated", ["Banana", "apple", "cherry"]),
        ("-updated", ["cherry", "apple", "Banana"]),
        ("widgets", ["apple", "Banana", "cherry"]),
        ("-widgets", ["cherry", "Banana", "apple"]),
    ],
)
def test_the_headers_sort_by_name_case_aside_last_update_or_widget_count(team, alice, sort, order):
    sids = dict(
        zip(
            ["cherry", "apple", "Banana"],
            make_flows(team, ["cherry", "apple", "Banana"], [3, 0, 1]),
            strict=True,
        )
    )

    assert listed(get(alice, sort=sort), team) == [sids[name] for name in order]


def test_the_status_sort_puts_drafts_first_then_the_most_recently_updated(team, alice):
    published = make_flows(team, ["p1", "p2"], status=Status.PUBLISHED)
    drafts = make_flows(team, ["d1", "d2"])

    assert listed(get(alice, sort="status"), team) == drafts + published
    assert listed(get(alice, sort="-status"), team) == published + drafts


def test_the_sorting_header_says_so_and_links_to_the_other_way(team, alice):
    make_flows(team, ["a"])

    body = get(alice, sort="name", q="a", page_acme="1").content.decode()

    assert (
        '<th scope="col" aria-sort="ascending"><a class="sort-link" href="?q=a&amp;sort=-name">'
        'Name<span class="sort-arrow" aria-hidden="true">▲</span></a></th>' in body
    )
    # The other columns start the way one looks at them first, keeping the search, on page 1.
    assert 'href="?q=a&amp;sort=status">Status</a>' in body
    assert 'href="?q=a&amp;sort=-widgets">Widgets</a>' in body
    assert 'href="?q=a&amp;sort=-updated">Updated</a>' in body
    assert body.count("aria-sort=") == 1


def test_the_default_sort_links_updated_to_the_oldest_first(team, alice):
    make_flows(team, ["a"])

    body = get(alice).content.decode()

    assert (
        'aria-sort="descending"><a class="sort-link" href="?sort=updated">'
        'Updated<span class="sort-arrow" aria-hidden="true">▼</span>' in body
    )


@pytest.mark.parametrize(
    "sort", ["bogus", "-", "--name", "name;drop", "Name", "x" * 500, "widget_count"]
)
def test_an_unknown_sort_shows_the_default_order_with_a_note(team, alice, sort):
    made = make_flows(team, ["b", "a"])

    response = get(alice, sort=sort)

    assert listed(response, team) == made
    body = response.content.decode()
    assert "Ignored the sort" in body and "showing the most recently updated first" in body
    assert "x" * 30 not in body


def test_a_new_search_keeps_the_sort(team, alice):
    make_flows(team, ["a"])

    assert (
        '<input type="hidden" name="sort" value="-name">'
        in get(alice, sort="-name").content.decode()
    )
    assert 'type="hidden" name="sort"' not in get(alice).content.decode()


# Paging


def test_a_team_shows_fifty_flows_a_page_with_its_pager(team, alice):
    made = make_flows(team, [f"flow {n:03d}" for n in range(55)])

    first, second = get(alice), get(alice, page_acme="2")

    assert listed(first, team) == made[:50]
    assert listed(second, team) == made[50:]
    body = first.content.decode()
    assert "55 flows · Page 1 of 2" in body
    assert '<a href="?page_acme=2#team-acme" rel="next">Next</a>' in body
    assert 'rel="prev"' not in body
    assert '<nav class="pager card-footer" aria-label="Pages of Acme">' in body
    assert '<a href="?page_acme=1#team-acme" rel="prev">Previous</a>' in second.content.decode()
    assert "55 flows · Page 2 of 2" in second.content.decode()


def test_a_team_with_one_page_has_no_pager(team, alice):
    make_flows(team, ["a", "b"])

    body = get(alice).content.decode()

    assert "2 flows</span>" in body
    assert 'class="pager' not in body


@pytest.mark.parametrize(
    "asked,shown,note",
    [
        ("0", 1, "There is no page &#x27;0&#x27; of Acme; showing page 1."),
        ("-1", 1, "showing page 1."),
        ("x", 1, "There is no page &#x27;x&#x27; of Acme; showing page 1."),
        ("2.5", 1, "showing page 1."),
        ("99999", 3, "There is no page &#x27;99999&#x27; of Acme; showing page 3."),
        ("9" * 400, 3, "showing page 3."),
        ("", 1, None),
        ("3", 3, None),
    ],
)
def test_a_page_that_is_not_there_shows_the_nearest(team, alice, asked, shown, note):
    made = make_flows(team, [f"flow {n:03d}" for n in range(101)])

    response = get(alice, page_acme=asked)

    assert listed(response, team) == made[(shown - 1) * 50 : shown * 50]
    body = response.content.decode()
    assert (note in body) if note else ("There is no page" not in body)
    assert "9" * 30 not in body


def test_each_team_pages_on_its_own(team, alice, alice_in_globex):
    acme = make_flows(team, [f"acme {n:03d}" for n in range(60)])
    globex = make_flows(alice_in_globex, [f"globex {n:03d}" for n in range(60)])

    response = get(alice, page_acme="2")

    assert listed(response, team) == acme[50:]
    assert listed(response, alice_in_globex) == globex[:50]
    # Globex's Next keeps Acme on its page 2, and Acme's Previous keeps Globex where it is.
    globex_part = section(response.content.decode(), alice_in_globex)
    assert 'href="?page_acme=2&amp;page_globex=2#team-globex" rel="next"' in globex_part
    both = get(alice, page_acme="2", page_globex="2")
    assert listed(both, team) == acme[50:]
    assert listed(both, alice_in_globex) == globex[50:]


def test_search_sort_and_page_go_together(team, alice):
    billing = make_flows(team, [f"Billing {n:03d}" for n in range(60)])
    make_flows(team, [f"Support {n:03d}" for n in range(60)])

    response = get(alice, q="billing", sort="-name", page_acme="2")

    assert listed(response, team) == billing[:10][::-1]  # Billing 009 … Billing 000
    body = response.content.decode()
    assert "60 flows matching · Page 2 of 2" in body
    assert "60 flows match “billing”." in body
    assert 'href="?q=billing&amp;sort=-name&amp;page_acme=1#team-acme" rel="prev"' in body
    # A sort header keeps the search and starts again on page 1.
    assert 'href="?q=billing&amp;sort=name">Name' in body


@pytest.mark.both_databases
@pytest.mark.parametrize("search", ["\x00", "billing\x00", "bil\x00ling 007"])
def test_a_search_with_a_nul_is_a_search_not_a_500(team, alice, search):
    # PostgreSQL refuses a NUL in a query parameter: the search reads it as a space.
    billing = make_flows(team, ["Billing 007", "Support"])

    response = get(alice, q=search)

    assert response.status_code == 200
    words = " ".join(search.replace("\x00", " ").split())
    expected = [billing[0]] if words == "billing" else []
    assert listed(response, team) == (billing if not words else expected)


def test_another_teams_flows_never_show_whatever_is_asked(team, other_team, alice, dave):
    mine = make_flows(team, ["mine"])
    theirs = make_flows(other_team, [f"theirs {n}" for n in range(60)])

    for params in ({}, {"page_globex": "2"}, {"sort": "name"}, {"q": theirs[0]}, {"q": "theirs"}):
        body = get(alice, **params).content.decode()
        assert not set(theirs) & set(SID.findall(body)), params
        assert "Globex" not in body
    assert mine[0] in get(alice).content.decode()
    assert SID.findall(get(dave, page_globex="2").content.decode()) == theirs[50:]


def test_a_page_costs_the_same_queries_for_three_flows_as_for_two_hundred(
    team, alice, alice_in_globex
):
    client = client_for(alice)
    make_flows(team, ["a", "b", "c"], widgets=[1, 2, 3])
    make_flows(alice_in_globex, ["z"], widgets=[1])
    client.get(reverse("flow_list"))  # the session and the user are loaded once warm

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("flow_list"), {"sort": "-widgets"})
    make_flows(team, [f"more {n}" for n in range(200)], widgets=[2] * 200)
    make_flows(alice_in_globex, [f"more {n}" for n in range(60)], widgets=[1] * 60)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("flow_list"), {"sort": "-widgets", "page_acme": "3"})

    assert len(listed(response, team)) == 50
    assert len(many) == len(few)
    # The session, the user, the page header's profile and user (templates/base.html), the
    # memberships, the counts, and one page for each of the two teams.
    assert len(many) <= 8, [q["sql"] for q in many.captured_queries]


def test_a_team_without_matching_flows_reads_no_rows(team, alice, alice_in_globex):
    make_flows(alice_in_globex, ["z"])
    client = client_for(alice)
    client.get(reverse("flow_list"))

    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("flow_list")).content.decode()

    assert "No flows in Acme yet." in body
    pages = [q["sql"] for q in queries.captured_queries if 'FROM "editor_flow"' in q["sql"]]
    assert len(pages) == 2, pages  # the counts, and Globex's page
    assert '"team_id" IN' in pages[0] and "LIMIT" in pages[1]


# Searching by SID


def test_the_start_of_a_sid_finds_its_flow_in_any_case(team, alice):
    first, second = make_flows(team, ["first", "second"])
    Flow.objects.filter(sid=first).update(sid="FW12ab" + "0" * 28)
    Flow.objects.filter(sid=second).update(sid="FW12cd" + "0" * 28)

    assert listed(get(alice, q="FW12ab"), team) == ["FW12ab" + "0" * 28]
    assert listed(get(alice, q="fw12AB00"), team) == ["FW12ab" + "0" * 28]
    assert sorted(listed(get(alice, q="FW12"), team)) == ["FW12ab" + "0" * 28, "FW12cd" + "0" * 28]
    assert listed(get(alice, q="FW12cd" + "0" * 28), team) == ["FW12cd" + "0" * 28]
    # Not a SID's start: no flow is named so, and "FW" alone does not list every flow.
    assert listed(get(alice, q="FW12ax"), team) == []
    assert listed(get(alice, q="FW"), team) == []
    assert listed(get(alice, q="12ab"), team) == []
