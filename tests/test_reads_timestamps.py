"""The plain reads (editor/models/reads.py) give the timestamps the ORM gives.

On PostgreSQL they load timestamptz columns with psycopg's own loader instead of Django's
when the session is in UTC (reads.native_timestamps); whatever the setting, a value read
either way must be the same instant with the same tzinfo object, to the microsecond.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection
from django.test import override_settings

from editor import services
from editor.models import Flow, reads

from .test_api_flows import studio_definition

pytestmark = pytest.mark.django_db

MOMENTS = [
    datetime(2026, 12, 1, 2, 25, 53, 123456, tzinfo=UTC),
    datetime(2026, 12, 1, 2, 25, 53, 500000, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, 0, 7, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    datetime(1970, 1, 1, tzinfo=UTC),
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-7))),
]


def flows_at(team, moments: list[datetime]) -> list[int]:
    pks = []
    for n, moment in enumerate(moments):
        flow = services.create_flow(team, friendly_name=f"at {n}", definition=studio_definition())
        Flow.objects.filter(pk=flow.pk).update(date_created=moment, date_updated=moment)
        pks.append(flow.pk)
    return pks


def read(pk: int) -> Flow:
    pk_column = reads.quote(Flow._meta.pk.column)
    sql = f"SELECT {reads.columns(Flow, 'f')} FROM {reads.table(Flow)} f WHERE f.{pk_column} = %s"  # noqa: S608
    (row,) = reads.fetch(sql, [pk])
    return reads.instance(Flow, row)


def assert_reads_agree_with_the_orm(pks: list[int], moments: list[datetime]) -> None:
    for pk, moment in zip(pks, moments, strict=True):
        plain, orm = read(pk), Flow.objects.get(pk=pk)
        for name in ("date_created", "date_updated"):
            value, expected = getattr(plain, name), getattr(orm, name)
            assert value == expected
            assert value.tzinfo is expected.tzinfo
            assert value.microsecond == moment.microsecond


def test_plain_reads_give_the_orms_timestamps(team):
    pks = flows_at(team, MOMENTS)

    assert_reads_agree_with_the_orm(pks, MOMENTS)
    assert read(pks[0]).date_created == MOMENTS[0]
    assert read(pks[0]).date_created.tzinfo is UTC


def test_plain_reads_give_the_orms_naive_timestamps_without_time_zone_support(team):
    pks = flows_at(team, MOMENTS)

    with override_settings(USE_TZ=False):
        assert_reads_agree_with_the_orm(pks, [m.replace(tzinfo=None) for m in MOMENTS])
        assert read(pks[0]).date_created.tzinfo is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL sessions only")
def test_plain_reads_follow_the_orm_in_a_session_moved_off_utc(team):
    pks = flows_at(team, MOMENTS)
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Asia/Kolkata'")
    try:
        assert_reads_agree_with_the_orm(pks, MOMENTS)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL sessions only")
def test_psycopgs_own_loader_is_used_in_a_utc_session(team):
    from psycopg.pq import Format

    oid, loader = reads.timestamptz_loaders()
    with connection.cursor() as cursor:
        reads.native_timestamps(connection, cursor.cursor)
        assert cursor.cursor.adapters.get_loader(oid, Format.TEXT) is loader
