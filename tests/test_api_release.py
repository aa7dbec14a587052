"""A rendered list or create response is freed by reference counting (editor/api/
release.py), not left in a cycle for the garbage collector, and still answers in full."""

from __future__ import annotations

import gc
import weakref

import pytest
from django.core.handlers.base import BaseHandler
from django.test import RequestFactory

from editor import services
from editor.samples import sample_text

from .test_api_flows import basic_auth

pytestmark = pytest.mark.django_db


@pytest.fixture
def authorization(team):
    key, secret = services.create_api_key(team)
    return basic_auth(key.sid, secret)


def served(request):
    """The response as the server handles it: rendered, its content read, closed; and a
    weak reference to it once the handler and this function let go of it."""
    handler = BaseHandler()
    handler.load_middleware()
    response = handler.get_response(request)
    content, status = response.content, response.status_code
    response.close()
    return status, content, weakref.ref(response)


def without_the_collector(make_request):
    gc.collect()
    gc.disable()
    try:
        status, content, ref = served(make_request())
        return status, content, ref() is None
    finally:
        gc.enable()


def test_a_list_page_is_freed_once_served(team, authorization):
    services.import_flow(team, sample_text("appointment-reminder"), publish=True)
    factory = RequestFactory()

    status, content, freed = without_the_collector(
        lambda: factory.get("/v2/Flows", HTTP_AUTHORIZATION=authorization)
    )

    assert status == 200 and b'"flows":[{"sid":"FW' in content
    assert freed


def test_a_created_execution_is_freed_once_served(team, authorization):
    flow = services.import_flow(team, sample_text("appointment-reminder"), publish=True)
    factory = RequestFactory()

    status, content, freed = without_the_collector(
        lambda: factory.post(
            f"/v2/Flows/{flow.sid}/Executions",
            "To=%2B15550001111&From=%2B15550006000",
            content_type="application/x-www-form-urlencoded",
            HTTP_AUTHORIZATION=authorization,
        )
    )

    assert status == 201 and b'"sid":"FN' in content
    assert freed
