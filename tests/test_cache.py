"""The Redis cache backend (``config.cache``): Django's, with one client object per process."""

import uuid

import pytest

from config.cache import RedisCache


@pytest.mark.redis
def test_redis_cache_reuses_its_clients_and_round_trips_values(redis_url):
    # given
    cache = RedisCache(redis_url, {})
    key = f"test-cache-{uuid.uuid4().hex}"

    # when
    cache.set(key, {"token": ("generation", [1, 2])}, timeout=30)
    found = cache.get_many([key, f"{key}-missing"])

    # then values survive the trip, and every call goes through the same two clients
    assert found == {key: {"token": ("generation", [1, 2])}}
    client = cache._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client(write=True)
    cache.delete(key)
