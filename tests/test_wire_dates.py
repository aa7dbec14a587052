"""Dates on the wire (editor/api/wire.py iso): Twilio's UTC, to the second, with a Z."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from editor.api.wire import iso


def by_strftime(moment: datetime) -> str:
    """What iso wrote before it formatted the fields itself."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2017, 11, 6, 12, 0, 0, tzinfo=UTC),
        datetime(2026, 12, 1, 2, 25, 53, 999999, tzinfo=UTC),
        datetime(2026, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Paris")),
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-7))),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
    ],
)
def test_iso_writes_what_strftime_wrote(moment):
    assert iso(moment) == by_strftime(moment)


def test_iso_of_a_moment_in_another_zone_is_its_utc_time():
    assert iso(datetime(2026, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))) == (
        "2025-12-31T23:30:00Z"
    )
    assert iso(None) is None
