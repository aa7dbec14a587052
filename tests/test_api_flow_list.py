"""GET /v2/Flows: each listed flow is the fetched resource without its definition and
validation results, and a page costs the same two queries however many flows it shows."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from editor import services
from editor.models import Flow, Profile

from .test_api_flows import studio_definition

pytestmark = pytest.mark.django_db

LIST_ONLY_EMPTY = {"definition": None, "valid": None, "errors": None, "warnings": None}


def make_flows(team, author, count: int) -> list[str]:
    return [
        services.create_flow(
            team, friendly_name=f"Flow {n}", definition=studio_definition(), author=author
        ).sid
        for n in range(count)
    ]


def test_it_lists_each_flow_as_fetch_shows_it_without_the_definition(signed, team, alice):
    sids = make_flows(team, alice, 2)

    listed = signed.get("/v2/Flows").json()["flows"]

    assert [item["sid"] for item in listed] == sids[::-1]
    for item in listed:
        fetched = signed.get(f"/v2/Flows/{item['sid']}").json()
        assert item == {**fetched, **LIST_ONLY_EMPTY}
        assert item["author_sid"] == services.author_sid(alice)


@pytest.mark.parametrize("count", [1, 12])
def test_it_lists_a_page_in_two_queries_however_many_flows(
    signed, team, alice, count, django_assert_num_queries
):
    make_flows(team, alice, count)
    signed.get("/v2/Flows")  # the key's last_used is written at most once a minute

    # The API key with its team and its sign-in throttle rows (editor/throttle.py) in one
    # statement (editor/api/auth.py); the page of flows.
    with django_assert_num_queries(2):
        response = signed.get("/v2/Flows")

    assert len(response.json()["flows"]) == count


def test_it_lists_the_author_of_a_flow_whose_author_has_no_profile_yet(signed, team):
    outsider = get_user_model().objects.create(username="made-in-the-shell")
    make_flows(team, outsider, 1)
    assert not Profile.objects.filter(user=outsider).exists()

    (item,) = signed.get("/v2/Flows").json()["flows"]

    assert item["author_sid"] == Profile.objects.get(user=outsider).sid


def test_it_lists_a_flow_without_an_author(signed, team):
    make_flows(team, None, 1)

    (item,) = signed.get("/v2/Flows").json()["flows"]

    assert item["author_sid"] is None


def pages(client, **query) -> list[list[str]]:
    """Every page's SIDs, following next_page_url (and so the PageToken) to the end."""
    found, url, data = [], "/v2/Flows", query
    while url:
        body = client.get(url, data).json()
        found.append([item["sid"] for item in body["flows"]])
        url, data = body["meta"]["next_page_url"], None
    return found


def test_a_key_lists_and_pages_the_flows_exactly_as_a_member_sees_them(
    signed, team, other_team, alice
):
    # A key's list is plain SQL (models/flow_list.py), a member's the ORM's: they must agree
    # on the rows, their order (ties on the creation time broken by SID) and the paging.
    sids = make_flows(team, alice, 7)
    make_flows(other_team, alice, 2)
    Flow.objects.filter(sid__in=sids[2:5]).update(
        date_created=Flow.objects.get(sid=sids[2]).date_created
    )
    member = Client()
    member.force_login(alice)

    for query in ({"PageSize": 3}, {"PageSize": 2, "Page": 1}, {}):
        by_key = pages(signed, **query)
        assert by_key == pages(member, **{k: v for k, v in query.items()})
        assert sorted(sid for page in by_key for sid in page) == sorted(sids) or "Page" in query
    assert (
        signed.get("/v2/Flows", {"PageSize": 3}).json()
        == member.get("/v2/Flows", {"PageSize": 3}).json()
    )
    assert signed.get("/v2/Flows", {"PageSize": 2, "Page": 4}).json()["flows"] == []
