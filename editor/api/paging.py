"""Twilio's list paging: `Page`/`PageSize`, `PageToken` and the `meta` block."""

from __future__ import annotations

import binascii
import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.dateparse import parse_datetime

from .errors import PAGE_SIZE_TOO_LARGE, ApiError, invalid_parameter

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
    page_size = int_parameter(query, "PageSize", PAGE_SIZE_DEFAULT, 1)
    if page_size > PAGE_SIZE_MAX:
        # Twilio's own error for it (https://www.twilio.com/docs/errors/20007), which the
        # SDKs meet when a list's `limit` (sent as PageSize) passes the maximum.
        raise ApiError(
            400,
            PAGE_SIZE_TOO_LARGE,
            f"Page size too large: the maximum page size is {PAGE_SIZE_MAX}",
        )
    page = int_parameter(query, "Page", 0, 0, PAGE_MAX)
    token = query.get("PageToken") or None
    return Paging(page, page_size, token)


def int_parameter(
    query: QueryDict, name: str, default: int, low: int, high: int | None = None
) -> int:
    text = query.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise invalid_parameter(name, "must be an integer") from None
    if value < low or (high is not None and value > high):
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        raise invalid_parameter(name, f"must be {bounds}")
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


def token_moment(text: str) -> datetime:
    """A PageToken's creation time, in UTC; ValueError unless it is one with a time zone.

    A token is the client's to send: a forged one may hold a time whose conversion to UTC
    passes year 1 or 9999 (`0001-01-01T00:00:00+14:00`), which the SQLite backend would
    otherwise meet as an OverflowError, a 500."""
    moment = parse_datetime(text)
    if moment is None or moment.tzinfo is None:
        raise ValueError("not a time with a time zone")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("a time out of range") from None


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
