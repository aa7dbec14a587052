"""Every way a flow definition (or an edit of one) can be written, behind one interface.

The bad-input tests send the same payloads through each entry and check two things: the
answer is a 4xx, never a 5xx, and a refused write leaves the stored flow as it was.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from editor import services
from editor.models import Execution, Flow, FlowRevision

from .test_api_flows import basic_auth, studio_definition

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(name="entries")
def entries_fixture(team: Any, alice: Any) -> Entries:
    return Entries(team, alice)


@pytest.fixture(name="flow")
def hello_flow_fixture(team: Any, alice: Any) -> Flow:
    return services.create_flow(
        team, friendly_name="Hello", definition=studio_definition(), author=alice
    )


@dataclass(frozen=True)
class Answer:
    """What an entry said: an HTTP status (a command's refusal counts as 400), its text, and
    whether it took the write (the import page re-renders its form, 200, when it did not)."""

    status: int
    text: str
    accepted: bool


def http_answer(response: Any, *, accepted: bool | None = None) -> Answer:
    status = response.status_code
    took = 200 <= status < 300 if accepted is None else accepted
    return Answer(status, response.content.decode(errors="replace"), took)


class Entries:
    """The write endpoints, as one signed-in editor (alice) and one API key of her team."""

    def __init__(self, team: Any, user: Any) -> None:
        self.team = team
        key, secret = services.create_api_key(team, created_by=user)
        self.api = Client()
        self.api_headers = {"Authorization": basic_auth(key.sid, secret)}
        self.browser = Client(enforce_csrf_checks=True)
        self.browser.force_login(user)
        self.browser.get("/")  # sets the CSRF cookie

    # The Studio REST API, form-encoded as Twilio's SDKs send it.
    def v2(self, path: str, fields: dict[str, Any]) -> Answer:
        response = self.api.post(
            path, urlencode(fields), content_type=FORM, headers=self.api_headers
        )
        return http_answer(response)

    def v2_create(self, text: str) -> Answer:
        return self.v2("/v2/Flows", {"FriendlyName": "X", "Status": "draft", "Definition": text})

    def v2_update(self, flow: Flow, text: str) -> Answer:
        return self.v2(f"/v2/Flows/{flow.sid}", {"Status": "draft", "Definition": text})

    def v2_validate(self, text: str) -> Answer:
        fields = {"FriendlyName": "X", "Status": "draft", "Definition": text}
        return self.v2("/v2/Flows/Validate", fields)

    # The pages.
    def import_page(self, text: str, *, allow_problems: bool = True) -> Answer:
        fields = {"text": text, "team": self.team.slug, "friendly_name": "Imported"}
        if allow_problems:
            fields["allow_problems"] = "on"
        token = self.browser.cookies["csrftoken"].value
        response = self.browser.post("/flows/import/", fields, HTTP_X_CSRFTOKEN=token)
        # A successful import redirects to the new flow's page.
        return http_answer(response, accepted=response.status_code == 302)

    def import_command(self, text: str, *, allow_problems: bool = True) -> Answer:
        options = ["--allow-problems"] if allow_problems else []
        err = io.StringIO()
        try:
            call_command(
                "import_flow",
                "-",
                "--team",
                self.team.slug,
                *options,
                stdin=io.StringIO(text),
                stdout=io.StringIO(),
                stderr=err,
            )
        except CommandError as exc:
            return Answer(400, f"{err.getvalue()}{exc}", accepted=False)
        return Answer(200, err.getvalue(), accepted=True)

    # The canvas API (JSON bodies, session and CSRF).
    def canvas(self, flow: Flow, action: str, body: str | dict[str, Any]) -> Answer:
        token = self.browser.cookies["csrftoken"].value
        text = body if isinstance(body, str) else json.dumps(body)
        response = self.browser.post(
            f"/api/editor/flows/{flow.sid}/{action}",
            text.encode(errors="surrogatepass"),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=token,
        )
        return http_answer(response)

    def canvas_import(self, flow: Flow, text: str) -> Answer:
        flow.refresh_from_db()
        body = {"base_version": flow.version, "definition": text, "allow_problems": True}
        return self.canvas(flow, "import", body)

    def canvas_edit(self, flow: Flow, ops: Any) -> Answer:
        flow.refresh_from_db()
        return self.canvas(flow, "edits", {"base_version": flow.version, "ops": ops})

    def read_statuses(self, flow: Flow) -> dict[str, int]:
        """The status of every page and resource that shows `flow`."""
        api = {
            "v2-flow": f"/v2/Flows/{flow.sid}",
            "v2-revision": f"/v2/Flows/{flow.sid}/Revisions/LatestRevision",
            "v2-flows": "/v2/Flows",
        }
        pages = {
            "page": f"/flows/{flow.sid}/",
            "export": f"/flows/{flow.sid}/export/",
            "canvas": f"/api/editor/flows/{flow.sid}",
            "flow-list": "/",
        }
        statuses = {
            k: self.api.get(u, headers=self.api_headers).status_code for k, u in api.items()
        }
        statuses.update({k: self.browser.get(u).status_code for k, u in pages.items()})
        return statuses

    def definition_writers(self, flow: Flow) -> dict[str, Callable[[str], Answer]]:
        """Each entry that takes a whole definition as JSON text."""
        return {
            "v2-create": self.v2_create,
            "v2-update": lambda text: self.v2_update(flow, text),
            "v2-validate": self.v2_validate,
            "import-page": self.import_page,
            "import-command": self.import_command,
            "canvas-import": lambda text: self.canvas_import(flow, text),
        }


def snapshot(flow: Flow) -> dict[str, Any]:
    """Everything a refused write must leave alone, in a comparable form."""
    flow = Flow.objects.get(pk=flow.pk)
    return {
        "flows": sorted(Flow.objects.values_list("sid", flat=True)),
        "executions": Execution.objects.count(),
        "definition": json.dumps(services.export_flow(flow)),
        "working": (flow.friendly_name, flow.version, flow.revision, flow.status),
        "settings": (flow.test_users, flow.commit_message, flow.valid, flow.errors),
        "revisions": [
            (r.revision, r.status, r.commit_message, json.dumps(r.definition))
            for r in FlowRevision.objects.filter(flow=flow).order_by("revision")
        ],
    }
