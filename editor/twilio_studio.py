"""A team's Twilio account's Studio flows, read and written through the official SDK
(`client.studio.v2.flows…`), with Twilio's hosts moved by settings (twilio_rest.py).

Everything here is an HTTP call and nothing touches the database, so the sync services
(services/sync.py) make these calls before they open a transaction.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from requests import ReadTimeout, RequestException
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.rest import Client

from . import crypto, twilio_rest
from .models import TwilioConnection

logger = logging.getLogger(__name__)


class RemoteFailed(Exception):
    """Twilio refused the request or could not be reached; the message says which."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NoSuchRemoteFlow(RemoteFailed):
    """The account has no flow with this SID (deleted there, or never pushed)."""


@dataclass(frozen=True)
class RemoteSummary:
    """A flow as the account's list shows it."""

    sid: str
    friendly_name: str
    status: str
    revision: int
    date_updated: datetime | None


@dataclass(frozen=True)
class RemoteRevision:
    revision: int
    status: str
    definition: dict[str, Any]
    commit_message: str | None


@dataclass(frozen=True)
class RemoteSnapshot:
    """A flow with its latest revision, its latest published one when that is another
    revision, and its test users."""

    sid: str
    friendly_name: str
    date_updated: datetime | None
    latest: RemoteRevision
    published: RemoteRevision | None
    test_users: list[str]


@contextmanager
def studio(connection: TwilioConnection, *, writing: str = "") -> Iterator[Any]:
    """The account's Studio v2 API for a few calls; its pooled connections are closed
    after them rather than left open until the process ends. An answer that is not the
    JSON Studio documents (a proxy's page, a cut-off body, a flow without its revision)
    is a refusal like Twilio's own errors; a 429 says when to try again. `writing` names
    the flow a write creates or updates: a write whose answer is lost (unreadable, or
    none within the timeout) may have been carried out, and the message says so."""
    sdk = client_for(connection)
    try:
        yield sdk.studio.v2
    except RemoteFailed as exc:
        wait = getattr(sdk.http_client, "retry_after", "")
        if exc.status == 429 and wait.isdigit():
            raise RemoteFailed(f"{exc} Try again in {wait} seconds.", 429) from exc
        if writing and isinstance(exc.__cause__, ReadTimeout):
            raise RemoteFailed(f"{exc} {maybe_written(writing)}") from exc
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        logger.exception("unreadable answer from Twilio's Studio API")
        text = "Twilio's Studio API sent an answer that could not be read"
        if writing:
            raise RemoteFailed(f"{text}. {maybe_written(writing)}") from exc
        text += "; nothing was changed here. Try again in a few minutes."
        raise RemoteFailed(text) from exc
    finally:
        session = getattr(sdk.http_client, "session", None)
        if session is not None:
            session.close()


def maybe_written(writing: str) -> str:
    """What to do after a write whose answer was lost: Twilio may have done it."""
    if writing.startswith("FW"):
        return f"Twilio may have saved {writing} all the same: push again to see where it stands."
    return (
        f"Twilio may have created “{writing}” all the same: look for it among the account's "
        "Studio flows before pushing again, as another push creates another flow."
    )


def client_for(connection: TwilioConnection) -> Client:
    """The SDK client of the team's account: its API key when it has one (Twilio's advice
    for REST calls), else the account SID and auth token."""
    try:
        if connection.api_key_sid:
            username, password = connection.api_key_sid, connection.api_key_secret
        else:
            username, password = connection.account_sid, connection.auth_token
    except crypto.Unreadable as exc:
        raise RemoteFailed(
            "The stored Twilio secrets cannot be decrypted with this server's key; "
            "an owner must enter them again on the team page."
        ) from exc
    return twilio_rest.client(connection.account_sid, username, password)


def explained(status: int, code: Any, text: str) -> RemoteFailed:
    """Twilio's error in a sentence that says what to do about it."""
    said = f"Twilio answered {status}" + (f" (error {code})" if code else "")
    said += f": {text}" if text else ""
    if status == 401:
        return RemoteFailed(f"{said}. {twilio_rest.REFUSED_CREDENTIALS}.", status)
    if status == 429:
        return RemoteFailed(f"{said}. Twilio limits how fast an account may call it.", status)
    if status >= 500:
        return RemoteFailed(f"{said}. Twilio's Studio API failed; try again later.", status)
    return RemoteFailed(said, status)


def failure(exc: Exception) -> RemoteFailed:
    if isinstance(exc, TwilioRestException):
        details = (exc.details or {}).get("errors") if isinstance(exc.details, dict) else None
        found = "; ".join(
            f"{e.get('property_path', '')}: {e.get('message', '')}"
            for e in details or []
            if isinstance(e, dict)
        )
        return explained(exc.status, exc.code, f"{exc.msg} {found}".strip())
    if isinstance(exc, TwilioServiceException):  # RFC 9457 problem details
        found = "; ".join(
            f"{e.get('pointer', '')}: {e.get('detail', '')}"
            for e in exc.errors
            if isinstance(e, dict)
        )
        text = " ".join(t for t in (exc.title, exc.detail, found) if t)
        return explained(exc.status, exc.code, text)
    if isinstance(exc, RequestException):
        return RemoteFailed(twilio_rest.unreachable(exc, "Twilio's Studio API"))
    answer = exc.args[1] if len(exc.args) > 1 else None
    if hasattr(answer, "status_code"):
        # Lists raise a plain TwilioException("Unable to fetch page", response).
        try:
            body = json.loads(answer.text)
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        return explained(answer.status_code, body.get("code"), body.get("message", ""))
    return RemoteFailed(f"Could not reach Twilio's Studio API: {exc}")


def call(action: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return action(*args, **kwargs)
    except TwilioRestException as exc:
        if exc.status == 404:
            raise NoSuchRemoteFlow("The Twilio account has no such flow.") from exc
        raise failure(exc) from exc
    except (RequestException, TwilioException) as exc:
        raise failure(exc) from exc


def list_flows(connection: TwilioConnection) -> list[RemoteSummary]:
    """Every flow of the account: the SDK follows meta.next_page_url page after page."""
    with studio(connection) as api:
        flows = call(api.flows.list, page_size=100)
        return [
            RemoteSummary(f.sid, f.friendly_name or "", f.status, int(f.revision), f.date_updated)
            for f in flows
        ]


def revision_of(resource: Any) -> RemoteRevision:
    if not isinstance(resource.definition, dict):
        raise ValueError(f"revision {resource.revision} has no definition")
    return RemoteRevision(
        int(resource.revision), resource.status, resource.definition, resource.commit_message
    )


def fetch_flow(
    connection: TwilioConnection, sid: str, *, whole: bool = True, users: bool | None = None
) -> RemoteSnapshot:
    """The Flow resource's definition is its latest revision; when that is a draft, the
    latest published revision (if any) is fetched too, since live traffic runs it, and so
    are the test users, unless only the latest revision is asked for (`whole=False`; the
    test users then only with `users=True`)."""
    users_too = whole if users is None else users
    with studio(connection) as api:
        flow = api.flows(sid)
        try:
            found = call(flow.fetch)
        except NoSuchRemoteFlow as exc:
            raise NoSuchRemoteFlow(
                f"The Twilio account has no flow {sid}: it was deleted there, or never existed."
            ) from exc
        latest = revision_of(found)
        published, listed = None, []
        if whole:
            published = latest_published(flow) if latest.status != "published" else None
        if users_too:
            listed = call(flow.test_users().fetch).test_users or []
    return RemoteSnapshot(
        found.sid, found.friendly_name or "", found.date_updated, latest, published, list(listed)
    )


def set_test_users(connection: TwilioConnection, sid: str, test_users: list[str]) -> None:
    """POST /v2/Flows/{FW}/TestUsers: the flow's test users, and no new revision."""
    with studio(connection, writing=sid) as api:
        call(api.flows(sid).test_users().update, test_users=test_users)


def latest_published(flow: Any) -> RemoteRevision | None:
    try:
        return revision_of(call(flow.revisions("LatestPublished").fetch))
    except NoSuchRemoteFlow:
        return None  # never published


@dataclass(frozen=True)
class Written:
    sid: str
    revision: int
    status: str
    definition: dict[str, Any]
    date_updated: datetime | None
    test_users_failed: str = ""  # why the test users were not set, when they were not


def write_flow(
    connection: TwilioConnection,
    sid: str | None,
    *,
    friendly_name: str,
    definition: dict[str, Any],
    status: str,
    commit_message: str,
    test_users: list[str],
) -> Written:
    """Create the flow (no SID) or add a revision to it, then set its test users."""
    fields = {
        "friendly_name": friendly_name,
        "status": status,
        "definition": definition,
        "commit_message": commit_message,
    }
    with studio(connection, writing=sid or friendly_name) as api:
        saved = (
            call(api.flows.create, **fields)
            if sid is None
            else call(api.flows(sid).update, **fields)
        )
        written = Written(
            saved.sid, int(saved.revision), saved.status, saved.definition, saved.date_updated
        )
        # Twilio's TestUsers update needs at least one entry, so an empty list is not sent: a
        # new flow has none anyway, and an existing one keeps those it has (docs/channels.md).
        # The flow is written by now: a failure here is told, not raised, so that the push
        # is still remembered (raised, the next push would create the flow a second time,
        # or call its own revision a change made on Twilio).
        if test_users:
            try:
                call(api.flows(saved.sid).test_users().update, test_users=test_users)
            except (RemoteFailed, ValueError, TypeError, KeyError, AttributeError) as exc:
                logger.warning("test users of %s not set: %s", saved.sid, exc)
                written = replace(written, test_users_failed=str(exc) or type(exc).__name__)
        return written
