"""The errors each operation can answer, in the API docs (/api/docs/) as on the wire.

Every error of /v2/ and /api/editor/ is Twilio's envelope (errors.py): {code, message,
more_info, status}, with `details` on some and `detail` on a 401. The views declare only
their own refusals (a 400 with 81022, a 409 with 20409), so until this hook (run by
studio_clone/settings.py after operations.py's) the schema said nothing of what every
operation can answer: a client or a fuzzer (schemathesis) met 404s, 401s and 400s the
schema did not list. Which operation can answer which status:

- 401 without credentials, on every operation that takes any;
- 429 when an API key failed too often (auth.py), on those that take an API key;
- 403 on a write: a viewer's, or a session's without its CSRF token;
- 404 on a path naming a flow, revision, execution, step or test case;
- 400 on a request with query or body parameters to refuse;
- 413 and 415 on a request with a body: over MAX_REQUEST_BYTES (limits.py), or not of the
  media types the operation documents.
"""

from __future__ import annotations

from typing import Any

ERROR = "TwilioError"
ERROR_SCHEMA = {
    "type": "object",
    "description": "Twilio's error envelope",
    "properties": {
        "code": {"type": "integer", "description": "Twilio's error code (20404, 81022…)"},
        "message": {"type": "string"},
        "more_info": {"type": "string", "description": "Twilio's page for the code"},
        "status": {"type": "integer", "description": "The HTTP status again"},
        "details": {"type": "object", "additionalProperties": True},
        "detail": {"type": "string"},
    },
    "required": ["code", "message", "more_info", "status"],
}
REASONS = {
    400: "A parameter or body the operation refuses (20001; 81022 for a flow definition)",
    401: "No credentials, or wrong ones (20003)",
    403: "Not allowed: a viewer's write, or a session's without its CSRF token (20403)",
    404: "No such resource in the caller's teams (20404)",
    409: "The resource changed or is busy (20409)",
    413: "The body is over the request size limit (20413)",
    415: "The body is not of a media type the operation takes (20415)",
    429: "Too many failed authentications: wait for Retry-After (20429)",
}
WRITES = {"post", "put", "patch", "delete"}


def statuses(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    schemes = {name for requirement in operation.get("security", []) for name in requirement}
    if not schemes:
        return set()  # /healthz
    found = {401}
    if "apiKey" in schemes:
        found.add(429)
    if method in WRITES:
        found.add(403)
    if "{" in path:
        found.add(404)
    if "requestBody" in operation:
        found |= {400, 413, 415}
    if any(p.get("in") == "query" for p in operation.get("parameters", [])):
        found.add(400)
    return found


def document_errors(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR}"}}}
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            for status in statuses(path, method, operation):
                responses.setdefault(str(status), {"description": REASONS[status]})
            for status, response in responses.items():
                if status.startswith("4"):
                    response.setdefault("content", content)
            operation["responses"] = dict(sorted(responses.items()))
    return result
