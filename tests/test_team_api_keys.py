"""API keys on the team page: owners and editors create them and see the secret once, the
key works with HTTP Basic on /v2/, its last use is shown; owners revoke any key, editors
their own; viewers see none. Revisions made through the API are authored by the key's
creator."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from editor import services
from editor.models import ApiKey, Flow, hash_secret

from .team_support import basic_auth, browser_for, user_sid

pytestmark = pytest.mark.django_db

SECRET = re.compile(r'<code class="copyable secret">([A-Za-z0-9_-]+)</code>')


def create_key(client, team, name="CI"):
    return client.submit(reverse("api_key_new", args=[team.slug]), {"friendly_name": name})


def secret_of(response) -> str:
    (secret,) = SECRET.findall(response.content.decode())
    return secret


def api(sid: str, secret: str):
    return Client(headers={"Authorization": basic_auth(sid, secret)})


def definition(body: str = "Hello") -> str:
    return json.dumps(
        {
            "description": "Say hello",
            "states": [
                {
                    "name": "Trigger",
                    "type": "trigger",
                    "transitions": [{"event": "incomingMessage", "next": "say"}],
                    "properties": {"offset": {"x": 0, "y": 0}},
                },
                {
                    "name": "say",
                    "type": "send-message",
                    "transitions": [{"event": "sent"}, {"event": "failed"}],
                    "properties": {
                        "offset": {"x": 0, "y": 200},
                        "to": "{{contact.channel.address}}",
                        "from": "{{flow.channel.address}}",
                        "body": body,
                    },
                },
            ],
            "initial_state": "Trigger",
            "flags": {"allow_concurrent_calls": True},
        }
    )


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_owners_and_editors_create_a_key_and_see_its_secret_once(persona, request, team):
    user = request.getfixturevalue(persona)
    client = browser_for(user)

    response = create_key(client, team)

    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    secret = secret_of(response)
    key = ApiKey.objects.get()
    assert (key.team, key.friendly_name, key.created_by) == (team, "CI", user)
    assert key.secret_hash == hash_secret(secret)
    body = response.content.decode()
    assert key.sid in body and team.account_sid in body
    page = client.get(reverse("team_detail", args=[team.slug])).content.decode()
    assert key.sid in page and secret not in page


def test_the_secret_works_with_http_basic_and_the_last_use_is_shown(team, alice):
    client = browser_for(alice)
    secret = secret_of(create_key(client, team))
    key = ApiKey.objects.get()
    row = re.compile(rf'<tr id="key-{key.sid}">.*?</tr>', re.S)
    before = row.search(client.get(reverse("team_detail", args=[team.slug])).content.decode())
    assert "Never" in before.group(0)

    listed = api(key.sid, secret).get("/v2/Flows")

    assert listed.status_code == 200
    assert listed.json()["flows"] == []
    assert api(key.sid, "wrong-secret").get("/v2/Flows").status_code == 401
    key.refresh_from_db()
    assert key.last_used is not None
    after = row.search(client.get(reverse("team_detail", args=[team.slug])).content.decode())
    assert "Never" not in after.group(0)
    assert f'datetime="{key.last_used.isoformat()}"' in after.group(0)
    assert "alice" in after.group(0) and "CI" in after.group(0)


def test_a_revoked_key_is_refused(team, alice):
    client = browser_for(alice)
    secret = secret_of(create_key(client, team))
    key = ApiKey.objects.get()
    assert api(key.sid, secret).get("/v2/Flows").status_code == 200

    response = client.submit(reverse("api_key_revoke", args=[team.slug, key.sid]))

    assert response["Location"] == reverse("team_detail", args=[team.slug])
    assert not ApiKey.objects.exists()
    assert api(key.sid, secret).get("/v2/Flows").status_code == 401


def test_viewers_see_no_keys_and_cannot_make_or_revoke_one(team, alice, carol):
    key, _ = services.create_api_key(team, friendly_name="Prod", created_by=alice)
    client = browser_for(carol)
    page = client.get(reverse("team_detail", args=[team.slug])).content.decode()
    assert key.sid not in page and "API keys" not in page

    made = create_key(client, team)
    revoked = client.submit(reverse("api_key_revoke", args=[team.slug, key.sid]))

    assert made.status_code == 403 and revoked.status_code == 403
    assert list(ApiKey.objects.all()) == [key]


def test_editors_revoke_their_own_keys_only(team, alice, bob):
    alices, _ = services.create_api_key(team, created_by=alice)
    bobs, _ = services.create_api_key(team, created_by=bob)
    client = browser_for(bob)
    page = client.get(reverse("team_detail", args=[team.slug])).content.decode()
    assert reverse("api_key_revoke", args=[team.slug, bobs.sid]) in page
    assert reverse("api_key_revoke", args=[team.slug, alices.sid]) not in page

    refused = client.submit(reverse("api_key_revoke", args=[team.slug, alices.sid]))
    client.submit(reverse("api_key_revoke", args=[team.slug, bobs.sid]))

    assert refused.status_code == 403
    assert list(ApiKey.objects.all()) == [alices]


def test_owners_revoke_anyones_key(team, alice, bob):
    bobs, _ = services.create_api_key(team, created_by=bob)
    browser_for(alice).submit(reverse("api_key_revoke", args=[team.slug, bobs.sid]))
    assert not ApiKey.objects.exists()


def test_another_teams_key_is_404(team, other_team, alice, dave):
    daves, _ = services.create_api_key(other_team, created_by=dave)
    response = browser_for(alice).submit(reverse("api_key_revoke", args=[team.slug, daves.sid]))
    assert response.status_code == 404
    assert ApiKey.objects.filter(pk=daves.pk).exists()


def test_a_key_name_over_64_characters_is_refused_and_comes_back_as_typed(team, alice):
    response = create_key(browser_for(alice), team, name="x" * 65)
    assert response.status_code == 400
    assert not ApiKey.objects.exists()
    page = response.content.decode()
    assert f'name="friendly_name" value="{"x" * 65}"' in page
    assert "A key&#x27;s name is at most 64 characters." in page


def test_revisions_made_with_a_key_are_authored_by_its_creator(team, alice, bob):
    secret = secret_of(create_key(browser_for(bob), team))
    key = ApiKey.objects.get()
    client = api(key.sid, secret)

    created = client.post(
        "/v2/Flows", {"FriendlyName": "Hi", "Status": "draft", "Definition": definition()}
    )
    sid = created.json()["sid"]
    updated = client.post(
        f"/v2/Flows/{sid}", {"Status": "published", "Definition": definition("Hey")}
    )

    assert created.status_code == 201 and updated.status_code == 200
    assert created.json()["author_sid"] == user_sid(bob)
    assert updated.json()["author_sid"] == user_sid(bob)
    flow = Flow.objects.get(sid=sid)
    assert [r.author for r in flow.revisions.order_by("revision")] == [bob, bob]
    revisions = client.get(f"/v2/Flows/{sid}/Revisions").json()["revisions"]
    assert {r["author_sid"] for r in revisions} == {user_sid(bob)}


def test_the_draft_an_api_execution_saves_for_a_test_user_is_by_the_keys_creator(team, bob):
    """A test user's execution runs the canvas's draft, saved first as a revision: made
    through a key, it is by the key's creator, as every revision made with the key is."""
    secret = secret_of(create_key(browser_for(bob), team))
    client = api(ApiKey.objects.get().sid, secret)
    flow = services.create_flow(team, friendly_name="Hi", definition=json.loads(definition()))
    services.publish_flow(flow)
    say = services.export_flow(flow)["states"][1]
    say["properties"]["body"] = "Yo"
    services.apply_edit(
        flow, base_version=flow.version, ops=[{"op": "update_widget", **say}], user=None
    )
    services.set_test_users(flow, ["+15550009999"])
    started = client.post(
        f"/v2/Flows/{flow.sid}/Executions", {"To": "+15550009999", "From": "+15550000000"}
    )
    assert started.status_code == 201
    latest = flow.revisions.order_by("-revision").first()
    assert (latest.commit_message, latest.author) == ("Saved for a test run", bob)


def test_create_api_key_records_its_user_as_the_author_of_what_the_key_does(team, alice, carol):
    out = io.StringIO()
    call_command("create_api_key", team.slug, "--user", "alice", stdout=out)
    line = json.loads(out.getvalue())

    created = api(line["api_key_sid"], line["api_key_secret"]).post(
        "/v2/Flows", {"FriendlyName": "Hi", "Status": "draft", "Definition": definition()}
    )

    assert ApiKey.objects.get(sid=line["api_key_sid"]).created_by == alice
    assert created.json()["author_sid"] == user_sid(alice)
    for refused in ("carol", "nobody"):  # a viewer; no such user
        with pytest.raises(CommandError, match="not an owner or editor"):
            call_command("create_api_key", team.slug, "--user", refused, stdout=io.StringIO())
    assert ApiKey.objects.count() == 1


def test_the_team_page_and_a_new_key_link_to_the_api_reference(team, alice):
    """/api/docs/ was reachable only by knowing its address (README): the page that makes keys
    and the page that shows a new key's secret both lead to it."""
    client = browser_for(alice)
    docs = reverse("api:docs")
    assert (
        f'<a href="{docs}">API reference</a>' in client.get(f"/teams/{team.slug}/").content.decode()
    )
    assert f'<a href="{docs}">API reference</a>' in create_key(client, team).content.decode()
    assert client.get(docs).status_code == 200
