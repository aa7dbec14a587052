"""A field's errors reach screen readers: the input is aria-invalid and its aria-describedby
names elements that hold the help text and the error (templates/editor/_field.html and
_field_errors.html); hand-drawn radio groups are marked the way Django marks a RadioSelect."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from editor import services
from editor.samples import sample_text

from .team_support import browser_for

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """A page's elements (tag and attributes) and the text inside each element with an id."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict[str, str | None]] = []
        self.text_of: dict[str, str] = {}
        self.open: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append({"tag": tag, **dict(attrs)})
        if tag not in VOID:
            self.open.append((tag, dict(attrs).get("id")))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        for _, id_ in self.open:
            if id_:
                self.text_of[id_] = self.text_of.get(id_, "") + data

    def find(self, tag: str, **attrs: str) -> dict[str, str | None]:
        (found,) = [
            e
            for e in self.elements
            if e["tag"] == tag and all(e.get(k) == v for k, v in attrs.items())
        ]
        return found

    def description_of(self, element: dict[str, str | None]) -> list[str]:
        """The texts of what the element's aria-describedby names; every id must exist."""
        ids = (element.get("aria-describedby") or "").split()
        missing = [id_ for id_ in ids if id_ not in self.text_of]
        assert not missing, f"aria-describedby names ids that are not on the page: {missing}"
        return [" ".join(self.text_of[id_].split()) for id_ in ids]

    def duplicate_ids(self) -> list[str]:
        counts = Counter(e["id"] for e in self.elements if e.get("id"))
        return [id_ for id_, n in counts.items() if n > 1]


def page_of(response) -> Page:
    page = Page(response.content.decode())
    assert page.duplicate_ids() == []
    return page


def test_a_refused_password_is_described_to_the_password_input(settings):
    settings.SIGNUP_ENABLED = True
    response = browser_for().submit(
        reverse("signup"), {"username": "erin", "password1": "short", "password2": "short"}
    )
    assert response.status_code == 200
    page = page_of(response)
    password2 = page.find("input", name="password2")
    assert password2["aria-invalid"] == "true"
    assert any("too short" in text for text in page.description_of(password2))
    # A field without errors is not marked.
    username = page.find("input", name="username")
    assert "aria-invalid" not in username
    assert not any("too short" in text for text in page.description_of(username))


def test_an_empty_flow_name_is_described_to_its_input(bob):
    response = browser_for(bob).submit(
        reverse("flow_new"), {"friendly_name": "", "team": "acme", "template": "blank"}
    )
    assert response.status_code == 200
    page = page_of(response)
    name = page.find("input", name="friendly_name")
    assert name["aria-invalid"] == "true"
    assert page.description_of(name) == ["This field is required."]


def test_a_too_long_key_name_is_described_with_the_help_text(team, bob):
    url = reverse("api_key_new", args=[team.slug])
    response = browser_for(bob).submit(url, {"friendly_name": "k" * 65})
    assert response.status_code == 400
    page = page_of(response)
    name = page.find("input", name="friendly_name")
    assert name["aria-invalid"] == "true"
    assert page.description_of(name) == [
        "What the key is for.",
        "A key's name is at most 64 characters.",
    ]


def test_the_team_page_of_an_owner_with_every_form_has_unique_ids(team, alice, bob):
    url = reverse("api_key_new", args=[team.slug])
    response = browser_for(alice).submit(url, {"friendly_name": "k" * 65})
    page = page_of(response)  # rename, invite, transfer, API key and Twilio forms together
    assert page.find("input", name="account_sid")
    assert page.find("select", name="member")


@pytest.mark.parametrize(
    ("url", "data", "name", "error"),
    [
        (
            "flow_new",
            {"friendly_name": "Support", "team": "acme", "template": "nope"},
            "template",
            "Select a valid choice",
        ),
        (
            "profile",
            {"display_name": "", "avatar_colour": "#ff0000", "email": ""},
            "avatar_colour",
            "Select a valid choice",
        ),
    ],
)
def test_a_refused_choice_describes_its_radio_group(bob, url, data, name, error):
    response = browser_for(bob).submit(reverse(url), data)
    assert response.status_code == 200
    page = page_of(response)
    radios = [e for e in page.elements if e["tag"] == "input" and e.get("name") == name]
    assert radios and all(radio["aria-invalid"] == "true" for radio in radios)
    (group,) = [e for e in page.elements if e["tag"] == "fieldset" and e.get("aria-describedby")]
    (description,) = page.description_of(group)
    assert error in description


def test_radio_groups_without_errors_are_not_marked(bob):
    response = browser_for(bob).get(reverse("flow_new"))
    page = page_of(response)
    assert not any(
        "aria-invalid" in e or "aria-describedby" in e
        for e in page.elements
        if e["tag"] in ("input", "fieldset")
    )


def test_an_ignored_execution_filter_is_described_by_its_note(team, alice):
    flow = services.import_flow(team, sample_text("conversations-tutorial"))
    url = reverse("flow_executions", args=[flow.sid]) + "?date_from=yesterday&status=ended"
    page = page_of(browser_for(alice).get(url))
    date_from = page.find("input", name="date_from")
    assert date_from["aria-invalid"] == "true"
    (note,) = page.description_of(date_from)
    assert note.startswith("Ignored the From filter: Enter a valid date.")
    assert "aria-invalid" not in page.find("select", name="status")
