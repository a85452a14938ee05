"""The production cache (Redis) keeps one client per connection pool instead of building one
for every call, and still behaves as Django's Redis cache: against the real local Redis."""

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from qunce.core.cache import KeptClientRedisCache

TEST_REDIS = "redis://127.0.0.1:6379/8"


@pytest.fixture
def kept_cache():
    try:
        redis.Redis.from_url(TEST_REDIS).flushdb()
    except redis.ConnectionError:
        pytest.fail("Redis must listen on 127.0.0.1:6379 for the cache test")
    yield KeptClientRedisCache(TEST_REDIS, {})
    redis.Redis.from_url(TEST_REDIS).flushdb()


def test_every_call_uses_the_same_client_on_the_same_pool(kept_cache):
    first = kept_cache._cache.get_client(write=False)
    assert kept_cache._cache.get_client(write=True) is first
    assert kept_cache._cache.get_client("any key") is first
    assert first.connection_pool is kept_cache._cache._get_connection_pool(False)


def test_djangos_own_backend_builds_a_client_per_call():
    """The reason for the subclass: if Django ever keeps its client, this fails and the
    subclass can go."""
    plain = RedisCache(TEST_REDIS, {})
    assert plain._cache.get_client() is not plain._cache.get_client()


def test_it_reads_writes_counts_and_expires_like_the_plain_backend(kept_cache):
    plain = RedisCache(TEST_REDIS, {})
    kept_cache.set("checkin", {"day": "2026-12-07"}, 60)
    assert plain.get("checkin") == {"day": "2026-12-07"}
    assert kept_cache.add("failures", 0, 60) is True
    assert kept_cache.add("failures", 5, 60) is False
    assert kept_cache.incr("failures") == 1
    assert kept_cache.get_many(["checkin", "failures", "missing"]) == {
        "checkin": {"day": "2026-12-07"},
        "failures": 1,
    }
    kept_cache.set("gone", 1, 0)
    assert kept_cache.get("gone", "expired") == "expired"
    kept_cache.delete("checkin")
    assert plain.get("checkin") is None


def test_a_replica_list_still_reads_from_the_others_and_writes_to_the_first():
    """Django's server list: writes go to the first; each pool keeps a client of its own."""
    kept = KeptClientRedisCache(f"{TEST_REDIS},redis://127.0.0.1:6379/9", {})
    writer = kept._cache.get_client(write=True)
    reader = kept._cache.get_client(write=False)
    assert writer is not reader
    assert writer is kept._cache.get_client(write=True)
    assert reader is kept._cache.get_client(write=False)
    assert reader.connection_pool.connection_kwargs["db"] == 9
