"""The site's own static assets: the favicon, and the API docs served without a CDN."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ATTRIBUTE_URL = re.compile(r'\b(?:src|href)="([^"]*)"')


def fetch(client: Client, url: str):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_favicon_ico_redirects_to_our_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    icon, body = fetch(client, response["Location"])
    assert icon.status_code == 200
    assert body.startswith(b"\x00\x00\x01\x00")  # an ICO header


def test_every_page_links_the_favicon_and_it_is_served(client):
    page = client.get(reverse("login")).content.decode()

    icons = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert icons == ["/static/favicon.ico", "/static/favicon.svg"]
    response, body = fetch(client, icons[1])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert body.startswith(b"<svg")


def test_api_docs_load_only_same_origin_static_files(client):
    response = client.get("/api/docs/")
    page = response.content.decode()

    assert response.status_code == 200
    urls = ATTRIBUTE_URL.findall(page)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    for url in urls:
        assert url.startswith("/static/") and not url.startswith("//"), url
        static, body = fetch(client, url)
        assert static.status_code == 200, url
        assert body, url
    assert not re.search(r"https?://|//[a-z]", page)  # no other origin, not even inline
    assert re.search(r'"validatorUrl":\s*null', page)
