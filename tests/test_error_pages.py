"""The error pages a person can meet (templates/400.html … 500.html): styled like the rest of
the site, saying what happened in plain words, with a way back to the flows."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from .test_malformed_input import ExplodingMiddleware  # noqa: F401 (named in MIDDLEWARE)

pytestmark = pytest.mark.django_db


@pytest.fixture
def exploding(settings) -> Client:
    settings.DEBUG = False
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "tests.test_malformed_input.ExplodingMiddleware",
    ]
    return Client(raise_request_exception=False)


def test_a_server_error_page_is_styled_and_leads_back_to_the_flows(exploding):
    response = exploding.get("/")

    assert response.status_code == 500
    page = response.content.decode()
    assert re.search(r"<title>Something went wrong · Studio</title>", page)
    assert "editor/app.css" in page
    assert '<main id="main"' in page
    assert "<h1>Something went wrong on our side</h1>" in page
    assert 'href="/">Back to flows</a>' in page


@pytest.mark.parametrize("path", ["/nope/", "/flows/FW00000000000000000000000000000000/"])
def test_a_missing_page_is_styled_and_leads_back_to_the_flows(settings, alice, path):
    settings.DEBUG = False
    client = Client()
    client.force_login(alice)

    response = client.get(path)

    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Not found · Studio</title>" in page
    assert ">Back to flows</a>" in page


def test_an_expired_form_explains_itself_and_leads_back(settings, alice):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post(reverse("flow_new"), {"friendly_name": "Lost", "team": "acme"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "<title>Form expired · Studio</title>" in page
    assert "<h1>This form has expired</h1>" in page
    assert "reload the page and send the form again" in page
    assert ">Back to flows</a>" in page


@pytest.mark.parametrize(
    "request_args",
    [
        # The request size limit answers before the view (editor/api/limits.py).
        {"data": b"x" * (1024 * 1024 + 1)},
        {"data": b"a=b", "CONTENT_LENGTH": "x"},
        # A Host not in ALLOWED_HOSTS: Django's 400, raised in CommonMiddleware.
        {"data": b"a=b", "HTTP_HOST": "evil.example"},
    ],
    ids=["too large", "bad content length", "disallowed host"],
)
def test_pages_answered_before_the_view_cannot_be_framed_either(alice, request_args):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    data = request_args.pop("data")
    form = "application/x-www-form-urlencoded"

    response = client.post(reverse("flow_import"), data, content_type=form, **request_args)

    assert response.status_code in (400, 413)
    assert response["X-Frame-Options"] == "DENY"
