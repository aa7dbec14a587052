"""Twilio's wire format in: PascalCase form parameters, checked, with Twilio's errors."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time
from functools import cache
from typing import Any

from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from ..flowspec.jsontext import load_json
from ..flowspec.problems import DocumentError, Problem
from ..models import Status as FlowStatus
from .errors import first_detail, flow_invalid, invalid_parameter, missing_parameter

# Parameters in. The serializers validate form fields and document them in the OpenAPI
# schema; `parse` turns their errors into Twilio's 20001 messages.

FRIENDLY_NAME_MAX = 200  # Flow.friendly_name


class FlowCreateParams(serializers.Serializer):
    FriendlyName = serializers.CharField(max_length=FRIENDLY_NAME_MAX)
    Status = serializers.ChoiceField(choices=FlowStatus.values)
    Definition = serializers.CharField(trim_whitespace=False, help_text="Studio flow JSON")
    CommitMessage = serializers.CharField(required=False, allow_blank=True)
    AuthorSid = serializers.CharField(
        required=False, max_length=34, help_text="US… SID of the team's owner or editor it is by"
    )


class FlowValidateParams(FlowCreateParams):
    AuthorSid = None  # Flows/Validate saves nothing, so takes no author


class FlowUpdateParams(serializers.Serializer):
    Status = serializers.ChoiceField(choices=FlowStatus.values)
    FriendlyName = serializers.CharField(max_length=FRIENDLY_NAME_MAX, required=False)
    Definition = serializers.CharField(
        trim_whitespace=False, required=False, help_text="Replaces the definition wholesale"
    )
    CommitMessage = serializers.CharField(required=False, allow_blank=True)
    AuthorSid = serializers.CharField(
        required=False, max_length=34, help_text="US… SID of the team's owner or editor it is by"
    )


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
    checked = plain_text(params_class, data)
    if checked is not None:
        return checked
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


# What a plain CharField checks, and nothing else (rest_framework.fields.CharField).
PLAIN_VALIDATORS = (
    MaxLengthValidator,
    ProhibitNullCharactersValidator,
    ProhibitSurrogateCharactersValidator,
)
TextField = tuple[str, bool, bool, int | None]  # name, required, trim_whitespace, max_length


@cache
def text_fields(params_class: type[serializers.Serializer]) -> tuple[TextField, ...] | None:
    """The fields of a serializer made only of plain CharFields with no checks of its own,
    which `plain_text` can check without it; None for any other serializer."""
    if params_class.validate is not serializers.Serializer.validate:
        return None
    params = params_class()
    found = []
    for name, field in params.fields.items():
        plain = (
            type(field) is serializers.CharField
            and field.source == name
            and not (field.read_only or field.allow_null or field.min_length is not None)
            and field.default is empty
            and not hasattr(params_class, f"validate_{name}")
            and all(isinstance(v, PLAIN_VALIDATORS) for v in field.validators)
        )
        if not plain:
            return None
        found.append((name, field.required, field.trim_whitespace, field.max_length))
    return tuple(found)


def plain_text(params_class: type[serializers.Serializer], data: Any) -> dict[str, Any] | None:
    """The serializer's validated_data for a form it accepts without a question (every value
    a non-blank string within its limits), for a fraction of its cost: serializers copy their
    fields on every use, which was a tenth of an execution's start (bench/RESULTS.md, B6).
    None when unsure, and the serializer decides (and words the error)."""
    fields = text_fields(params_class)
    if fields is None or not hasattr(data, "getlist"):  # a form, as DRF's html input
        return None
    checked = {}
    for name, required, trim, max_length in fields:
        if name not in data:
            if required:
                return None
            continue
        value = data[name]  # the last value, as DRF takes it
        if not isinstance(value, str) or value == "" or (trim and value.strip() == ""):
            return None
        value = value.strip() if trim else value
        if (max_length is not None and len(value) > max_length) or "\x00" in value:
            return None
        try:
            value.encode()  # refuses surrogates
        except UnicodeEncodeError:
            return None
        checked[name] = value
    return checked


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
