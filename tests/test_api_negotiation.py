"""Content negotiation (editor/api/negotiation.py): its fast path answers as DRF's own
negotiation does, for the Accept headers it answers and for those it leaves to DRF."""

from __future__ import annotations

import pytest
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from editor.api.negotiation import ApiNegotiation

ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "",
    "application/json; indent=4",
    "application/*",
    "*/*;q=0.8",
    "text/html",
    "text/html, application/json",
    "application/json, */*",
    "APPLICATION/JSON",
]


def answer(negotiation, accept, query="", renderers=None, format_suffix=None):
    extra = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get(f"/v2/Flows{query}", **extra))
    try:
        renderer, media_type = negotiation.select_renderer(
            request, renderers or [JSONRenderer()], format_suffix
        )
    except NotAcceptable:
        return "406"
    return type(renderer), media_type


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("query", ["", "?format=json", "?format=api", "?format="])
def test_the_fast_path_answers_as_drf_does(accept, query):
    drf, fast = DefaultContentNegotiation(), ApiNegotiation()
    try:
        expected = answer(drf, accept, query)
    except Exception as error:  # an unknown ?format= is DRF's 404
        with pytest.raises(type(error)):
            answer(fast, accept, query)
        return
    assert answer(fast, accept, query) == expected


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "text/html"])
def test_other_renderers_and_format_suffixes_go_to_drf(accept):
    drf, fast = DefaultContentNegotiation(), ApiNegotiation()
    html = [TemplateHTMLRenderer()]
    assert answer(fast, accept, renderers=html) == answer(drf, accept, renderers=html)
    assert answer(fast, accept, format_suffix="json") == answer(drf, accept, format_suffix="json")


@pytest.mark.django_db
def test_the_api_answers_json_and_refuses_what_it_cannot_send(signed):
    assert signed.get("/v2/Flows")["Content-Type"] == "application/json"
    assert signed.get("/v2/Flows", HTTP_ACCEPT="application/json").status_code == 200
    assert signed.get("/v2/Flows", HTTP_ACCEPT="text/html").status_code == 406
