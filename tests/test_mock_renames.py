"""A test-run mock belongs to its widget (editor/services/edits.py follow_renames): renaming
the widget on the canvas keeps the mock, as the tester expects from "kept with the flow"."""

from __future__ import annotations

import pytest

from editor import services
from editor.models import WidgetMock
from editor.samples import load_sample
from editor.services import test_runs

pytestmark = pytest.mark.django_db

MOCK = {"status": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}


@pytest.fixture
def chatbot(team):
    return services.create_flow(team, friendly_name="Bot", definition=load_sample("sms-chatbot"))


def rename(flow, name: str, new_name: str, user) -> None:
    flow.refresh_from_db()
    op = {"op": "rename_widget", "name": name, "new_name": new_name}
    services.apply_edit(flow, base_version=flow.version, ops=[op], user=user)


def test_a_renamed_widget_keeps_its_mock_and_renaming_back_brings_it_back(chatbot, alice):
    test_runs.set_mock(chatbot, "http_order_lookup", MOCK, alice)

    rename(chatbot, "http_order_lookup", "lookup", alice)
    assert set(test_runs.mocks_of(chatbot)) == {"lookup"}
    assert test_runs.mocks_of(chatbot)["lookup"]["status"] == 200

    rename(chatbot, "lookup", "http_order_lookup", alice)  # what undo sends
    assert set(test_runs.mocks_of(chatbot)) == {"http_order_lookup"}


def test_a_stale_mock_under_the_new_name_gives_way(chatbot, alice):
    test_runs.set_mock(chatbot, "http_order_lookup", MOCK, alice)
    WidgetMock.objects.create(flow=chatbot, widget="lookup", status=500, body="left over")

    rename(chatbot, "http_order_lookup", "lookup", alice)

    assert test_runs.mocks_of(chatbot)["lookup"]["status"] == 200
    assert WidgetMock.objects.filter(flow=chatbot).count() == 1


def test_the_longest_name_a_widget_may_have_keeps_its_mock(chatbot, alice):
    test_runs.set_mock(chatbot, "http_order_lookup", MOCK, alice)
    long_name = "lookup_" + "x" * 93  # 100 characters: the most a widget name may have

    rename(chatbot, "http_order_lookup", long_name, alice)

    assert set(test_runs.mocks_of(chatbot)) == {long_name}
    assert long_name in {s["name"] for s in services.export_flow(chatbot)["states"]}
