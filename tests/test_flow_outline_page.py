"""The flow's page for a flow too large for the server-rendered outline (editor/views.py
OUTLINE_LIMIT): it says so once, without a contradicting count, an empty widget table or
problem links to outline entries that are not there."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from editor import services, views

from .test_pages import NOT_BLOCKING

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_flow(team, monkeypatch):
    """A flow over the limit: NOT_BLOCKING's two widgets, with the limit set to one."""
    monkeypatch.setattr(views, "OUTLINE_LIMIT", 1)
    return services.import_flow(team, json.dumps(NOT_BLOCKING), allow_problems=True)


def page_of(user, flow) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("flow_detail", args=[flow.sid]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_flow_over_the_outline_limit_says_the_canvas_shows_it(large_flow, alice):
    body = page_of(alice, large_flow)

    assert "This flow is too large for the outline" in body
    assert "in the order a contact meets them" not in body
    assert "Too many to list here; the canvas above shows them all." in body
    assert "Wired</th>" not in body


def test_its_problems_name_widgets_without_linking_to_missing_outline_entries(large_flow, alice):
    body = page_of(alice, large_flow)

    assert 'id="widget-http_1"' not in body
    assert 'href="#widget-' not in body
    assert '<span class="widget-ref">http_1</span>' in body


def test_a_flow_under_the_limit_keeps_its_outline_and_links(team, alice):
    flow = services.import_flow(team, json.dumps(NOT_BLOCKING), allow_problems=True)
    body = page_of(alice, flow)

    assert "in the order a contact meets them" in body
    assert 'href="#widget-http_1"' in body
    assert "Wired</th>" in body
