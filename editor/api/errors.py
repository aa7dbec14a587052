"""Every API error in Twilio's envelope: {code, message, more_info, status, details?}.

Twilio's SDKs read `code`, `message` and `details` from the body (TwilioRestException), so
every error the API can produce goes through `twilio_exception_handler`, including the ones
Django raises before a view runs (oversized bodies, see limits.py) and unknown /v2/ paths.

Codes: Twilio's own where one exists (20001 bad parameter, 20003 authenticate, 20004 method
not allowed, 20007 page size too large, 81021 a revision that is neither a number nor
LatestPublished/LatestRevision, 81022 flow validation failed), otherwise 20000 + the HTTP
status, the pattern Twilio uses for 20403, 20404, 20409, 20413 and 20429.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core import signals
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from ..flowspec.problems import DocumentError, Problem, errors_of, warnings_of
from ..services import ExecutionError, FlowRejected

logger = logging.getLogger("django.request")

BAD_PARAMETER = 20001
AUTHENTICATE = 20003
METHOD_NOT_ALLOWED = 20004
PAGE_SIZE_TOO_LARGE = 20007
REVISION_INVALID = 81021
FLOW_INVALID = 81022
FLOW_INVALID_MESSAGE = "Flow definition validation failed, check `details` for more information"


class ApiError(exceptions.APIException):
    """An error with a Twilio code; raise it from views for anything the client got wrong."""

    def __init__(
        self,
        http_status: int,
        code: int,
        message: str,
        details: dict[str, Any] | None = None,
        *,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = http_status
        self.twilio_code = code
        self.details = details
        # Twilio's 401 carries a human `detail` beside the terse message "Authenticate".
        self.hint = detail

    def body(self) -> dict[str, Any]:
        body = envelope(self.status_code, self.twilio_code, str(self.detail), self.details)
        if self.hint:
            body["detail"] = self.hint
        return body


def missing_parameter(name: str) -> ApiError:
    # Twilio's own wording, which scripts written against Twilio match on.
    return ApiError(400, BAD_PARAMETER, f"Missing required parameter {name} in the post body")


def invalid_parameter(name: str, reason: str) -> ApiError:
    return ApiError(400, BAD_PARAMETER, f"Invalid parameter {name}: {reason}")


def flow_invalid(problems: list[Problem], *, detailed: bool = False) -> ApiError:
    """81022 with the errors and warnings in `details`: Twilio's {message, property_path}
    on /v2/; `detailed` adds the severity, hint and blocking flag for the canvas."""
    shape = problem_json if detailed else Problem.as_dict
    details = {
        "errors": [shape(p) for p in errors_of(problems)],
        "warnings": [shape(p) for p in warnings_of(problems)],
    }
    return ApiError(400, FLOW_INVALID, FLOW_INVALID_MESSAGE, details)


def problem_json(problem: Problem) -> dict[str, Any]:
    return problem.as_json()


def envelope(
    http_status: int, code: int, message: str, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": http_status,
    }
    if details is not None:
        body["details"] = details
    return body


def error_response(error: ApiError) -> JsonResponse:
    """For code that runs outside DRF (middleware)."""
    return JsonResponse(error.body(), status=error.status_code)


# Paths whose clients read JSON errors: Twilio's SDKs and the canvas.
JSON_ERROR_PREFIXES = ("/v2/", "/api/editor/")


def speaks_json(request: HttpRequest) -> bool:
    return request.path_info.startswith(JSON_ERROR_PREFIXES)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a bug outside the DRF views (middleware, URL resolving) under /v2/ is
    still an error the SDKs can read, never Django's HTML page."""
    if speaks_json(request):
        return error_response(ApiError(500, 20500, "Internal server error"))
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: Django's SuspiciousOperation and friends raised before a view runs."""
    if speaks_json(request):
        return error_response(ApiError(400, BAD_PARAMETER, "Bad request"))
    return defaults.bad_request(request, exception)


def as_api_error(exc: Exception, request: HttpRequest | None) -> ApiError | None:
    """The Twilio error for a known exception; None for a bug."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, (FlowRejected, DocumentError)):
        return flow_invalid(exc.problems)
    if isinstance(exc, ExecutionError):
        # The services speak Twilio already: 20409 with conflicting_execution_sid, and so on.
        return ApiError(exc.status, exc.code, exc.message, exc.details or None)
    if isinstance(exc, RequestDataTooBig):
        return ApiError(413, 20413, "The request body is too large")
    if isinstance(exc, SuspiciousOperation):
        # Too many form fields and the like: the client's fault, never a 500.
        return ApiError(400, BAD_PARAMETER, str(exc) or "Bad request")
    if isinstance(exc, (Http404, exceptions.NotFound)):
        path = request.path if request is not None else "resource"
        return ApiError(404, 20404, f"The requested resource {path} was not found")
    if isinstance(exc, (PermissionDenied, exceptions.PermissionDenied)):
        return ApiError(403, 20403, str(exc) or "Forbidden")
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        return ApiError(401, AUTHENTICATE, "Authenticate", detail=str(exc.detail))
    if isinstance(exc, exceptions.MethodNotAllowed):
        return ApiError(405, METHOD_NOT_ALLOWED, str(exc.detail))
    if isinstance(exc, (exceptions.ValidationError, exceptions.ParseError)):
        return ApiError(400, BAD_PARAMETER, first_message(exc.detail))
    if isinstance(exc, exceptions.APIException):
        return ApiError(exc.status_code, 20000 + exc.status_code, str(exc.detail))
    return None


def first_detail(detail: Any) -> Any:
    """The first leaf of DRF's nested error details (an ErrorDetail, with its `code`)."""
    while isinstance(detail, (list, dict)) and detail:
        detail = next(iter(detail.values())) if isinstance(detail, dict) else detail[0]
    return detail


def first_message(detail: Any) -> str:
    return str(first_detail(detail)) or "Bad request"


def twilio_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    view_request = context.get("request")
    request = getattr(view_request, "_request", view_request)
    error = as_api_error(exc, request)
    if error is None:
        # A bug, not bad input: report it the way Django's own 500 handler does (signal
        # for test clients and error trackers, django.request log) but answer in the
        # envelope the SDKs understand.
        signals.got_request_exception.send(sender=None, request=request)
        logger.error("Internal Server Error: %s", getattr(request, "path", ""), exc_info=exc)
        error = ApiError(500, 20500, "Internal server error")
    set_rollback()
    response = Response(error.body(), status=error.status_code)
    auth_header = getattr(exc, "auth_header", None)
    if error.status_code == status.HTTP_401_UNAUTHORIZED and auth_header:
        response["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait is not None:
        response["Retry-After"] = str(int(wait))
    return response
