"""Twilio's wire format: PascalCase form parameters in, snake_case JSON resources out.

Resources carry absolute URLs built from the request's host, so an SDK pointed at this
server (`client.studio.base_url = ...`) follows `next_page_url` back to it.
"""

from __future__ import annotations

import binascii
import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import get_script_prefix
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework import serializers

from .. import services
from ..flowspec.jsontext import load_json
from ..flowspec.problems import DocumentError, Problem
from ..models import Execution, ExecutionStep, Flow, FlowRevision
from ..models import Status as FlowStatus
from .errors import first_detail, flow_invalid, invalid_parameter, missing_parameter


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC, seconds precision, as Twilio writes dates: 2017-11-06T12:00:00Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def author_sid(user: Any) -> str | None:
    if user is None:
        return None
    try:
        return user.profile.sid  # select_related in list queries avoids a query per row
    except ObjectDoesNotExist:
        return services.author_sid(user)


@dataclass(frozen=True)
class Urls:
    """Absolute URLs of the resources, on the host the client used."""

    root: str

    @classmethod
    def of(cls, request: HttpRequest) -> Urls:
        return cls(request.build_absolute_uri(get_script_prefix()).rstrip("/"))

    @property
    def flows(self) -> str:
        return f"{self.root}/v2/Flows"

    def flow(self, sid: str) -> str:
        return f"{self.flows}/{sid}"

    def webhook(self, flow: Flow) -> str:
        return f"{self.root}/v1/Accounts/{flow.team.account_sid}/Flows/{flow.sid}"

    def executions(self, flow_sid: str) -> str:
        return f"{self.flow(flow_sid)}/Executions"

    def execution(self, flow_sid: str, sid: str) -> str:
        return f"{self.executions(flow_sid)}/{sid}"

    def step(self, flow_sid: str, execution_sid: str, sid: str) -> str:
        return f"{self.execution(flow_sid, execution_sid)}/Steps/{sid}"


def flow_json(flow: Flow, urls: Urls, *, full: bool = True) -> dict[str, Any]:
    """The Flow resource; lists leave out the definition and the validation results."""
    url = urls.flow(flow.sid)
    return {
        "sid": flow.sid,
        "account_sid": flow.team.account_sid,
        "author_sid": author_sid(flow.author),
        "friendly_name": flow.friendly_name,
        "definition": flow.definition() if full else None,
        "status": flow.status,
        "revision": flow.revision,
        "commit_message": flow.commit_message,
        "valid": flow.valid if full else None,
        "errors": flow.errors if full else None,
        "warnings": [] if full else None,
        "webhook_url": urls.webhook(flow),
        "date_created": iso(flow.date_created),
        "date_updated": iso(flow.date_updated),
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
    return {
        "sid": flow.sid,
        "account_sid": flow.team.account_sid,
        "author_sid": author_sid(revision.author),
        "friendly_name": revision.friendly_name,
        "definition": revision.definition if full else None,
        "status": revision.status,
        "revision": revision.revision,
        "commit_message": revision.commit_message,
        "valid": revision.valid,
        "errors": revision.errors,
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


# Parameters in. The serializers validate form fields and document them in the OpenAPI
# schema; `parse` turns their errors into Twilio's 20001 messages.

FRIENDLY_NAME_MAX = 200  # Flow.friendly_name


class FlowCreateParams(serializers.Serializer):
    FriendlyName = serializers.CharField(max_length=FRIENDLY_NAME_MAX)
    Status = serializers.ChoiceField(choices=FlowStatus.values)
    Definition = serializers.CharField(trim_whitespace=False, help_text="Studio flow JSON")
    CommitMessage = serializers.CharField(required=False, allow_blank=True)


class FlowUpdateParams(serializers.Serializer):
    Status = serializers.ChoiceField(choices=FlowStatus.values)
    FriendlyName = serializers.CharField(max_length=FRIENDLY_NAME_MAX, required=False)
    Definition = serializers.CharField(
        trim_whitespace=False, required=False, help_text="Replaces the definition wholesale"
    )
    CommitMessage = serializers.CharField(required=False, allow_blank=True)


class TestUsersParams(serializers.Serializer):
    # Blank entries are dropped by services.set_test_users.
    TestUsers = serializers.ListField(child=serializers.CharField(max_length=256, allow_blank=True))


ADDRESS_MAX = 255  # Execution.contact_channel_address and flow_channel_address


class ExecutionCreateParams(serializers.Serializer):
    To = serializers.CharField(max_length=ADDRESS_MAX, help_text="The contact's address")
    From = serializers.CharField(max_length=ADDRESS_MAX, help_text="The flow's address")
    Parameters = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="A JSON object, as a string; the flow sees it as flow.data",
    )


class ExecutionUpdateParams(serializers.Serializer):
    # A plain string, not a one-choice enum: its schema component would collide with the
    # flows' Status enum (draft, published) in drf-spectacular's enum naming.
    Status = serializers.CharField(help_text="`ended`, the only update there is")

    def validate_Status(self, value: str) -> str:
        if value != "ended":
            raise serializers.ValidationError(f'"{value}" is not a valid choice; use "ended"')
        return value


def parse(params_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """Validated parameters, or a 400 naming the first bad one."""
    params = params_class(data=data)
    if params.is_valid():
        return dict(params.validated_data)
    name, errors = next(iter(params.errors.items()))
    error = first_detail(errors)
    code = getattr(error, "code", None)
    field = params.fields.get(name)
    # A required parameter sent blank is as good as missing; an optional one is just bad.
    if code == "required" or (code in ("blank", "empty") and field is not None and field.required):
        raise missing_parameter(name)
    raise invalid_parameter(name, str(error))


def parse_definition(text: str) -> Any:
    """The Definition parameter as JSON, within the size and depth limits."""
    try:
        value = load_json(text)
    except DocumentError as exc:
        raise flow_invalid(exc.problems) from None
    if not isinstance(value, dict):
        # Also keeps `null` from meaning "no new definition" on update.
        raise flow_invalid([Problem("a flow definition must be a JSON object", "#")])
    return value


def parse_parameters(text: str | None) -> dict[str, Any]:
    """The Parameters JSON string as flow.data, within the limits Definition has."""
    if not text:
        return {}
    try:
        value = load_json(text)
    except DocumentError as exc:
        raise invalid_parameter("Parameters", exc.problems[0].message) from None
    if not isinstance(value, dict):
        raise invalid_parameter("Parameters", "must be a JSON object")
    return value


def datetime_parameter(query: Mapping[str, str], name: str) -> datetime | None:
    """An ISO 8601 date-time filter in UTC; a bare date means its midnight, UTC."""
    text = query.get(name)
    if not text:
        return None
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime.combine(day, time(), UTC) if day else None
        if moment is not None:
            # Naive times are UTC, Twilio's time zone; the conversion can overflow at year 1.
            moment = moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        raise invalid_parameter(name, "must be an ISO 8601 date-time")
    return moment


# Paging. `Page`/`PageSize` address a page by offset; `PageToken` (which next_page_url
# carries) resumes after the last row of the previous page, so a client that deletes as it
# pages, or meets new rows, neither skips nor repeats any.

PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 1000
PAGE_MAX = 1_000_000  # keeps Page * PageSize well inside a 64-bit OFFSET


@dataclass(frozen=True)
class Paging:
    page: int
    page_size: int
    token: str | None


@dataclass(frozen=True)
class Keyset:
    """How one list orders its rows and resumes after a PageToken."""

    keys_of: Callable[[Any], list[str]]
    # Rows after the given keys; raises ValueError when the keys are malformed.
    after: Callable[[QuerySet, list[str]], QuerySet]


def paging_of(query: QueryDict) -> Paging:
    page_size = int_parameter(query, "PageSize", PAGE_SIZE_DEFAULT, 1, PAGE_SIZE_MAX)
    page = int_parameter(query, "Page", 0, 0, PAGE_MAX)
    token = query.get("PageToken") or None
    return Paging(page, page_size, token)


def int_parameter(query: QueryDict, name: str, default: int, low: int, high: int) -> int:
    text = query.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise invalid_parameter(name, "must be an integer") from None
    if not low <= value <= high:
        raise invalid_parameter(name, f"must be between {low} and {high}")
    return value


def encode_token(keys: list[str]) -> str:
    return "PA" + urlsafe_b64encode(json.dumps(keys).encode()).decode().rstrip("=")


def decode_token(token: str) -> list[str]:
    try:
        if not token.startswith("PA"):
            raise ValueError("no PA prefix")
        data = token[2:]
        keys = json.loads(urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    except (ValueError, binascii.Error, RecursionError):
        raise invalid_parameter("PageToken", "is not a token this API issued") from None
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise invalid_parameter("PageToken", "is not a token this API issued")
    return keys


def page_of(rows: QuerySet, paging: Paging, keyset: Keyset) -> tuple[list[Any], str | None]:
    """One page of `rows` (already ordered) and the token of the next page, if any."""
    if paging.token:
        try:
            rows = keyset.after(rows, decode_token(paging.token))
        except ValueError:
            raise invalid_parameter("PageToken", "is not a token this API issued") from None
    else:
        rows = rows[paging.page * paging.page_size :]
    found = list(rows[: paging.page_size + 1])
    items = found[: paging.page_size]
    more = len(found) > paging.page_size
    return items, encode_token(keyset.keys_of(items[-1])) if more else None


def list_json(
    key: str,
    items: list[dict[str, Any]],
    url: str,
    paging: Paging,
    next_token: str | None,
    filters: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A list page. `filters` go into every page URL, so the next page is filtered alike."""

    def page_url(page: int, token: str | None = None) -> str:
        query: dict[str, Any] = {**(filters or {}), "PageSize": paging.page_size, "Page": page}
        if token:
            query["PageToken"] = token
        return f"{url}?{urlencode(query)}"

    return {
        key: items,
        "meta": {
            "page": paging.page,
            "page_size": paging.page_size,
            "first_page_url": page_url(0),
            "previous_page_url": page_url(paging.page - 1) if paging.page > 0 else None,
            "next_page_url": page_url(paging.page + 1, next_token) if next_token else None,
            "url": page_url(paging.page, paging.token),
            "key": key,
        },
    }
