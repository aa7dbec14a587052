"""`GET /healthz` answers a constant "ok" to anyone, and reveals nothing else."""

from __future__ import annotations

import pytest

from editor import services

from .test_api_flows import basic_auth

pytestmark = pytest.mark.django_db


def test_it_answers_ok_without_credentials(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Content-Type"] == "application/json"


def test_it_sets_no_cookie_and_varies_on_nothing(client):
    response = client.get("/healthz")

    assert not response.cookies
    assert "Vary" not in response


def test_it_gives_the_same_answer_whatever_the_credentials(client, team, alice):
    key, secret = services.create_api_key(team)
    signed_in = client.get("/healthz", HTTP_AUTHORIZATION=basic_auth(key.sid, secret))
    wrong = client.get("/healthz", HTTP_AUTHORIZATION=basic_auth(key.sid, "not-the-secret"))
    junk = client.get("/healthz", HTTP_AUTHORIZATION="Basic !!!")
    client.force_login(alice)
    session = client.get("/healthz")

    answers = [signed_in, wrong, junk, session]
    assert [r.status_code for r in answers] == [200] * 4
    assert all(r.content == signed_in.content for r in answers)


def test_it_answers_head_without_a_body(client):
    response = client.head("/healthz")

    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_it_refuses_every_other_method_without_describing_itself(client, method):
    response = getattr(client, method)("/healthz")

    assert response.status_code == 405
    assert set(response.json()) == {"code", "message", "more_info", "status"}
    assert "health" not in response.content.decode().lower()
