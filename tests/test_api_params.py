"""editor/api/params.py's shortcut for plain text forms gives what the serializer gives, or
steps aside: every answer (and every error) stays the serializer's."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from editor.api import params
from editor.api.params import (
    ExecutionCreateParams,
    ExecutionUpdateParams,
    FlowCreateParams,
    plain_text,
    text_fields,
)

PARAMETERS = '{"appointment": "tomorrow at 9"}'
FORMS = [
    {"To": "+15550001111", "From": "+15550002222"},
    {"To": "+15550001111", "From": "+15550002222", "Parameters": PARAMETERS},
    {"To": "  +1555 \t", "From": "\n+1556 ", "Parameters": "  {} \n"},
    {"To": "+1", "From": "+2", "Parameters": ""},
    {"To": "+1", "From": "+2", "Parameters": "   "},
    {"To": "", "From": "+2"},
    {"To": "   ", "From": "+2"},
    {"From": "+2"},
    {"To": "+1"},
    {},
    {"To": "x" * 255, "From": "+2"},
    {"To": "x" * 256, "From": "+2"},
    {"To": " " + "x" * 255 + " ", "From": "+2"},
    {"To": "+1\x00", "From": "+2"},
    {"To": "+1", "From": "+2", "Parameters": "{}\x00"},
    {"To": "+1\ud800", "From": "+2"},
    {"To": "+1", "From": "+2", "Parameters": '{"a": "\udfff"}'},
    {"To": "+1", "From": "+2", "Unknown": "ignored"},
    {"To": "héllo ☎", "From": "+2", "Parameters": '{"name": "Zoë"}'},
]


def form(values: dict[str, str], *, repeat: str | None = None) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.appendlist(name, value)
    if repeat is not None:
        data.appendlist(repeat, "+19990000000")  # DRF takes the last value
    return data


def serializer_answer(values: QueryDict) -> dict[str, str] | None:
    checked = ExecutionCreateParams(data=values)
    return dict(checked.validated_data) if checked.is_valid() else None


@pytest.mark.parametrize("values", FORMS)
def test_the_shortcut_agrees_with_the_serializer_or_steps_aside(values: dict[str, str]) -> None:
    for data in (form(values), form(values, repeat="To"), form(values, repeat="Parameters")):
        quick = plain_text(ExecutionCreateParams, data)
        if quick is not None:
            assert quick == serializer_answer(data)
            assert list(quick) == list(serializer_answer(data) or {})


def test_the_common_form_takes_the_shortcut() -> None:
    data = QueryDict(urlencode({"To": "+1", "From": "+2", "Parameters": PARAMETERS}))
    assert plain_text(ExecutionCreateParams, data) == {
        "To": "+1",
        "From": "+2",
        "Parameters": PARAMETERS,
    }


def test_bad_forms_go_to_the_serializer_for_its_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for values in ({"To": "", "From": "+2"}, {"To": "x" * 256, "From": "+2"}, {"From": "+2"}):
        assert plain_text(ExecutionCreateParams, form(values)) is None
    with pytest.raises(Exception) as refused:
        params.parse(ExecutionCreateParams, form({"From": "+2"}))
    assert "To" in str(refused.value.detail)


def test_serializers_with_other_checks_never_take_it() -> None:
    assert text_fields(ExecutionUpdateParams) is None  # validate_Status
    assert text_fields(FlowCreateParams) is None  # a ChoiceField
    assert plain_text(ExecutionUpdateParams, form({"Status": "ended"})) is None
    assert plain_text(ExecutionCreateParams, {"To": "+1", "From": "+2"}) is None  # not a form
