"""editor/models/one_trip.py: a block's writes behave as if sent one by one in a transaction
(on PostgreSQL gathered into one statement, or sent in psycopg's pipeline mode once the
block reads; elsewhere in Django's atomic). The version check is tested in
tests/test_reply_path.py."""

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


def logged(seen: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in seen.captured_queries]


def stored() -> set[str]:
    return set(AuthThrottle.objects.values_list("key", flat=True))


def test_writes_alone_in_a_block_are_one_statement_on_postgresql() -> None:
    with CaptureQueriesContext(connection) as seen, one_trip():
        insert_many(AuthThrottle, FIELDS, rows("a" * 64))
        insert_many(AuthThrottle, FIELDS, rows("b" * 64, "c" * 64))

    assert stored() == {"a" * 64, "b" * 64, "c" * 64}
    if connection.vendor == "postgresql":
        # No BEGIN or COMMIT: one statement in autocommit is its own transaction.
        (statement,) = logged(seen)
        assert statement.startswith("WITH w0 AS (INSERT INTO") and "w1 AS (INSERT" in statement
    else:
        assert len([sql for sql in logged(seen) if "INSERT INTO" in sql]) == 2


def test_the_statement_goes_with_postgresqls_own_placeholders_when_not_logged() -> None:
    sent: list[str] = []

    def wrapper(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    keys = [f"{n:064d}" for n in range(20)]  # 60 parameters: more than psycopg caches
    with connection.execute_wrapper(wrapper), one_trip():
        insert_many(AuthThrottle, FIELDS, rows(*keys))
        insert_many(AuthThrottle, FIELDS, rows("a" * 64))

    assert stored() == {*keys, "a" * 64}
    if connection.vendor == "postgresql":
        (statement,) = sent
        assert "$60" in statement and "$63" in statement and "%s" not in statement


def test_a_read_in_a_block_sees_the_writes_before_it_and_all_commit_together() -> None:
    with CaptureQueriesContext(connection) as seen, one_trip():
        insert_many(AuthThrottle, FIELDS, rows("a" * 64))
        insert_many(AuthThrottle, FIELDS, rows("b" * 64, "c" * 64))
        counted = AuthThrottle.objects.count()  # the gathered writes go first
        if connection.vendor == "postgresql":
            assert connection.connection.pgconn.pipeline_status  # psycopg's pipeline mode
        insert_many(AuthThrottle, FIELDS, rows("d" * 64))

    assert counted == 3
    assert stored() == {"a" * 64, "b" * 64, "c" * 64, "d" * 64}
    if connection.vendor == "postgresql":
        kinds = [sql.split()[0] for sql in logged(seen)]
        assert kinds == ["BEGIN", "WITH", "SELECT", "INSERT", "COMMIT"], kinds


def test_a_write_after_a_read_fails_and_takes_the_gathered_ones_with_it() -> None:
    insert_many(AuthThrottle, FIELDS, rows("a" * 64))
    with pytest.raises(IntegrityError), one_trip():
        insert_many(AuthThrottle, FIELDS, rows("b" * 64))
        AuthThrottle.objects.count()
        insert_many(AuthThrottle, FIELDS, rows("a" * 64))  # the unique key
    assert stored() == {"a" * 64}
    assert not connection.in_atomic_block and connection.get_autocommit()


def test_a_block_gathering_more_than_a_statement_takes_sends_it_in_parts(monkeypatch) -> None:
    monkeypatch.setattr("editor.models.one_trip.MAX_PARAMETERS", 7)
    monkeypatch.setattr("editor.models.gathered.MAX_PARAMETERS", 7)
    keys = [str(n) * 64 for n in range(7)]

    with CaptureQueriesContext(connection) as seen, one_trip():
        insert_many(AuthThrottle, FIELDS, rows(*keys))

    assert stored() == set(keys)
    if connection.vendor == "postgresql":
        kinds = [sql.split()[0] for sql in logged(seen)]
        # Two rows (six values) a write; more than seven values gathered: sent, in a
        # transaction, and the rest with the COMMIT.
        assert kinds[0] == "BEGIN" and kinds[-1] == "COMMIT", kinds
        assert len(kinds) > 3


def test_an_error_in_a_pipeline_is_djangos_and_rolls_the_transaction_back() -> None:
    insert_many(AuthThrottle, FIELDS, rows("a" * 64))
    with pytest.raises(IntegrityError), one_trip():
        insert_many(AuthThrottle, FIELDS, rows("b" * 64))
        insert_many(AuthThrottle, FIELDS, rows("a" * 64))  # the unique key
        insert_many(AuthThrottle, FIELDS, rows("c" * 64))
    assert list(AuthThrottle.objects.values_list("key", flat=True)) == ["a" * 64]
    assert AuthThrottle.objects.count() == 1  # the connection is usable again
