"""A new account in no team yet: the new-flow and import pages send it to create a team,
with a message, instead of a 403 that talks about viewers (editor/views.py teamless)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(db):
    return get_user_model().objects.create_user("erin", password="x")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["flow_new", "flow_import"])
def test_someone_in_no_team_is_sent_to_create_one(erin, name):
    response = client_for(erin).get(reverse(name), follow=True)

    assert response.redirect_chain == [(reverse("team_list"), 302)]
    body = response.content.decode()
    assert "Flows belong to a team: create a team first" in body
    assert "Viewers" not in body


@pytest.mark.parametrize("name", ["flow_new", "flow_import"])
def test_a_viewer_is_still_refused(carol, name):
    response = client_for(carol).get(reverse(name))

    assert response.status_code == 403
