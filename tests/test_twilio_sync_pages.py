"""Pull and push from the pages: the flow's buttons and the team's list of the account's
flows, against a Twilio account that is another team of the live server
(tests/sync_support.py)."""

from __future__ import annotations

from editor import services
from editor.models import Flow, RemoteFlow, TwilioConnection

from .sync_support import GOODBYE, account_fixture, definition  # noqa: F401
from .team_support import browser_for, messages_of


def make(team, name: str = "Reminder", body: str = "Soon") -> Flow:
    return services.create_flow(team, friendly_name=name, definition=definition(body))


def push(user, flow: Flow, **fields: str):
    return browser_for(user).submit(f"/flows/{flow.sid}/twilio/push/", fields, follow=True)


def page(user, url: str) -> str:
    return browser_for(user).get(url).content.decode()


def test_editors_see_the_buttons_and_viewers_only_the_state(account, team, alice, carol):
    flow = make(team)
    owner_view = page(alice, f"/flows/{flow.sid}/")
    assert "Push to Twilio" in owner_view and "Not on Twilio yet" in owner_view
    assert "Pull from Twilio" not in owner_view  # nothing to pull from until pushed
    push(alice, flow)
    owner_view = page(alice, f"/flows/{flow.sid}/")
    assert "Pull from Twilio" in owner_view and account.flows()[0].sid in owner_view
    viewer_view = page(carol, f"/flows/{flow.sid}/")
    assert account.flows()[0].sid in viewer_view and "No changes since" in viewer_view
    services.update_flow(flow, status="draft", definition=definition("Later"))
    assert "since, not pushed yet" in page(carol, f"/flows/{flow.sid}/")
    assert "Push to Twilio" not in viewer_view and "Pull from Twilio" not in viewer_view


def test_the_push_button_creates_the_flow_on_twilio_and_says_so(account, team, bob):
    flow = make(team)
    response = push(bob, flow, message="From the page", publish="on")
    (pushed,) = account.flows()
    assert f"Created {pushed.sid} on Twilio: revision 1, published." in messages_of(response)
    assert pushed.status == "published" and pushed.commit_message == "From the page"
    assert response.redirect_chain[-1][0] == f"/flows/{flow.sid}/"


def test_a_push_over_a_change_on_twilio_shows_the_difference_and_can_go_ahead(account, team, alice):
    flow = make(team, body="One")
    push(alice, flow)
    (pushed,) = account.flows()
    account.save(pushed, "Theirs", extra=[GOODBYE])
    services.update_flow(flow, status="draft", definition=definition("Mine"))
    response = push(alice, flow, message="Mine wins")
    assert response.status_code == 409
    body = response.content.decode()
    assert "Not pushed: Twilio's flow changed" in body
    assert "changed say_hello: body" in body and "removed say_goodbye (send-message)" in body
    assert "Push anyway" in body and 'name="force" value="on"' in body
    assert account.flow(pushed.sid).revision == 2
    forced = push(alice, flow, message="Mine wins", force="on")
    assert forced.status_code == 200
    assert account.flow(pushed.sid).definition() == definition("Mine")
    assert account.flow(pushed.sid).commit_message == "Mine wins"


def test_the_pull_button_brings_twilios_change_as_a_new_revision(account, team, alice):
    flow = make(team, body="One")
    push(alice, flow)
    account.save(account.flows()[0], "Two")
    response = browser_for(alice).submit(f"/flows/{flow.sid}/twilio/pull/", follow=True)
    assert any(m.startswith("Pulled revision 2 of") for m in messages_of(response))
    flow.refresh_from_db()
    assert flow.revision == 2 and flow.definition() == definition("Two")


def test_a_pull_over_local_changes_is_refused_with_the_difference(account, team, alice):
    flow = make(team, body="One")
    push(alice, flow)
    account.save(account.flows()[0], "Two")
    services.update_flow(flow, status="draft", definition=definition("Mine"))
    response = browser_for(alice).submit(f"/flows/{flow.sid}/twilio/pull/")
    assert response.status_code == 409
    assert "Not pulled: this flow changed here" in response.content.decode()
    assert "changed say_hello: body" in response.content.decode()
    forced = browser_for(alice).submit(f"/flows/{flow.sid}/twilio/pull/", {"force": "on"})
    assert forced.status_code == 302
    flow.refresh_from_db()
    assert flow.definition() == definition("Two")


def test_a_refusal_comes_back_as_a_message(account, team, alice):
    flow = make(team)
    response = browser_for(alice).submit(f"/flows/{flow.sid}/twilio/pull/", follow=True)
    assert "never pushed there" in " ".join(messages_of(response))
    TwilioConnection.objects.filter(team=team).delete()
    response = push(alice, flow)
    assert "Not pushed: Acme is not connected to a Twilio account." in messages_of(response)
    assert account.flows() == []


def test_the_team_page_lists_the_accounts_flows_and_pulls_those_chosen(account, team, alice, bob):
    welcome, survey = account.make("Welcome"), account.make("Survey")
    assert "Pull flows from Twilio" in page(alice, "/teams/acme/")
    listing = page(bob, "/teams/acme/twilio/flows/")
    assert welcome.sid in listing and survey.sid in listing and "Not pulled" in listing
    response = browser_for(bob).submit(
        "/teams/acme/twilio/flows/", {"sid": [survey.sid]}, follow=True
    )
    assert f"Pulled Survey ({survey.sid})." in messages_of(response)
    (pulled,) = Flow.objects.filter(team=team)
    assert RemoteFlow.objects.get(flow=pulled).remote_sid == survey.sid
    assert f'href="/flows/{pulled.sid}/"' in response.content.decode()


def test_the_team_list_leaves_flows_changed_here_alone(account, team, alice):
    survey = account.make("Survey", "One")
    browser_for(alice).submit("/teams/acme/twilio/flows/", {"sid": [survey.sid]})
    pulled = Flow.objects.get(team=team)
    services.update_flow(pulled, status="draft", definition=definition("Mine"))
    account.save(survey, "Two")
    response = browser_for(alice).submit(
        "/teams/acme/twilio/flows/", {"sid": [survey.sid]}, follow=True
    )
    assert "has changes that were never pushed" in " ".join(messages_of(response))
    pulled.refresh_from_db()
    assert pulled.definition() == definition("Mine")


def test_viewers_are_refused_and_outsiders_find_nothing(account, team, carol, dave):
    flow = make(team)
    for user, status in ((carol, 403), (dave, 404)):
        client = browser_for(user)
        assert client.submit(f"/flows/{flow.sid}/twilio/push/").status_code == status
        assert client.submit(f"/flows/{flow.sid}/twilio/pull/").status_code == status
        assert client.get("/teams/acme/twilio/flows/").status_code == status
        assert client.submit("/teams/acme/twilio/flows/", {"sid": "x"}).status_code == status
    assert "Pull flows from Twilio" not in page(carol, "/teams/acme/")
    assert account.flows() == []


def test_buttons_need_the_csrf_token(account, team, alice):
    flow = make(team)
    client = browser_for(alice)
    assert client.post(f"/flows/{flow.sid}/twilio/push/").status_code == 403
    assert account.flows() == []


def test_the_twin_belongs_to_the_account_the_team_was_connected_to(account, team, alice):
    flow = make(team)
    push(alice, flow)
    # Connected to another account now (this server's /v2/ does not check the SID, so the
    # same key still reaches the same team: what matters is the mapping's account).
    TwilioConnection.objects.filter(team=team).update(account_sid="AC" + "9" * 32)
    assert "Not on Twilio yet" in page(alice, f"/flows/{flow.sid}/")
    response = browser_for(alice).submit(f"/flows/{flow.sid}/twilio/pull/", follow=True)
    assert "did not come from the team's Twilio account" in " ".join(messages_of(response))
    push(alice, flow)
    assert len(account.flows()) == 2
    assert RemoteFlow.objects.get(flow=flow).account_sid == "AC" + "9" * 32


def test_pulling_a_flow_deleted_on_twilio_names_it_and_says_how_to_bring_it_back(
    account, team, alice
):
    flow = make(team)
    push(alice, flow)
    (pushed,) = account.flows()
    pushed.delete()
    response = browser_for(alice).submit(f"/flows/{flow.sid}/twilio/pull/", {}, follow=True)
    assert messages_of(response) == [
        f"Not pulled: {pushed.sid} is no longer in the team's Twilio account (deleted there). "
        "Push to Twilio to create it there again from Reminder."
    ]
    assert Flow.objects.get(pk=flow.pk).definition() == definition("Soon")


def test_test_users_changed_alone_are_pushed_without_a_new_revision(account, team, alice):
    flow = make(team)
    push(alice, flow)
    (pushed,) = account.flows()
    services.set_test_users(flow, ["+15550004444"])  # no new version of the flow
    response = push(alice, flow)
    assert messages_of(response) == [
        f"The test users of {pushed.sid} on Twilio are this flow's now.",
        f"Twilio's {pushed.sid} is already this flow; nothing was pushed.",
    ]
    pushed.refresh_from_db()
    assert pushed.test_users == ["+15550004444"] and pushed.revision == 1
