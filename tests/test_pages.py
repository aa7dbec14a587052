"""The server-rendered pages: login, the flow list, a flow's page, new/import/export/delete."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from editor import services
from editor.models import Flow, Status
from editor.samples import SAMPLES, load_sample, sample_text

from .real_exports import TRIM_WARNING, legacy_webhook_and_flex, older_trim_on_outgoing_call

pytestmark = pytest.mark.django_db

NOT_BLOCKING = {
    "description": "Half-wired",
    "states": [
        {
            "name": "Trigger",
            "type": "trigger",
            "transitions": [{"event": "incomingMessage", "next": "missing_widget"}],
            "properties": {"offset": {"x": 0, "y": 0}},
        },
        {
            "name": "http_1",
            "type": "make-http-request",
            "transitions": [{"event": "success"}, {"event": "failed"}],
            "properties": {"offset": {"x": 0, "y": 200}, "method": "PUT", "url": ""},
        },
    ],
    "initial_state": "Trigger",
    "flags": {"allow_concurrent_calls": True},
}


@pytest.fixture
def flow(team, alice):
    return services.create_flow(
        team,
        friendly_name="Do you like bots?",
        definition=load_sample("conversations-tutorial"),
        author=alice,
    )


@pytest.fixture
def globex_flow(other_team, dave):
    return services.create_flow(
        other_team, friendly_name="Globex IVR", definition=load_sample("ivr-phone-tree")
    )


def client_for(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def upload(text, name="flow.json"):
    return SimpleUploadedFile(name, text.encode(), content_type="application/json")


# Signing in


@pytest.mark.parametrize(
    "name,args",
    [
        ("flow_list", []),
        ("flow_new", []),
        ("flow_import", []),
        ("flow_detail", ["FW" + "0" * 32]),
        ("flow_export", ["FW" + "0" * 32]),
        ("flow_delete", ["FW" + "0" * 32]),
    ],
)
def test_it_sends_anonymous_visitors_to_the_login_page(name, args):
    url = reverse(name, args=args)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_it_signs_in_with_a_password_and_out_with_a_post(alice):
    client = Client()
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b'name="password"' in page.content
    response = client.post(reverse("login"), {"username": "alice", "password": "alice-password"})
    assert response.status_code == 302
    assert response["Location"] == reverse("flow_list")
    assert client.get(reverse("flow_list")).status_code == 200
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("flow_list")).status_code == 302


# The flow list


def test_it_lists_the_flows_of_the_users_teams_only(flow, globex_flow, alice, dave):
    page = client_for(alice).get(reverse("flow_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert flow.sid in body and "Do you like bots?" in body
    assert "Acme" in body
    assert globex_flow.sid not in body and "Globex" not in body
    assert globex_flow.sid in client_for(dave).get(reverse("flow_list")).content.decode()
    assert flow.sid not in client_for(dave).get(reverse("flow_list")).content.decode()


def test_it_finds_flows_by_name_or_sid_and_keeps_the_search(flow, team, alice):
    other = services.create_flow(
        team, friendly_name="Billing IVR", definition=load_sample("conversations-tutorial")
    )
    client = client_for(alice)
    page = client.get(reverse("flow_list"), {"q": "  billing  "}).content.decode()
    assert other.sid in page and flow.sid not in page
    assert 'name="q" value="billing"' in page
    assert "1 flow matches “billing”." in page
    by_sid = client.get(reverse("flow_list"), {"q": flow.sid.lower()}).content.decode()
    assert flow.sid in by_sid and other.sid not in by_sid
    nothing = client.get(reverse("flow_list"), {"q": "nothing like it"}).content.decode()
    assert "No flow of Acme matches." in nothing


def test_it_shows_status_revision_and_problem_count(team, alice):
    services.import_flow(team, json.dumps(NOT_BLOCKING), allow_problems=True)
    body = client_for(alice).get(reverse("flow_list")).content.decode()
    assert "Half-wired" in body
    assert "badge-draft" in body
    assert "2 problems" in body


def test_it_hides_write_buttons_from_viewers(flow, carol, bob):
    viewer = client_for(carol).get(reverse("flow_list")).content.decode()
    assert reverse("flow_new") not in viewer
    assert reverse("flow_import") not in viewer
    assert reverse("flow_delete", args=[flow.sid]) not in viewer
    assert reverse("flow_export", args=[flow.sid]) in viewer
    editor = client_for(bob).get(reverse("flow_list")).content.decode()
    assert reverse("flow_new") in editor
    assert reverse("flow_delete", args=[flow.sid]) in editor


# A flow's page


def test_it_shows_a_flows_details_widgets_and_revisions(flow, alice):
    services.publish_flow(flow, commit_message="Ship it", author=alice)
    page = client_for(alice).get(reverse("flow_detail", args=[flow.sid]))
    assert page.status_code == 200
    body = page.content.decode()
    assert flow.sid in body
    assert f"/v1/Accounts/{flow.team.account_sid}/Flows/{flow.sid}" in body
    assert 'id="flow-canvas"' in body
    for name in ("Trigger", "send_and_reply_1", "split_1", "send_message_3"):
        assert f'id="widget-{name}"' in body
    assert "Send &amp; Wait For Reply" in body
    assert "Matches Any Of yes,yeah,yup,y" in body
    assert "Ship it" in body
    assert f"{reverse('flow_export', args=[flow.sid])}?revision=1" in body
    assert page.context["outline"].nodes[1].name == "send_and_reply_1"


def test_it_pins_problems_to_the_widget_they_are_about(team, alice):
    broken = services.import_flow(team, json.dumps(NOT_BLOCKING), allow_problems=True)
    page = client_for(alice).get(reverse("flow_detail", args=[broken.sid]))
    problems = {p.property_path: p for p in page.context["problems"]}
    assert problems["#/states/1/properties/method"].widget == "http_1"
    assert problems["#/states/1/properties/method"].detail == "properties/method"
    assert problems["#/states/0/transitions/0/next"].widget == "Trigger"
    assert 'href="#widget-http_1"' in page.content.decode()


def test_it_answers_404_for_paths_that_are_not_flow_sids(alice):
    client = client_for(alice)
    for junk in ("FW123", "FW" + "0" * 31 + "%00", "nope"):
        assert client.get(f"/flows/{junk}/").status_code == 404
    assert client.get(reverse("flow_detail", args=["FW" + "a" * 32])).status_code == 404


def test_it_hides_other_teams_flows(flow, dave):
    client = client_for(dave)
    assert client.get(reverse("flow_detail", args=[flow.sid])).status_code == 404
    assert client.get(reverse("flow_export", args=[flow.sid])).status_code == 404
    assert client.get(reverse("flow_delete", args=[flow.sid])).status_code == 404
    assert client.post(reverse("flow_delete", args=[flow.sid])).status_code == 404
    assert Flow.objects.filter(pk=flow.pk).exists()


# Export


def test_it_downloads_the_same_json_as_the_export_service(flow, carol):
    response = client_for(carol).get(reverse("flow_export", args=[flow.sid]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="do-you-like-bots.json"'
    assert json.loads(response.content) == services.export_flow(flow)


def test_it_downloads_an_older_revision(flow, alice):
    services.update_flow(flow, status=Status.DRAFT, definition=load_sample("sms-chatbot"))
    client = client_for(alice)
    old = client.get(reverse("flow_export", args=[flow.sid]), {"revision": "1"})
    assert json.loads(old.content) == load_sample("conversations-tutorial")
    latest = client.get(reverse("flow_export", args=[flow.sid]))
    assert json.loads(latest.content) == load_sample("sms-chatbot")
    for missing in ("9", "x", "-1", "²", "1" * 30):
        response = client.get(reverse("flow_export", args=[flow.sid]), {"revision": missing})
        assert response.status_code == 404


# New flow


def test_it_creates_a_blank_flow(team, bob):
    response = client_for(bob).post(
        reverse("flow_new"), {"friendly_name": "Support line", "team": "acme", "template": "blank"}
    )
    flow = Flow.objects.get(friendly_name="Support line")
    assert response.status_code == 302
    assert response["Location"] == reverse("flow_detail", args=[flow.sid])
    document = services.export_flow(flow)
    assert [s["name"] for s in document["states"]] == ["Trigger"]
    assert document["description"] == "Support line"
    assert flow.author == bob
    assert flow.status == Status.DRAFT


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.slug)
def test_it_creates_a_flow_from_a_sample(sample, team, alice):
    client = client_for(alice)
    client.post(
        reverse("flow_new"),
        {"friendly_name": "From sample", "team": "acme", "template": sample.slug},
    )
    flow = Flow.objects.get(friendly_name="From sample")
    assert services.export_flow(flow) == load_sample(sample.slug)
    assert flow.valid
    page = client.get(reverse("flow_detail", args=[flow.sid]))
    assert "Created from the" in page.content.decode()


def test_it_offers_only_teams_the_user_can_edit(team, other_team, bob):
    services.add_member(other_team, bob, "viewer")
    client = client_for(bob)
    page = client.get(reverse("flow_new")).content.decode()
    assert 'value="acme"' in page and 'value="globex"' not in page
    response = client.post(
        reverse("flow_new"), {"friendly_name": "Sneaky", "team": "globex", "template": "blank"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["team"]
    assert not Flow.objects.exists()


def test_it_shows_every_sample_as_a_starting_point(bob):
    body = client_for(bob).get(reverse("flow_new")).content.decode()
    for sample in SAMPLES:
        assert f'value="{sample.slug}"' in body


# Import


def test_it_imports_an_uploaded_file(team, bob):
    response = client_for(bob).post(
        reverse("flow_import"),
        {"file": upload(sample_text("appointment-reminder")), "team": "acme", "friendly_name": ""},
    )
    flow = Flow.objects.get()
    assert response["Location"] == reverse("flow_detail", args=[flow.sid])
    assert flow.friendly_name == load_sample("appointment-reminder")["description"]
    assert services.export_flow(flow) == load_sample("appointment-reminder")


def test_it_imports_pasted_json_under_a_chosen_name(team, alice):
    client_for(alice).post(
        reverse("flow_import"),
        {"text": sample_text("sms-chatbot"), "team": "acme", "friendly_name": "Owl bot"},
    )
    assert services.export_flow(Flow.objects.get(friendly_name="Owl bot")) == load_sample(
        "sms-chatbot"
    )


def test_it_lists_every_problem_of_a_bad_file_and_saves_nothing(team, alice):
    response = client_for(alice).post(
        reverse("flow_import"), {"file": upload(json.dumps(NOT_BLOCKING)), "team": "acme"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    paths = [p.property_path for p in response.context["problems"]]
    assert paths == ["#/states/0/transitions/0/next", "#/states/1/properties/method"]
    assert "must match a widget name" in body
    assert "http_1" in body
    assert "Nothing was imported" in body
    assert not Flow.objects.exists()


def test_it_offers_to_import_anyway_when_no_problem_is_blocking(team, alice):
    client = client_for(alice)
    rejected = client.post(
        reverse("flow_import"),
        {"file": upload(json.dumps(NOT_BLOCKING)), "team": "acme", "friendly_name": "Later"},
    )
    assert rejected.context["can_keep_as_draft"]
    assert "Import anyway as an invalid draft" in rejected.content.decode()
    retry = rejected.context["form"]
    assert json.loads(retry.initial["text"]) == NOT_BLOCKING
    response = client.post(
        reverse("flow_import"),
        {
            "text": retry.initial["text"],
            "team": retry.initial["team"],
            "friendly_name": retry.initial["friendly_name"],
            "allow_problems": "on",
        },
        follow=True,
    )
    flow = Flow.objects.get()
    assert flow.friendly_name == "Later"
    assert not flow.valid
    assert flow.status == Status.DRAFT
    assert len(flow.errors) == 2
    assert "as an invalid draft with 2 problems to fix." in response.content.decode()


def test_problems_lead_with_the_widget_and_the_fix_in_plain_words(team, alice):
    response = client_for(alice).post(
        reverse("flow_import"), {"file": upload(json.dumps(NOT_BLOCKING)), "team": "acme"}
    )
    body = response.content.decode()
    assert (
        "Widget `Trigger`: transition `incomingMessage` goes to `missing_widget`, which is not "
        "a widget in this flow. Connect it to an existing widget or remove it."
    ) in body
    assert response.context["warnings"] == []


def test_a_flow_with_only_warnings_imports_as_valid_and_lists_them_apart(team, alice):
    client = client_for(alice)
    response = client.post(
        reverse("flow_import"),
        {"text": json.dumps(older_trim_on_outgoing_call()), "team": "acme"},
        follow=True,
    )
    flow = Flow.objects.get()
    assert flow.valid and flow.errors == []
    body = response.content.decode()
    assert "It is valid, with 1 warning to look at." in body
    assert response.context["problems"] == []
    (warning,) = response.context["warnings"]
    assert (warning.property_path, warning.message) == (
        TRIM_WARNING["property_path"],
        TRIM_WARNING["message"],
    )
    assert warning.widget == "call_user_1"
    assert "1 warning" in body and "Widget `call_user_1` (Make Outgoing Call)" in body
    assert services.export_flow(flow) == older_trim_on_outgoing_call()


def test_a_refused_import_lists_its_warnings_apart_from_its_errors(team, alice):
    broken = older_trim_on_outgoing_call()
    broken["states"][1]["transitions"][0]["next"] = "nowhere"
    response = client_for(alice).post(
        reverse("flow_import"), {"text": json.dumps(broken), "team": "acme"}
    )
    assert response.status_code == 400
    assert [p.property_path for p in response.context["problems"]] == [
        "#/states/1/transitions/0/next"
    ]
    assert [w.property_path for w in response.context["warnings"]] == [
        TRIM_WARNING["property_path"]
    ]
    body = response.content.decode()
    assert "Nothing was imported: 1 error" in body and "1 warning" in body
    assert response.context["can_keep_as_draft"]


def test_it_imports_a_legacy_export(team, alice):
    client_for(alice).post(
        reverse("flow_import"),
        {"file": upload(json.dumps(legacy_webhook_and_flex())), "team": "acme"},
    )
    flow = Flow.objects.get()
    assert flow.valid
    assert flow.widgets.get(name="to_agent").type == "send-to-flex"


def test_it_never_offers_to_keep_blocking_problems(team, alice):
    client = client_for(alice)
    response = client.post(reverse("flow_import"), {"text": "{not json", "team": "acme"})
    assert response.status_code == 400
    assert not response.context["can_keep_as_draft"]
    assert "Import anyway" not in response.content.decode()
    forced = client.post(
        reverse("flow_import"), {"text": "[]", "team": "acme", "allow_problems": "on"}
    )
    assert forced.status_code == 400
    assert not Flow.objects.exists()


def test_it_asks_for_a_file_or_pasted_json(team, alice):
    response = client_for(alice).post(reverse("flow_import"), {"team": "acme"})
    assert response.status_code == 200
    assert "Choose a file" in response.content.decode()


# Viewers


def test_viewers_cannot_create_import_or_delete(flow, carol):
    client = client_for(carol)
    refused = client.get(reverse("flow_new"))
    assert refused.status_code == 403
    assert "view and export flows, not change them" in refused.content.decode()
    assert client.get(reverse("flow_import")).status_code == 403
    assert client.get(reverse("flow_delete", args=[flow.sid])).status_code == 403
    response = client.post(
        reverse("flow_import"), {"text": sample_text("sms-chatbot"), "team": "acme"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("flow_new"), {"friendly_name": "Nope", "team": "acme", "template": "blank"}
    )
    assert response.status_code == 403
    assert client.post(reverse("flow_delete", args=[flow.sid])).status_code == 403
    assert list(Flow.objects.all()) == [flow]


# Delete


def test_it_confirms_before_deleting(flow, bob):
    client = client_for(bob)
    confirm = client.get(reverse("flow_delete", args=[flow.sid]))
    assert confirm.status_code == 200
    assert "Delete Do you like bots?" in confirm.content.decode()
    assert Flow.objects.filter(pk=flow.pk).exists()
    response = client.post(reverse("flow_delete", args=[flow.sid]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("flow_list")
    assert "Deleted Do you like bots?" in response.content.decode()
    assert not Flow.objects.filter(pk=flow.pk).exists()


# CSRF


def test_it_refuses_writes_without_a_csrf_token(flow, alice):
    client = client_for(alice, enforce_csrf_checks=True)
    assert client.post(reverse("flow_delete", args=[flow.sid])).status_code == 403
    assert Flow.objects.filter(pk=flow.pk).exists()
    client.get(reverse("flow_delete", args=[flow.sid]))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("flow_delete", args=[flow.sid]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert not Flow.objects.filter(pk=flow.pk).exists()
