"""Django's Redis cache backend, reusing its client object.

Django's backend builds a new ``redis.Redis`` for every call (``RedisCacheClient.get_client``);
building one costs more CPU than the GET it then sends. The API reads the cache on every request
(``core.api.credentials``), so this backend keeps its client for reads and its client for
writes: a client is only a front to its connection pool, which is thread-safe and reconnects after
a fork. With several servers (a primary and replicas), each process reads from the replica it
picked first instead of one picked per call.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _ReusedClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[bool, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        client = self._clients.get(write)
        if client is None:
            client = self._clients[write] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ReusedClient
