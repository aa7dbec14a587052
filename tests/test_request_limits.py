"""The request size limit, as each client sees it: stated on the import page and checked
there before upload, a page for a browser, Twilio's envelope on /v2/, JSON for the canvas."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from editor import services
from editor.api.limits import size_label
from editor.models import Flow
from editor.samples import load_sample

from .browser_support import new_context
from .test_api_bad_input import FORM, MIB, asgi_request
from .test_api_flows import basic_auth

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def flow(team, alice):
    return services.create_flow(
        team, friendly_name="Tutorial", definition=load_sample("conversations-tutorial")
    )


def oversized_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("huge.json", b" " * (5 * MIB), content_type="application/json")


@pytest.mark.parametrize(
    "size,label",
    [
        (MIB, "1 MB"),
        (5 * MIB + 1, "5 MB"),
        (1536 * 1024, "1.5 MB"),
        (2048, "2 KB"),
        (10, "10 bytes"),
    ],
)
def test_sizes_are_labelled_the_way_file_managers_show_them(size, label):
    assert size_label(size) == label


def test_the_import_page_states_the_limit_before_upload(browser, team):
    page = browser.get(reverse("flow_import")).content.decode()

    assert "up to 1 MB." in page
    assert "A .json file, up to 1 MB." in page
    file_input = re.search(r'<input type="file"[^>]*>', page).group(0)
    assert 'accept=".json,application/json"' in file_input
    assert 'data-max-bytes="1048576"' in file_input
    assert 'data-max-label="1 MB"' in file_input
    assert "/static/editor/import.js" in page
    assert browser.get("/static/editor/import.js").status_code == 200


def test_an_oversized_upload_to_a_page_gets_a_page_saying_what_to_do(browser, team):
    response = browser.post(reverse("flow_import"), {"team": "acme", "file": oversized_upload()})
    page = response.content.decode()

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert '<header class="topbar">' in page  # the site's own layout (base.html)
    assert "/static/editor/app.css" in page
    assert "That was too large to accept" in page
    assert re.search(r"You sent 5 MB; the limit is <strong>1 MB</strong>", page)
    assert "Check that you chose the flow's JSON export" in page
    assert "alice" in page  # signed in, as on every page
    assert f'href="{reverse("flow_import")}"' in page
    assert not Flow.objects.exists()


def test_a_body_just_over_the_limit_is_not_said_to_be_the_limit(browser, team):
    """1,100,000 bytes rounds to "1 MB": "You sent 1 MB; the limit is 1 MB" read as allowed."""
    upload = SimpleUploadedFile("big.json", b" " * (MIB + 50_000), content_type="application/json")
    page = browser.post(reverse("flow_import"), {"team": "acme", "file": upload}).content.decode()

    assert re.search(r"You sent more than 1 MB; the limit is <strong>1 MB</strong>", page)


def test_an_oversized_chunked_body_to_a_page_gets_the_page_too():
    """Under ASGI a body may come without a Content-Length: its size is not known."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/flows/import/",
        "raw_path": b"/flows/import/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", FORM.encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    status, body = asyncio.run(asgi_request(scope, [b"x" * (64 * 1024)] * 17))

    assert status == 413
    assert b"over the limit is <strong>1 MB</strong>" in body


def test_a_malformed_content_length_to_a_page_gets_a_page(browser):
    response = browser.post(reverse("flow_import"), "a=b", content_type=FORM, CONTENT_LENGTH="x")

    assert response.status_code == 400
    assert '<header class="topbar">' in response.content.decode()
    assert "The Content-Length header is not a number" in response.content.decode()


def test_an_oversized_body_to_the_studio_api_keeps_twilios_envelope(client, team, alice):
    key, secret = services.create_api_key(team, created_by=alice)

    response = client.post(
        "/v2/Flows",
        "FriendlyName=" + "x" * (2 * MIB),
        content_type=FORM,
        headers={"Authorization": basic_auth(key.sid, secret)},
    )

    assert response.status_code == 413
    assert response.json() == {
        "code": 20413,
        "message": "The request body is larger than 1048576 bytes",
        "more_info": "https://www.twilio.com/docs/errors/20413",
        "status": 413,
    }


def test_an_oversized_body_to_the_canvas_api_is_json_with_the_limit(browser, flow):
    response = browser.post(
        f"/api/editor/flows/{flow.sid}/import",
        json.dumps({"definition": "x" * (2 * MIB)}),
        content_type="application/json",
    )

    assert response.status_code == 413
    body = response.json()
    assert body["limit"] == MIB
    assert body["code"] == 20413 and body["status"] == 413
    # The canvas shows `message` (editor/frontend/src/api.js).
    assert body["message"].startswith("This is larger than the 1 MB limit, so nothing was saved.")


def import_page(chromium, live_server, user):
    """The import page in `user`'s browser, and the list of POSTs it sends from then on."""
    context = new_context(chromium, live_server, user)
    page = context.new_page()
    uploads = []
    page.on("request", lambda request: uploads.append(request) if request.method == "POST" else 0)
    page.goto(f"{live_server.url}{reverse('flow_import')}")
    return context, page, uploads


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("insecure_cookies")
def test_the_import_page_refuses_an_oversized_file_before_uploading_it(
    chromium, live_server, alice, team
):
    context, page, uploads = import_page(chromium, live_server, alice)
    file_input = page.locator("input[type=file]")

    file_input.set_input_files(
        {"name": "huge.json", "mimeType": "application/json", "buffer": b" " * (2 * MIB)}
    )
    page.click("button[type=submit].button-primary")

    message = file_input.evaluate("input => input.validationMessage")
    assert message == (
        "This file is 2.0 MB; the limit is 1 MB. "
        "Choose the flow's JSON export: Studio flows are far smaller."
    )
    assert uploads == []
    file_input.set_input_files(
        {"name": "small.json", "mimeType": "application/json", "buffer": b"{}"}
    )
    assert file_input.evaluate("input => input.validationMessage") == ""
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("insecure_cookies")
def test_the_import_page_refuses_oversized_pasted_json_and_says_what_to_paste(
    chromium, live_server, alice, team
):
    context, page, uploads = import_page(chromium, live_server, alice)
    text = page.locator("textarea[name=text]")
    text.evaluate(
        "(area, size) => { area.value = ' '.repeat(size);"
        " area.dispatchEvent(new Event('change')); }",
        2 * MIB,
    )
    page.click("button[type=submit].button-primary")

    assert text.evaluate("area => area.validationMessage") == (
        "The pasted JSON is 2.0 MB; the limit is 1 MB. "
        "Paste only the flow's JSON export: Studio flows are far smaller."
    )
    assert uploads == []
    context.close()


@pytest.mark.parametrize("path", ["//evil.example/flows/import/", "/\\evil.example/x"])
def test_the_back_link_of_the_too_large_page_stays_on_this_site(browser, path):
    """A page of another site can post a huge body to `//evil.example/…` here (browsers keep
    the double slash): the page's Back link must not become a link to that site."""
    response = browser.generic(
        "POST", "/flows/import/", b"x" * (MIB + 1), content_type=FORM, PATH_INFO=path
    )
    back = re.search(r'<a class="button" href="([^"]*)">Back</a>', response.content.decode())

    assert response.status_code == 413
    assert back is not None
    assert back.group(1) == "/"
