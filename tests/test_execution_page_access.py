"""Who may see and end executions on the pages: anonymous visitors are sent to the login
page, outsiders get 404, an execution is found only under its own flow, a viewer reads but
cannot end, and an editor ends an active run with a CSRF-checked POST, once."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from editor.models import Execution

from .execution_pages_support import (
    client_for,
    detail_url,
    finish,
    flow_fixture,  # noqa: F401 (the `flow` fixture)
    list_url,
    listed,
    other_flow_fixture,  # noqa: F401 (the `other_flow` fixture)
    start,
)

pytestmark = pytest.mark.django_db


def end_url(flow, execution) -> str:
    return reverse("execution_end", args=[flow.sid, execution.sid])


@pytest.mark.parametrize("name", ["flow_executions", "execution_detail"])
def test_anonymous_visitors_are_sent_to_the_login_page(flow, name):
    execution = start(flow, "+15551000001")
    args = [flow.sid] if name == "flow_executions" else [flow.sid, execution.sid]
    url = reverse(name, args=args)

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_outsiders_get_404_for_the_flow_its_executions_and_their_steps(flow, dave):
    execution = finish(start(flow, "+15551000001"))
    step = execution.steps.first()
    client = client_for(dave)

    assert client.get(list_url(flow)).status_code == 404
    assert client.get(detail_url(flow, execution)).status_code == 404
    step_url = reverse("execution_step_context", args=[flow.sid, execution.sid, step.sid])
    assert client.get(step_url).status_code == 404
    assert client.post(end_url(flow, start(flow, "+15551000002"))).status_code == 404


def test_an_execution_is_found_only_under_its_own_flow(flow, other_flow, alice):
    elsewhere = start(other_flow, "+15551000001")
    step = elsewhere.steps.first()
    client = client_for(alice)

    assert client.get(detail_url(flow, elsewhere)).status_code == 404
    assert client.post(end_url(flow, elsewhere)).status_code == 404
    step_url = reverse("execution_step_context", args=[flow.sid, elsewhere.sid, step.sid])
    assert client.get(step_url).status_code == 404
    assert Execution.objects.get(pk=elsewhere.pk).status == "active"


def test_unknown_and_malformed_sids_are_404(flow, alice):
    client = client_for(alice)

    assert client.get(f"/flows/{flow.sid}/executions/FN{'0' * 32}/").status_code == 404
    assert client.get(f"/flows/{flow.sid}/executions/FNxyz/").status_code == 404
    assert client.get(f"/flows/FW{'0' * 32}/executions/").status_code == 404


def test_a_viewer_reads_but_cannot_end_an_execution(flow, carol):
    execution = start(flow, "+15551000001")
    client = client_for(carol)

    assert listed(client.get(list_url(flow))) == [execution.sid]
    body = client.get(detail_url(flow, execution)).content.decode()
    assert "Waiting for" in body and "End execution" not in body
    assert client.post(end_url(flow, execution)).status_code == 403
    assert Execution.objects.get(pk=execution.pk).status == "active"


def test_an_editor_ends_an_active_execution_with_a_csrf_checked_post(flow, bob):
    execution = start(flow, "+15551000001")
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    page = client.get(detail_url(flow, execution))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())

    assert client.post(end_url(flow, execution)).status_code == 403  # no token
    response = client.post(end_url(flow, execution), {"csrfmiddlewaretoken": token.group(1)})

    assert response.status_code == 302
    assert response["Location"] == detail_url(flow, execution)
    ended = Execution.objects.get(pk=execution.pk)
    assert (ended.status, ended.ended_reason) == ("ended", "API_ENDED")
    body = client.get(response["Location"]).content.decode()
    assert f"Ended {execution.sid}." in body and "End execution" not in body


def test_ending_an_execution_that_has_ended_says_so(flow, alice):
    execution = finish(start(flow, "+15551000001"))
    client = client_for(alice)

    response = client.post(end_url(flow, execution), follow=True)

    assert f"{execution.sid} had already ended." in response.content.decode()
    assert Execution.objects.get(pk=execution.pk).ended_reason == "FLOW_END"


def test_ending_takes_a_post_only(flow, alice):
    execution = start(flow, "+15551000001")

    assert client_for(alice).get(end_url(flow, execution)).status_code == 405
