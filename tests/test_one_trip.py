"""editor/models/one_trip.py: writes sent together with their BEGIN and COMMIT behave as if
sent one by one in a transaction (on PostgreSQL in psycopg's pipeline mode, elsewhere in
Django's atomic). The version check is tested in tests/test_reply_path.py."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from editor.models import AuthThrottle
from editor.models.one_trip import one_trip
from editor.models.rows import insert_many

pytestmark = pytest.mark.django_db(transaction=True)
FIELDS = ("key", "failures", "last_failure")


def rows(*keys: str) -> list[tuple]:
    now = timezone.now()
    return [(key, 1, now) for key in keys]


def test_writes_in_a_pipeline_commit_and_a_read_in_it_sees_them() -> None:
    with one_trip(), CaptureQueriesContext(connection) as seen:
        insert_many(AuthThrottle, FIELDS, rows("a" * 64))
        insert_many(AuthThrottle, FIELDS, rows("b" * 64, "c" * 64))
        if connection.vendor == "postgresql":
            assert connection.connection.pgconn.pipeline_status  # psycopg's pipeline mode
        counted = AuthThrottle.objects.count()  # a read waits for the writes before it
    assert counted == 3
    logged = [q["sql"] for q in seen.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
    assert len(logged) == 3  # still each statement, as logged
    assert set(AuthThrottle.objects.values_list("key", flat=True)) == {
        "a" * 64,
        "b" * 64,
        "c" * 64,
    }


def test_an_error_in_a_pipeline_is_djangos_and_rolls_the_transaction_back() -> None:
    insert_many(AuthThrottle, FIELDS, rows("a" * 64))
    with pytest.raises(IntegrityError), one_trip():
        insert_many(AuthThrottle, FIELDS, rows("b" * 64))
        insert_many(AuthThrottle, FIELDS, rows("a" * 64))  # the unique key
        insert_many(AuthThrottle, FIELDS, rows("c" * 64))
    assert list(AuthThrottle.objects.values_list("key", flat=True)) == ["a" * 64]
    assert AuthThrottle.objects.count() == 1  # the connection is usable again
