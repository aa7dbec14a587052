"""The OpenAPI schema documents every API view without a warning."""

from __future__ import annotations

import io

from django.core.management import call_command


def test_the_openapi_schema_validates_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=io.StringIO())
    schema = out.getvalue()
    for path in ("/v2/Flows", "/v2/Flows/{flow_sid}/Executions", "/api/editor/flows/{sid}/edits"):
        assert path in schema
