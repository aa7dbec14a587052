"""The pages of the server-rendered lists (editor/pager.py): the nearest page to what was
asked, and pager links that keep the rest of the query. The lists themselves are in
tests/test_flow_list.py and tests/test_execution_pages.py."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict

from editor.pager import page_number, page_of, pager_of


@pytest.mark.parametrize(
    "asked,number",
    [
        ("1", 1),
        ("3", 3),
        ("4", 3),
        ("99999", 3),
        ("0", 1),
        ("-7", 1),
        ("x", 1),
        ("2.0", 1),
        (" 2", 2),
    ],
)
def test_a_page_number_is_the_nearest_page_there_is(asked, number):
    assert page_number(asked, 3) == number


def test_a_note_says_which_list_and_page_is_shown_instead():
    query = QueryDict("page_acme=12345678901234567890123")
    page, note = page_of(query, Paginator(range(120), 50), "page_acme", of="Acme")

    assert page.number == 3
    assert note == "There is no page '12345678901234567890' of Acme; showing page 3."
    page, note = page_of(QueryDict("page=2"), Paginator(range(120), 50))
    assert (page.number, note) == (2, None)


def test_the_links_keep_the_query_and_show_the_pages_around_the_current_one():
    query = QueryDict("q=bot&sort=-name&page_globex=2&page_acme=10")
    page, _ = page_of(query, Paginator(range(1000), 50), "page_acme")

    pager = pager_of(query, page, "page_acme", "#team-acme")

    assert pager.previous_url == "?q=bot&sort=-name&page_globex=2&page_acme=9#team-acme"
    assert pager.next_url == "?q=bot&sort=-name&page_globex=2&page_acme=11#team-acme"
    labels = [link.label for link in pager.links]
    assert labels == ["1", "2", "…", "7", "8", "9", "10", "11", "12", "13", "…", "19", "20"]
    assert [link.label for link in pager.links if link.current] == ["10"]
    assert [link.url for link in pager.links if link.label == "…"] == ["", ""]


def test_the_first_and_last_pages_have_no_previous_and_no_next():
    paginator = Paginator(range(60), 50)
    first = pager_of(QueryDict(""), paginator.page(1))
    last = pager_of(QueryDict(""), paginator.page(2))

    assert (first.previous_url, first.next_url) == ("", "?page=2")
    assert (last.previous_url, last.next_url) == ("?page=1", "")
