"""The import page: a Twilio REST API Flow resource (GET /v2/Flows/FW…) imports its
definition and, unless the form names the flow, its friendly_name; a link from a team's
empty section preselects that team."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from editor import services
from editor.models import Flow
from editor.samples import load_sample

pytestmark = pytest.mark.django_db


def rest_resource(friendly_name) -> str:
    return json.dumps(
        {
            "sid": "FW" + "a" * 32,
            "account_sid": "AC" + "b" * 32,
            "friendly_name": friendly_name,
            "definition": load_sample("sms-chatbot"),
            "status": "published",
            "revision": 3,
        }
    )


def import_text(user, team, text: str, name: str = "") -> Flow:
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("flow_import"), {"text": text, "team": team.slug, "friendly_name": name}
    )
    assert response.status_code == 302
    return Flow.objects.get(team=team)


def test_a_rest_flow_resource_keeps_its_friendly_name(team, alice):
    flow = import_text(alice, team, rest_resource("Owl Books support"))
    assert flow.friendly_name == "Owl Books support"
    assert len(flow.definition()["states"]) == len(load_sample("sms-chatbot")["states"])


def test_the_name_typed_in_the_form_wins_over_the_resources(team, alice):
    flow = import_text(alice, team, rest_resource("Owl Books support"), name="Mine")
    assert flow.friendly_name == "Mine"


# "a\x00b": JSON's \u0000 escape; PostgreSQL refuses a NUL in the name column (it was a 500).
@pytest.mark.both_databases
@pytest.mark.parametrize("friendly_name", ["", "   ", None, 42, "a\x00b", "\x00"])
def test_a_resource_without_a_usable_name_falls_back_to_the_description(team, alice, friendly_name):
    flow = import_text(alice, team, rest_resource(friendly_name))
    assert flow.friendly_name == load_sample("sms-chatbot")["description"][:200]


def test_the_import_link_under_an_empty_team_preselects_that_team(team, other_team, alice):
    """alice edits both teams; Globex has no flow, so its section links to the import page."""
    services.add_member(other_team, alice, "editor")
    client = Client()
    client.force_login(alice)
    listing = client.get(reverse("flow_list")).content.decode()
    link = f"{reverse('flow_import')}?team={other_team.slug}"
    assert f'href="{link}"' in listing

    page = client.get(link).content.decode()
    assert f'<option value="{other_team.slug}" selected>' in page
