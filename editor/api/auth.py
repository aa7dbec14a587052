"""API keys over HTTP Basic, as Twilio's SDKs send them: `SK…` SID as user, secret as password.

A key belongs to its team, not to the person who made it, so a request signed with a key
does not act as that person: `request.user` is an `ApiKeyUser`, authenticated but holding no
memberships, and `request.auth` is the ApiKey. Code that scoped by `request.user` alone
would therefore find nothing rather than everything the key's creator can see in other
teams; all access goes through `principal_of(request)`, scoped to the key's team. The
creator is only the author recorded on revisions (Principal.author).

Failed authentications are throttled per key SID and per client IP (throttle.py): a 429 in
Twilio's shape (20429) with Retry-After, before the secret is looked at. Secrets are 256
random bits, so this is not about guessing one; it stops a client with a wrong secret, or
anyone, from hammering the API. The check is a read, so a request with the right secret
writes nothing for it.

That read is the request's only one before the view's own (key_and_throttle): the same
statement brings the key's team and, on the Executions routes, the flow the URL names
within the key's team (so that access.flow_for need not read it); on an execution's create,
also what the start reads first for the body's To and From (services/execution_start_read.py
start_read: the busy check, the new execution's key, the team's Twilio connection). None
of it is used unless the throttle lets the request through and the secret is right.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

from django.db import connection
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication
from rest_framework.request import Request

from .. import throttle
from ..access import Principal
from ..models import ApiKey, AuthThrottle, Flow, Team, reads
from ..services.execution_start_read import StartRead, start_columns, start_params
from ..sids import is_sid
from .forms import FORM

LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyUser:
    """`request.user` for a request signed with an API key."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, api_key: ApiKey) -> None:
        self.api_key = api_key
        self.username = api_key.sid

    def __str__(self) -> str:
        return f"API key {self.api_key.sid}"

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False


class TooManyFailures(exceptions.APIException):
    """Answered as Twilio's 20429 with Retry-After by errors.twilio_exception_handler."""

    status_code = 429

    def __init__(self, refusal: throttle.Refusal) -> None:
        super().__init__(refusal.message("authentications"))
        self.wait = refusal.retry_after


class ApiKeyAuthentication(BasicAuthentication):
    # Also the WWW-Authenticate challenge, which makes DRF answer 401 (not 403) to
    # unauthenticated requests: HTTP clients only retry with credentials after a 401.
    www_authenticate_realm = "Twilio API"

    def authenticate_credentials(
        self, userid: str, password: str, request: Any = None
    ) -> tuple[ApiKeyUser, ApiKey]:
        attempt = throttle.Attempt(
            (throttle.API_KEY, userid), (throttle.API_IP, throttle.client_ip(request))
        )
        # The SID shape is checked first so arbitrary text (NUL bytes included) never
        # reaches the database. The key and the throttle rows are read together, but the
        # throttle is decided before the secret is looked at: a locked-out key stays locked.
        key = None
        if is_sid(userid, "SK"):
            flow_sid = named_flow(request)
            start = named_start(request) if flow_sid else None
            key, rows = key_and_throttle(userid, list(attempt.policies), flow_sid, start)
        else:
            rows = attempt.rows()
        refusal = attempt.refuse(rows)
        if refusal is not None:
            raise TooManyFailures(refusal)
        if key is None or not key.check_secret(password):
            attempt.failed()
            raise exceptions.AuthenticationFailed("Invalid API key SID or secret")
        attempt.succeeded()
        touch(key)
        return ApiKeyUser(key), key


def named_flow(request: Any) -> str | None:
    """The flow SID the URL names (the `flow_sid` of the Executions routes, editor/api/
    urls.py), read with the key: the view would read that flow next (access.flow_for)."""
    context = getattr(request, "parser_context", None) or {}
    sid = (context.get("kwargs") or {}).get("flow_sid")
    return sid if isinstance(sid, str) and is_sid(sid, "FW") else None


def named_start(request: Any) -> tuple[str, str] | None:
    """The To and From of an execution's create (a view with `reads_start`), when the body
    is a form, as Twilio's SDKs send it, and they are addresses the view will take as they
    are; the start reads the busy check for them next. Anything else is left to the view,
    whose parameter checks answer for it."""
    context = getattr(request, "parser_context", None) or {}
    view = context.get("view")
    if request.method != "POST" or not getattr(view, "reads_start", False):
        return None
    django_request = request._request
    if django_request.content_type != FORM:
        return None
    try:
        form = django_request.POST  # the view's data too (api/forms.py)
    except Exception:  # the view's own parse raises it again, and answers it
        return None
    found = (form.get("To"), form.get("From"))
    return found if all(plain_address(value) for value in found) else None


def plain_address(value: Any) -> bool:
    """An address the create's parameters may take unchanged, and PostgreSQL can be sent (a
    longer one than they take is refused by them, and its answer not used)."""
    return (
        isinstance(value, str)
        and value != ""
        and value == value.strip()
        and value.isprintable()  # no NUL, no control characters
    )


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Describes ApiKeyAuthentication in the OpenAPI schema (registered on import)."""

    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "basic",
            "description": "API key SID (SK…) as the username, its secret as the password",
        }


@cache
def key_sql(subjects: int, with_flow: bool = False, start_vendor: str = "") -> str:
    """The key and its team, with the throttle rows of `subjects`; `with_flow`, also the
    team's flow of a given SID (a flow's SID is unique, so that LEFT JOIN adds no row);
    `start_vendor` (the database's vendor), also start_read's columns for that flow."""
    column = ApiKey._meta.get_field
    throttle_key = reads.quote(AuthThrottle._meta.get_field("key").column)
    team_pk = reads.quote(Team._meta.pk.column)
    flow = Flow._meta.get_field
    more = f", {reads.columns(Flow, 'f')}" if with_flow else ""
    if start_vendor:
        flow_pk = f"f.{reads.quote(Flow._meta.pk.column)}"
        more += f", {start_columns(start_vendor, flow_pk, f't.{team_pk}')}"
    sql = (
        f"SELECT {reads.columns(AuthThrottle, 'a')}, {reads.columns(ApiKey, 'k')}, "  # noqa: S608
        f"{reads.columns(Team, 't')}{more} FROM (SELECT 1 AS one) o "
        f"LEFT JOIN {reads.table(AuthThrottle)} a "
        f"ON a.{throttle_key} IN ({', '.join(['%s'] * subjects)}) "
        f"LEFT JOIN {reads.table(ApiKey)} k ON k.{reads.quote(column('sid').column)} = %s "
        f"LEFT JOIN {reads.table(Team)} t ON t.{team_pk} = k.{reads.quote(column('team').column)}"
    )
    if with_flow:
        sql += (
            f" LEFT JOIN {reads.table(Flow)} f ON f.{reads.quote(flow('sid').column)} = %s "
            f"AND f.{reads.quote(flow('team').column)} = t.{team_pk}"
        )
    return sql


def key_and_throttle(
    sid: str,
    subjects: list[str],
    flow_sid: str | None = None,
    start: tuple[str, str] | None = None,
) -> tuple[ApiKey | None, list[AuthThrottle]]:
    """The key with its team, and the throttle rows of `subjects` (throttle.subject_key),
    in one plain SELECT: every API request needs both, and the ORM's queries cost several
    times what the database does for them (models/reads.py). One row per throttle row
    found (or one row with none), each carrying the key's columns.

    Given `flow_sid` (a request on a flow's executions), the same statement reads the key's
    team's flow of that SID, kept on the key for access.flow_for: another team's flow is
    not found, as team_flow would not find it. It is not used unless the secret is right.
    Given also `start` (the contact and flow address of an execution's create), the flow
    comes with start_read's answer for them (`flow.prefetched_start`)."""
    params = [*subjects, sid] if flow_sid is None else [*subjects, sid, flow_sid]
    vendor = ""
    if start is not None and flow_sid is not None:
        vendor = connection.vendor
        params = [*start_params(*start), *params]  # in the select list, before the joins
    found = reads.fetch(key_sql(len(subjects), flow_sid is not None, vendor), params)
    throttled, width = [], reads.width(AuthThrottle)
    for values in found:
        if values[0] is not None:
            throttled.append(reads.instance(AuthThrottle, values[:width]))
    key = None
    if found and found[0][width] is not None:
        row = found[0]
        key, team = reads.instances(row[width:], ApiKey, Team)
        key.team = team
        if flow_sid is not None:
            after = width + reads.width(ApiKey) + reads.width(Team)
            flow = None
            if row[after] is not None:
                flow = reads.instance(Flow, row[after : after + reads.width(Flow)])
                flow.team = team
                if vendor:
                    busy, pk, linked = row[-3:]
                    flow.prefetched_start = StartRead(*start, busy, pk, bool(linked))
            key.flows_read = {flow_sid: flow}
    return key, throttled


def touch(key: ApiKey) -> None:
    """Record use, writing at most once a minute per key so that most reads stay reads."""
    now = timezone.now()
    if key.last_used is None or now - key.last_used >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used=now)
        key.last_used = now


def principal_of(request: Request) -> Principal:
    """Who is acting: the API key when the request is signed with one, else the user."""
    if isinstance(request.auth, ApiKey):
        return Principal(api_key=request.auth)
    return Principal(user=request.user)
