"""The suite runs on the production path in CI; a missing service fails, never skips."""

from __future__ import annotations

import os

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection

from tests.live_support import run

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.mark.django_db
def test_the_database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1
    if IN_CI:
        assert connection.vendor == "postgresql"


def test_the_channel_layer_delivers_a_group_message():
    layer = get_channel_layer()
    if IN_CI:
        assert settings.CHANNEL_LAYERS["default"]["BACKEND"].endswith("RedisChannelLayer")

    async def round_trip():
        channel = await layer.new_channel()
        await layer.group_add("health", channel)
        await layer.group_send("health", {"type": "ping", "n": 1})
        message = await layer.receive(channel)
        await layer.group_discard("health", channel)
        return message

    assert run(round_trip) == {"type": "ping", "n": 1}


def test_the_redis_layer_reads_longer_than_its_blocking_pop_waits():
    # With the read timeout no longer than the pop, a consumer waiting for a message on a
    # busy server gets TimeoutError instead of an empty pop, and its websocket drops.
    layer = get_channel_layer()
    if not settings.CHANNEL_LAYERS["default"]["BACKEND"].endswith("RedisChannelLayer"):
        assert not IN_CI
        pytest.skip("the in-memory layer has no sockets; REDIS_URL is unset")

    pool = layer.create_pool(0)
    timeout = pool.connection_class(**pool.connection_kwargs).socket_timeout  # not connected
    assert timeout is None or timeout > layer.brpop_timeout


def test_the_redis_layer_pool_holds_more_connections_than_redis_py_8s_default():
    # redis-py 8 caps an asyncio pool at 100 and then raises instead of waiting: with more
    # than 100 channel-layer calls in flight in one process, consumers died (bench B3).
    layer = get_channel_layer()
    if not settings.CHANNEL_LAYERS["default"]["BACKEND"].endswith("RedisChannelLayer"):
        assert not IN_CI
        pytest.skip("the in-memory layer has no pool; REDIS_URL is unset")

    assert layer.create_pool(0).max_connections >= 1000
