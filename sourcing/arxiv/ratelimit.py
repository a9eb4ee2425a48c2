"""One request every N seconds across every worker process together.

arXiv counts requests per client, not per process, so the interval is shared through Redis: an
atomic Lua script hands out *slots* (the next free instant, by Redis's own clock) and each caller
sleeps until its slot. No polling, no lock to leak when a worker dies mid-request; a dead worker
only wastes its slot. Without Redis the same slot logic runs within the process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import redis
from django.conf import settings

from sourcing.errors import TransientSourcingError

# KEYS[1]: the next free slot (microseconds, Redis clock). ARGV[1]: interval in microseconds.
# Returns the slot given to the caller and how long it must wait for it (both microseconds).
_RESERVE_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, free)
local ttl_ms = math.ceil((slot + interval - now) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', ttl_ms)
return {string.format('%.0f', slot), slot - now}
"""


class RateLimiter:
    """``acquire()`` blocks until this caller may send its request."""

    def __init__(
        self,
        *,
        interval: float,
        redis_url: str = "",
        key: str = "hirebar:arxiv:next-slot",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self.key = key
        self._sleep = sleep
        self._redis = redis.Redis.from_url(redis_url) if redis_url else None
        self._script = self._redis.register_script(_RESERVE_SLOT) if self._redis else None
        # The last slot granted, in seconds on the coordinating clock (Redis's, or monotonic).
        self.last_slot: float | None = None

    def reserve(self) -> float:
        """Take the next slot; returns seconds to wait before using it."""
        micros = int(self.interval * 1_000_000)
        if self._script is None:
            self.last_slot, wait = _local_reserve(self.key, self.interval)
            return wait
        try:
            slot, wait = self._script(keys=[self.key], args=[micros])
        except redis.RedisError as exc:
            # Falling back to a per-process limit would break the shared one: retry later.
            raise TransientSourcingError(f"rate limiter unavailable: {exc}") from exc
        self.last_slot = int(slot) / 1_000_000
        return max(0, int(wait)) / 1_000_000

    def acquire(self) -> None:
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)


_local_lock = threading.Lock()
_local_next: dict[str, float] = {}


def _local_reserve(key: str, interval: float) -> tuple[float, float]:
    with _local_lock:
        now = time.monotonic()
        slot = max(now, _local_next.get(key, 0.0))
        _local_next[key] = slot + interval
        return slot, slot - now


def arxiv_limiter(key: str = "hirebar:arxiv:next-slot") -> RateLimiter:
    """The limiter every arXiv request goes through (query API and OAI-PMH share one budget,
    since arXiv sees one client)."""
    return RateLimiter(
        interval=settings.ARXIV_MIN_REQUEST_INTERVAL, redis_url=settings.REDIS_URL, key=key
    )
