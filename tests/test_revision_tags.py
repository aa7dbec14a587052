"""Revision change tags, saves that change nothing, and the canvas's revisions and diff
API (docs/revisions.md)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as global_apps
from django.test import Client

from editor import services
from editor.models import FlowRevision, Status
from tests.conftest import post
from tests.test_api_flows import basic_auth, studio_definition

pytestmark = pytest.mark.django_db


def move(flow, name="say_hello", x=40, y=240):
    flow.refresh_from_db()
    op = {"op": "move_widgets", "offsets": {name: {"x": x, "y": y}}}
    services.apply_edit(flow, base_version=flow.version, ops=[op], user=None)
    flow.refresh_from_db()


def set_body(flow, body):
    flow.refresh_from_db()
    op = {"op": "set_properties", "name": "say_hello", "set": {"body": body}}
    services.apply_edit(flow, base_version=flow.version, ops=[op], user=None)
    flow.refresh_from_db()


@pytest.fixture
def hello(team, alice):
    return services.create_flow(
        team, friendly_name="Hello", definition=studio_definition(), status=Status.PUBLISHED
    )


def tags(flow):
    return list(flow.revisions.order_by("revision").values_list("revision", "tags"))


def test_each_revision_is_tagged_with_what_changed(hello):
    assert tags(hello) == [(1, ["widgets", "transitions", "settings"])]
    move(hello)
    services.save_draft(hello)
    set_body(hello, "Hello there")
    services.save_draft(hello)
    definition = hello.definition()
    definition["initial_state"] = "Trigger"
    definition["flags"] = {"allow_concurrent_calls": False}
    definition["states"][0]["transitions"][0].pop("next")
    services.update_flow(hello, status=Status.DRAFT, definition=definition)
    services.publish_flow(hello)
    assert tags(hello) == [
        (1, ["widgets", "transitions", "settings"]),
        (2, ["layout"]),
        (3, ["properties"]),
        (4, ["transitions", "settings"]),
        (5, []),  # published what was saved: only the status changed
    ]


def test_a_save_or_publish_that_changes_nothing_makes_no_revision(hello):
    version = hello.version
    services.save_draft(hello, commit_message="again")
    services.publish_flow(hello, commit_message="again")
    assert hello.revisions.count() == 1
    # Edits that cancel out are no change either.
    move(hello, x=99)
    move(hello, x=0, y=200)
    assert hello.version == version + 2
    assert not hello.has_unsaved_changes() and not hello.has_unpublished_changes()
    services.save_draft(hello)
    services.publish_flow(hello)
    assert hello.revisions.count() == 1


def test_saving_a_draft_then_publishing_it_is_two_revisions(hello):
    set_body(hello, "Changed")
    assert hello.has_unsaved_changes() and hello.has_unpublished_changes()
    services.save_draft(hello)
    services.save_draft(hello)
    assert hello.revisions.count() == 2
    services.publish_flow(hello)
    services.publish_flow(hello)
    assert list(hello.revisions.values_list("status", flat=True)) == [
        Status.PUBLISHED,
        Status.DRAFT,
        Status.PUBLISHED,
    ]


def test_restoring_or_importing_the_same_document_makes_no_revision(hello):
    same = hello.revisions.get()
    services.restore_revision(hello, same)
    assert hello.revisions.count() == 1
    set_body(hello, "Other")
    services.restore_revision(hello, same)  # throws the unsaved edit away: a revision
    assert hello.revisions.count() == 2
    assert hello.revisions.order_by("-revision").first().tags == []


def test_the_rest_api_keeps_twilios_every_update_is_a_revision(client, team, alice, hello):
    key, secret = services.create_api_key(team, created_by=alice)
    for _ in range(2):
        response = client.post(
            f"/v2/Flows/{hello.sid}",
            {"Status": "published"},
            headers={"Authorization": basic_auth(key.sid, secret)},
        )
        assert response.status_code == 200, response.content
    assert [r for r, _ in tags(hello)] == [1, 2, 3]
    assert [t for _, t in tags(hello)][1:] == [[], []]


def test_the_canvas_says_whether_a_save_made_a_revision(browser, hello):
    url = f"/api/editor/flows/{hello.sid}"
    assert post(browser, f"{url}/save", {}).json()["revision_created"] is False
    set_body(hello, "Changed")
    saved = post(browser, f"{url}/save", {"commit_message": "new body"}).json()
    assert saved["revision_created"] is True and saved["revision"] == 2
    assert saved["unsaved_changes"] is False
    listed = browser.get(f"{url}/revisions").json()["revisions"]
    assert [(r["revision"], r["tags"], r["commit_message"]) for r in listed] == [
        (2, ["properties"], "new body"),
        (1, ["widgets", "transitions", "settings"], None),
    ]


def test_only_a_published_flow_has_unpublished_changes(browser, team, hello):
    """A never-published flow is a draft: the canvas used to say "Unpublished changes" too."""
    draft = services.create_flow(team, friendly_name="New", definition=studio_definition())
    set_body(draft, "Changed")
    document = browser.get(f"/api/editor/flows/{draft.sid}").json()
    assert (document["status"], document["published_revision"]) == ("draft", None)
    assert document["unpublished_changes"] is False
    assert browser.get(f"/api/editor/flows/{hello.sid}").json()["unpublished_changes"] is False
    set_body(hello, "Changed")
    assert browser.get(f"/api/editor/flows/{hello.sid}").json()["unpublished_changes"] is True


def test_the_diff_compares_draft_published_and_revisions(browser, hello):
    url = f"/api/editor/flows/{hello.sid}/diff"
    set_body(hello, "Hello there")
    move(hello)
    found = browser.get(url).json()
    assert found["from"] == {"ref": "published", "revision": 1, "label": "Revision 1 (published)"}
    assert found["to"]["ref"] == "draft"
    widget = found["diff"]["widgets"][0]
    assert (widget["name"], widget["status"], widget["moved"]) == ("say_hello", "changed", True)
    assert widget["changes"][0]["words"] == [
        {"op": "equal", "text": "Hello"},
        {"op": "insert", "text": " there"},
    ]
    assert found["diff"]["tags"] == ["layout", "properties"]
    assert found["after"]["states"][1]["properties"]["body"] == "Hello there"
    services.save_draft(hello)
    back = browser.get(f"{url}?from=2&to=1").json()
    assert back["diff"]["tags"] == ["layout", "properties"]
    assert browser.get(f"{url}?from=draft&to=2").json()["diff"]["widgets"] == []


@pytest.mark.parametrize("query", ["from=9", "to=77"])
def test_an_unknown_revision_is_a_404(browser, hello, query):
    response = browser.get(f"/api/editor/flows/{hello.sid}/diff?{query}")
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["from=latest", "to=-1", "from=1%00", "to=" + "9" * 12])
def test_a_bad_side_is_a_400(browser, hello, query):
    response = browser.get(f"/api/editor/flows/{hello.sid}/diff?{query}")
    assert response.status_code == 400
    assert "revision number, published or draft" in response.json()["message"]


def test_a_never_published_flow_compares_against_nothing(browser, team):
    flow = services.create_flow(team, friendly_name="New", definition=studio_definition())
    found = browser.get(f"/api/editor/flows/{flow.sid}/diff").json()
    assert found["from"]["revision"] is None
    assert {w["status"] for w in found["diff"]["widgets"]} == {"added"}


def test_others_flows_are_404_and_viewers_may_read(team, other_team, carol, dave, hello):
    viewer, outsider = Client(), Client()
    viewer.force_login(carol)
    outsider.force_login(dave)
    for path in ("diff", "revisions"):
        assert viewer.get(f"/api/editor/flows/{hello.sid}/{path}").status_code == 200
        assert outsider.get(f"/api/editor/flows/{hello.sid}/{path}").status_code == 404


def test_the_migration_backfills_tags_from_consecutive_revisions(hello):
    set_body(hello, "Two")
    services.save_draft(hello)
    move(hello)
    services.save_draft(hello)
    FlowRevision.objects.update(tags=["stale"])
    migration = importlib.import_module("editor.migrations.0017_revision_tags")
    migration.backfill(global_apps, None)
    assert tags(hello) == [
        (1, ["widgets", "transitions", "settings"]),
        (2, ["properties"]),
        (3, ["layout"]),
    ]


def test_a_revision_date_reads_as_the_flow_page_writes_it(team, alice):
    flow = services.create_flow(team, friendly_name="Dates", definition=studio_definition())
    client = Client()
    client.force_login(alice)

    listed = client.get(f"/api/editor/flows/{flow.sid}/revisions").json()["revisions"]
    page = client.get(f"/flows/{flow.sid}/").content.decode()

    text = listed[0]["date_created_text"]
    stamp = listed[0]["date_created"]
    assert text and text != stamp
    # The Revisions table of the flow page writes the same revision's date the same way.
    assert f"{text}</time>" in page
