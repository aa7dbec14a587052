"""The pages of a server-rendered list (the executions of a flow, each team's flows): which
page a query asks for, and the links of its pager (templates/editor/_pager.html).

A page's number comes from a query parameter, `page` unless the list names another (the
flow list has one per team, so that paging one team leaves the others where they were).
A value that is no page answers the nearest page with a note, never a 404. Every link
keeps the rest of the query (filters, search, sort, the other lists' pages).

Not the REST API's paging (editor/api/paging.py), which is Twilio's PageToken.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import QueryDict

PAGE_SIZE = 50
# A page number longer than this is not echoed whole in the note.
NOTE_VALUE = 20


def page_number(asked: str, num_pages: int) -> int:
    """The page asked for, or the nearest there is: 1 for what is not a number."""
    try:
        number = int(asked)
    except ValueError:
        return 1
    return min(max(number, 1), num_pages)


def page_of(
    query: QueryDict, paginator: Paginator, param: str = "page", of: str = ""
) -> tuple[Page, str | None]:
    """The asked-for page, or the nearest one with a note saying why it is not that one.

    `of` names the list in the note when a page holds several (" of Acme")."""
    asked = query.get(param, "").strip()
    page = paginator.page(page_number(asked, paginator.num_pages) if asked else 1)
    if asked and asked != str(page.number):
        where = f" of {of}" if of else ""
        return page, f"There is no page {asked[:NOTE_VALUE]!r}{where}; showing page {page.number}."
    return page, None


@dataclass(frozen=True)
class PagerLink:
    label: str
    url: str = ""  # none for the current page and a gap
    current: bool = False


@dataclass(frozen=True)
class Pager:
    """What _pager.html shows: Previous, the page numbers (elided), Next."""

    page: Page
    previous_url: str
    next_url: str
    links: list[PagerLink]


def page_url(query: QueryDict, param: str, number: int, fragment: str = "") -> str:
    """The query with `param` set to `number`, as a link relative to the page."""
    changed = query.copy()
    changed[param] = str(number)
    return f"?{changed.urlencode()}{fragment}"


def pager_of(query: QueryDict, page: Page, param: str = "page", fragment: str = "") -> Pager:
    """The links of `page`'s pager; `fragment` ("#team-acme") brings the list back into view."""

    def url(number: int) -> str:
        return page_url(query, param, number, fragment)

    links = []
    for number in page.paginator.get_elided_page_range(page.number):
        if number == page.number:
            links.append(PagerLink(str(number), current=True))
        elif number == page.paginator.ELLIPSIS:
            links.append(PagerLink(str(number)))
        else:
            links.append(PagerLink(str(number), url(number)))
    return Pager(
        page=page,
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
        links=links,
    )
