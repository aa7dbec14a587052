"""`manage.py twilio pull` and `push`, between this server and a Twilio account that is
another instance of it (tests/sync_support.py)."""

from __future__ import annotations

from editor import services
from editor.models import Flow, FlowRevision, RemoteFlow, TwilioConnection, definition_hash

from .sync_support import GOODBYE, account_fixture, definition, twilio  # noqa: F401


def local(team, name: str) -> Flow:
    return Flow.objects.get(team=team, friendly_name=name)


def revisions(flow: Flow) -> list[tuple[int, str, str]]:
    """(revision, status, say_hello's body) of each local revision, oldest first."""
    return [
        (r.revision, r.status, r.definition["states"][1]["properties"]["body"])
        for r in flow.revisions.order_by("revision")
    ]


def test_pull_without_sids_lists_the_accounts_flows_and_imports_nothing(account, team):
    welcome = account.make("Welcome")
    ran = twilio("pull", "--team", "acme")
    assert ran.failed is None, ran.err
    assert welcome.sid in ran.out and "Welcome" in ran.out and "(not pulled)" in ran.out
    assert "use --all" in ran.out
    assert not Flow.objects.filter(team=team).exists()


def test_pull_all_imports_every_flow_with_its_published_and_draft_revisions(account, team):
    account.make("Welcome", "Hi")
    survey = account.make("Survey", "Rate us")
    account.save(survey, "Rate us, please")  # a draft after the published revision
    ran = twilio("pull", "--team", "acme", "--all")
    assert ran.failed is None, ran.err
    welcome = local(team, "Welcome")
    assert revisions(welcome) == [(1, "published", "Hi")]
    pulled = local(team, "Survey")
    # Live traffic runs the published revision; the draft after it is the working copy.
    assert revisions(pulled) == [(1, "published", "Rate us"), (2, "draft", "Rate us, please")]
    assert pulled.status == "draft" and pulled.has_unpublished_changes()
    assert pulled.definition() == account.flow(survey.sid).definition()
    assert pulled.revisions.get(revision=1).commit_message == "Pulled from Twilio (revision 1)"
    mapping = RemoteFlow.objects.get(flow=pulled)
    assert (mapping.remote_sid, mapping.remote_revision) == (survey.sid, 2)
    assert mapping.account_sid == account.team.account_sid
    assert f"{survey.sid} revision 2: pulled as {pulled.sid} Survey" in ran.out


def test_pull_imports_only_the_chosen_flows(account, team):
    account.make("Welcome")
    survey = account.make("Survey")
    ran = twilio("pull", "--team", "acme", survey.sid)
    assert ran.failed is None, ran.err
    assert [f.friendly_name for f in Flow.objects.filter(team=team)] == ["Survey"]


def test_pull_carries_the_test_users_over(account, team):
    survey = account.make("Survey")
    services.set_test_users(survey, ["+15550001111", "whatsapp:+15550002222"])
    twilio("pull", "--team", "acme", survey.sid)
    assert local(team, "Survey").test_users == ["+15550001111", "whatsapp:+15550002222"]


def test_a_second_pull_adds_the_remote_change_as_a_new_revision(account, team):
    survey = account.make("Survey", "One")
    twilio("pull", "--team", "acme", survey.sid)
    again = twilio("pull", "--team", "acme", survey.sid)
    assert "up to date" in again.out
    assert revisions(local(team, "Survey")) == [(1, "published", "One")]
    account.save(survey, "Two", status="published")
    ran = twilio("pull", "--team", "acme", survey.sid)
    assert ran.failed is None, ran.err
    pulled = local(team, "Survey")
    assert revisions(pulled) == [(1, "published", "One"), (2, "published", "Two")]
    assert Flow.objects.filter(team=team).count() == 1


def test_pull_refuses_to_replace_local_changes_and_shows_the_difference(account, team):
    survey = account.make("Survey", "One")
    twilio("pull", "--team", "acme", survey.sid)
    pulled = local(team, "Survey")
    services.update_flow(pulled, status="draft", definition=definition("Mine", extra=[GOODBYE]))
    account.save(survey, "Theirs")
    ran = twilio("pull", "--team", "acme", survey.sid)
    assert ran.failed == "1 flow not pulled"
    assert "changed here since it was last pulled or pushed" in ran.err
    # What the pull would do to the local flow, widget by widget.
    assert "changed say_hello: body" in ran.err
    assert "removed say_goodbye (send-message)" in ran.err
    assert "--force" in ran.err
    assert revisions(local(team, "Survey"))[-1] == (2, "draft", "Mine")
    forced = twilio("pull", "--team", "acme", survey.sid, "--force")
    assert forced.failed is None, forced.err
    assert revisions(local(team, "Survey"))[-1] == (3, "draft", "Theirs")


def test_push_creates_the_flow_in_the_account_and_remembers_it(account, team):
    flow = services.create_flow(team, friendly_name="Reminder", definition=definition("Soon"))
    services.set_test_users(flow, ["+15550003333"])
    ran = twilio("push", flow.sid)
    assert ran.failed is None, ran.err
    (pushed,) = account.flows()
    assert pushed.friendly_name == "Reminder" and pushed.status == "draft"
    assert pushed.definition() == flow.definition()
    assert pushed.test_users == ["+15550003333"]
    assert pushed.commit_message == f"Pushed from {flow.sid} (revision 1)"
    mapping = RemoteFlow.objects.get(flow=flow)
    assert (mapping.remote_sid, mapping.remote_revision, mapping.direction) == (
        pushed.sid,
        1,
        "push",
    )
    assert mapping.remote_hash == definition_hash(pushed.definition())
    assert f"created {pushed.sid} revision 1 on Twilio" in ran.out


def test_push_publishes_with_the_commit_message_given(account, team):
    flow = services.create_flow(team, friendly_name="Reminder", definition=definition())
    ran = twilio("push", flow.sid, "--publish", "--message", "Ready for the launch")
    assert ran.failed is None, ran.err
    (pushed,) = account.flows()
    assert pushed.status == "published" and pushed.commit_message == "Ready for the launch"
    assert flow.revisions.count() == 1  # the local flow is left as it was


def test_a_second_push_updates_the_same_flow_as_a_new_revision(account, team):
    flow = services.create_flow(team, friendly_name="Reminder", definition=definition("One"))
    twilio("push", flow.sid)
    assert "up to date" in twilio("push", flow.sid).out
    services.update_flow(flow, status="draft", definition=definition("Two"))
    ran = twilio("push", flow.sid, "--publish")
    assert ran.failed is None, ran.err
    (pushed,) = account.flows()
    assert [r.status for r in pushed.revisions.order_by("revision")] == ["draft", "published"]
    assert pushed.definition() == definition("Two")


def test_push_refuses_to_replace_a_change_made_on_twilio_and_shows_the_difference(account, team):
    flow = services.create_flow(team, friendly_name="Reminder", definition=definition("One"))
    twilio("push", flow.sid)
    (pushed,) = account.flows()
    account.save(pushed, "Theirs", extra=[GOODBYE])
    services.update_flow(flow, status="draft", definition=definition("Mine"))
    ran = twilio("push", flow.sid)
    assert ran.failed == "1 flow not pushed"
    assert "changed on Twilio since it was last pulled or pushed (revision 1, now 2)" in ran.err
    assert "changed say_hello: body" in ran.err and "removed say_goodbye" in ran.err
    assert account.flow(pushed.sid).revision == 2  # nothing written
    forced = twilio("push", flow.sid, "--force")
    assert forced.failed is None, forced.err
    assert account.flow(pushed.sid).definition() == definition("Mine")


def test_a_pulled_flow_is_pushed_back_to_the_flow_it_came_from(account, team):
    survey = account.make("Survey", "One")
    twilio("pull", "--team", "acme", survey.sid)
    pulled = local(team, "Survey")
    services.update_flow(pulled, status="draft", definition=definition("Two"))
    ran = twilio("push", pulled.sid, "--publish")
    assert ran.failed is None, ran.err
    assert [f.sid for f in account.flows()] == [survey.sid]
    assert account.flow(survey.sid).definition() == definition("Two")
    # And the next pull finds both sides equal.
    assert "up to date" in twilio("pull", "--team", "acme", survey.sid).out


def test_a_flow_deleted_on_twilio_is_pushed_as_a_new_one(account, team):
    flow = services.create_flow(team, friendly_name="Reminder", definition=definition())
    twilio("push", flow.sid)
    account.flows()[0].delete()
    ran = twilio("push", flow.sid)
    assert ran.failed is None, ran.err
    assert "deleted on Twilio; pushed as a new flow" in ran.err
    assert RemoteFlow.objects.get(flow=flow).remote_sid == account.flows()[0].sid


def test_a_flow_with_errors_is_not_pushed(account, team):
    broken = definition()
    broken["states"][0]["transitions"][0]["next"] = "nowhere"
    flow = services.create_flow(
        team, friendly_name="Broken", definition=broken, allow_problems=True
    )
    ran = twilio("push", flow.sid)
    assert "has 1 problem to fix first" in ran.err and ran.failed
    assert account.flows() == []


def test_a_team_without_a_connection_is_told_so(account, team):
    TwilioConnection.objects.filter(team=team).delete()
    assert twilio("pull", "--team", "acme").failed == "Acme is not connected to a Twilio account."
    flow = services.create_flow(team, friendly_name="Reminder", definition=definition())
    assert "not connected to a Twilio account" in twilio("push", flow.sid).err


def test_refused_credentials_and_unknown_sids_are_reported(account, team):
    connection = TwilioConnection.objects.get(team=team)
    missing = "FW" + "0" * 32
    ran = twilio("pull", "--team", "acme", missing, "not-a-sid")
    assert f"error: {missing}: The Twilio account has no flow {missing}: it was deleted" in ran.err
    assert "error: not-a-sid: not a flow SID" in ran.err
    connection.api_key_secret = "wrong"
    connection.save()
    ran = twilio("pull", "--team", "acme")
    assert ran.failed.startswith("Twilio answered 401")


def test_publishing_the_same_document_on_twilio_is_no_conflict(account, team):
    flow = services.create_flow(team, friendly_name="Reminder", definition=definition("One"))
    twilio("push", flow.sid)
    services.publish_flow(account.flows()[0])  # revision 2 there, the same document
    services.update_flow(flow, status="draft", definition=definition("Two"))
    ran = twilio("push", flow.sid)
    assert ran.failed is None, ran.err
    assert account.flows()[0].definition() == definition("Two")


def test_a_draft_with_errors_is_pulled_as_an_invalid_draft(account, team):
    broken = definition()
    broken["states"][0]["transitions"][0]["next"] = "nowhere"
    remote = services.create_flow(
        account.team, friendly_name="Broken", definition=broken, allow_problems=True
    )
    ran = twilio("pull", "--team", "acme", remote.sid)
    assert ran.failed is None, ran.err
    pulled = local(team, "Broken")
    assert not pulled.valid and pulled.status == "draft"


def test_a_published_revision_this_server_finds_errors_in_is_kept_as_a_draft(account, team):
    broken = definition()
    broken["states"][0]["transitions"][0]["next"] = "nowhere"
    remote = services.create_flow(
        account.team, friendly_name="Broken", definition=broken, allow_problems=True
    )
    # Twilio's rules and this server's may differ: a revision Twilio published anyway.
    Flow.objects.filter(pk=remote.pk).update(status="published")
    FlowRevision.objects.filter(flow=remote).update(status="published")
    ran = twilio("pull", "--team", "acme", remote.sid)
    assert ran.failed is None, ran.err
    assert "Revision 1 is published on Twilio, but it has 1 error" in ran.err
    assert "it was kept as a draft" in ran.err
    assert local(team, "Broken").status == "draft"


def test_a_forced_push_restores_the_flow_on_twilio_even_without_local_changes(account, team):
    flow = services.create_flow(team, friendly_name="Reminder", definition=definition("Mine"))
    twilio("push", flow.sid)
    (pushed,) = account.flows()
    account.save(pushed, "Theirs")
    assert twilio("push", flow.sid).failed == "1 flow not pushed"
    ran = twilio("push", flow.sid, "--force")
    assert ran.failed is None and "updated" in ran.out, ran.err
    assert account.flow(pushed.sid).definition() == definition("Mine")


def test_a_forced_pull_brings_twilios_flow_back_over_local_changes(account, team):
    survey = account.make("Survey", "One")
    twilio("pull", "--team", "acme", survey.sid)
    pulled = local(team, "Survey")
    services.update_flow(pulled, status="draft", definition=definition("Mine"))
    assert "up to date" in twilio("pull", "--team", "acme", survey.sid).out
    assert local(team, "Survey").definition() == definition("Mine")  # kept, not pushed yet
    ran = twilio("pull", "--team", "acme", survey.sid, "--force")
    assert ran.failed is None, ran.err
    assert local(team, "Survey").definition() == definition("One")


def test_an_edit_saved_while_a_pull_checks_for_local_changes_is_not_replaced(
    account, team, monkeypatch
):
    survey = account.make("Survey", "One")
    twilio("pull", "--team", "acme", survey.sid)
    account.save(survey, "Theirs")
    real = RemoteFlow.local_changed
    edits = iter([True])

    def edited_meanwhile(mapping):
        changed = real(mapping)
        if next(edits, False):  # a canvas save lands after the check, before the write
            mine = definition("Mine")
            services.update_flow(local(team, "Survey"), status="draft", definition=mine)
        return changed

    monkeypatch.setattr(RemoteFlow, "local_changed", edited_meanwhile)
    ran = twilio("pull", "--team", "acme", survey.sid)
    assert ran.failed == "1 flow not pulled"
    assert "changed here since it was last pulled or pushed" in ran.err
    assert local(team, "Survey").definition() == definition("Mine")
