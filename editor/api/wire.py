"""Twilio's wire format out: snake_case JSON resources.

Resources carry absolute URLs built from the request's host, so an SDK pointed at this
server (`client.studio.base_url = ...`) follows `next_page_url` back to it. Parameters in
are in params.py, paging in paging.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import get_script_prefix

from .. import services
from ..flowspec.problems import wire
from ..models import Execution, ExecutionStep, Flow, FlowRevision


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC, seconds precision, as Twilio writes dates: 2017-11-06T12:00:00Z."""
    if moment is None:
        return None
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    if moment.year < 1000:  # strftime's %Y does not pad them; kept as it always wrote them
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    # A third of strftime's cost, and a list page writes two per flow.
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (  # noqa: UP031
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
    )


@dataclass(frozen=True)
class Urls:
    """Absolute URLs of the resources, on the host the client used."""

    root: str

    @classmethod
    def of(cls, request: HttpRequest) -> Urls:
        return cls(request.build_absolute_uri(get_script_prefix()).rstrip("/"))

    @cached_property
    def flows(self) -> str:
        return f"{self.root}/v2/Flows"

    def flow(self, sid: str) -> str:
        return f"{self.flows}/{sid}"

    def webhook(self, account_sid: str, flow_sid: str) -> str:
        return f"{self.root}/v1/Accounts/{account_sid}/Flows/{flow_sid}"

    def executions(self, flow_sid: str) -> str:
        return f"{self.flow(flow_sid)}/Executions"

    def execution(self, flow_sid: str, sid: str) -> str:
        return f"{self.executions(flow_sid)}/{sid}"

    def step(self, flow_sid: str, execution_sid: str, sid: str) -> str:
        return f"{self.execution(flow_sid, execution_sid)}/Steps/{sid}"


def flow_json(flow: Flow, urls: Urls, *, full: bool = True) -> dict[str, Any]:
    """The Flow resource; lists leave out the definition and the validation results."""
    row = {
        "sid": flow.sid,
        "account_sid": flow.team.account_sid,
        "author_sid": services.author_sid(flow.author),
        "friendly_name": flow.friendly_name,
        "status": flow.status,
        "revision": flow.revision,
        "commit_message": flow.commit_message,
        "date_created": flow.date_created,
        "date_updated": flow.date_updated,
    }
    if not full:
        return flow_resource(row, urls)
    # Stored problems carry a hint for the pages; the wire has Twilio's two keys.
    return flow_resource(
        row,
        urls,
        definition=flow.definition(),
        valid=flow.valid,
        errors=[wire(e) for e in flow.errors],
        warnings=[wire(w) for w in flow.warnings],
    )


def flow_list_json(row: dict[str, Any], urls: Urls) -> dict[str, Any]:
    """A Flow resource in a list, from a row of Flow.objects.list_rows()."""
    if row["author_sid"] is None and row["author_id"] is not None:
        # An author without a profile yet (made outside the app): as flow_json does.
        row["author_sid"] = services.author_sid(get_user_model()(pk=row["author_id"]))
    return flow_resource(row, urls)


def flow_resource(
    row: dict[str, Any],
    urls: Urls,
    *,
    definition: dict[str, Any] | None = None,
    valid: bool | None = None,
    errors: list[Any] | None = None,
    warnings: list[Any] | None = None,
) -> dict[str, Any]:
    sid, account_sid = row["sid"], row["account_sid"]
    url = urls.flow(sid)
    return {
        "sid": sid,
        "account_sid": account_sid,
        "author_sid": row["author_sid"],
        "friendly_name": row["friendly_name"],
        "definition": definition,
        "status": row["status"],
        "revision": row["revision"],
        "commit_message": row["commit_message"],
        "valid": valid,
        "errors": errors,
        "warnings": warnings,
        "webhook_url": urls.webhook(account_sid, sid),
        "date_created": iso(row["date_created"]),
        "date_updated": iso(row["date_updated"]),
        "url": url,
        "links": {
            "test_users": f"{url}/TestUsers",
            "revisions": f"{url}/Revisions",
            "executions": f"{url}/Executions",
        },
    }


def revision_json(
    revision: FlowRevision, flow: Flow, urls: Urls, *, full: bool = True
) -> dict[str, Any]:
    """The FlowRevision resource; lists leave out the definition and the validation
    results (`valid` and `errors` null), as Twilio's list of revisions does, like its
    list of flows (flow_json)."""
    return {
        "sid": flow.sid,
        "account_sid": flow.team.account_sid,
        "author_sid": services.author_sid(revision.author),
        "friendly_name": revision.friendly_name,
        "definition": revision.definition if full else None,
        "status": revision.status,
        "revision": revision.revision,
        "commit_message": revision.commit_message,
        "valid": revision.valid if full else None,
        "errors": [wire(e) for e in revision.errors] if full else None,
        "date_created": iso(revision.date_created),
        # Revisions are append-only: last changed when made.
        "date_updated": iso(revision.date_created),
        "url": f"{urls.flow(flow.sid)}/Revisions/{revision.revision}",
    }


def test_users_json(flow: Flow, urls: Urls) -> dict[str, Any]:
    return {
        "sid": flow.sid,
        "test_users": flow.test_users,
        "url": f"{urls.flow(flow.sid)}/TestUsers",
    }


def execution_json(
    execution: Execution, flow: Flow, urls: Urls, *, context: bool = True
) -> dict[str, Any]:
    """The Execution resource; create answers with an empty context, as Twilio does."""
    url = urls.execution(flow.sid, execution.sid)
    return {
        "sid": execution.sid,
        "account_sid": flow.team.account_sid,
        "flow_sid": flow.sid,
        "contact_channel_address": execution.contact_channel_address,
        "contact_sid": execution.contact_sid,
        "flow_version": execution.flow_version,
        "context": execution.context if context else {},
        "status": execution.status,
        "date_created": iso(execution.date_created),
        "date_updated": iso(execution.date_updated),
        "initiated_by": execution.initiated_by or None,
        "url": url,
        "links": {"steps": f"{url}/Steps", "execution_context": f"{url}/Context"},
    }


def execution_context_json(execution: Execution, flow: Flow, urls: Urls) -> dict[str, Any]:
    return {
        "account_sid": flow.team.account_sid,
        "context": execution.context,
        "flow_sid": flow.sid,
        "execution_sid": execution.sid,
        "url": f"{urls.execution(flow.sid, execution.sid)}/Context",
    }


def step_context(step: ExecutionStep) -> Any:
    # Stored as the engine wrote it; blank when snapshots were off.
    return json.loads(step.context) if step.context else {}


def step_json(step: ExecutionStep, execution: Execution, flow: Flow, urls: Urls) -> dict[str, Any]:
    # flow_sid is the execution's flow, the one the URL names, also for a subflow's steps.
    url = urls.step(flow.sid, execution.sid, step.sid)
    return {
        "sid": step.sid,
        "account_sid": flow.team.account_sid,
        "flow_sid": flow.sid,
        "execution_sid": execution.sid,
        "parent_step_sid": step.parent_step_sid or None,
        "name": step.name,
        "context": step_context(step),
        "transitioned_from": step.transitioned_from,
        "transitioned_to": step.transitioned_to,
        "type": step.type,
        "date_created": iso(step.date_created),
        # Steps are append-only: last changed when made.
        "date_updated": iso(step.date_created),
        "url": url,
        "links": {"step_context": f"{url}/Context"},
    }


def step_context_json(
    step: ExecutionStep, execution: Execution, flow: Flow, urls: Urls
) -> dict[str, Any]:
    return {
        "account_sid": flow.team.account_sid,
        "context": step_context(step),
        "execution_sid": execution.sid,
        "flow_sid": flow.sid,
        "step_sid": step.sid,
        "url": f"{urls.step(flow.sid, execution.sid, step.sid)}/Context",
    }
