"""How fast one upstream is asked, across every worker process together.

Upstreams count requests per client, not per process, so both rules below are shared through
Redis when ``redis_url`` is given, and hold within the process otherwise:

* ``min_interval``: request starts are at least that far apart (arXiv asks for one request every
  3 seconds). An atomic Lua script hands out *slots* (the next free instant, by Redis's own
  clock) and each caller sleeps until its slot: no polling, no lock to leak when a worker dies
  mid-request; a dead worker only wastes its slot.
* ``one_at_a_time``: no two requests in flight at once (GitHub asks integrators not to make
  concurrent requests, and its secondary limits punish them). A Redis lock per upstream, expiring
  on its own if its holder dies; a thread lock serialises the process's own threads first.

If Redis is configured but does not answer, the request is not sent (``ThrottleUnavailable``):
a per-process fallback would quietly multiply the rate by the number of workers."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

import redis
from redis.lock import Lock

from sourcing.http.errors import ThrottleUnavailable

logger = logging.getLogger(__name__)

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

# How long one request may hold the in-flight lock; longer than any timeout we set, so it only
# expires on its own when its holder died.
_HOLD_SECONDS = 120


@lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


class Throttle:
    """One per upstream client; instances with the same ``name`` share their limits (the Redis
    keys are named after it, and so are the in-process ones)."""

    def __init__(
        self,
        *,
        name: str,
        min_interval: float = 0.0,
        one_at_a_time: bool = False,
        redis_url: str = "",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = name
        self.min_interval = min_interval
        self.one_at_a_time = one_at_a_time
        self._sleep = sleep
        # The key names are the ones the workers already share, so a rolling deploy keeps one
        # limit between old and new workers.
        self._slot_key = f"hirebar:{name}:next-slot"
        self._lock_key = f"hirebar:upstream-slot:{name}"
        self._redis = _redis(redis_url) if redis_url else None
        self._script = self._redis.register_script(_RESERVE_SLOT) if self._redis else None
        # The last slot granted, in seconds on the coordinating clock (Redis's, or monotonic).
        self.last_slot: float | None = None

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold this caller's turn for one request: send inside the ``with`` block."""
        with self._in_flight():
            wait = self.reserve() if self.min_interval > 0 else 0.0
            if wait > 0:
                self._sleep(wait)
            yield

    def reserve(self) -> float:
        """Take the next slot of ``min_interval``; returns seconds to wait before using it."""
        if self._script is None:
            self.last_slot, wait = _local_reserve(self._slot_key, self.min_interval)
            return wait
        micros = int(self.min_interval * 1_000_000)
        try:
            slot, wait = self._script(keys=[self._slot_key], args=[micros])
        except redis.RedisError as exc:
            raise ThrottleUnavailable(f"rate limiter unavailable: {exc}") from exc
        self.last_slot = int(slot) / 1_000_000
        return max(0, int(wait)) / 1_000_000

    @contextmanager
    def _in_flight(self) -> Iterator[None]:
        if not self.one_at_a_time:
            yield
            return
        with _process_lock(self.name):
            if self._redis is None:
                yield
                return
            lock = self._redis.lock(
                self._lock_key, timeout=_HOLD_SECONDS, blocking_timeout=_HOLD_SECONDS
            )
            try:
                acquired = lock.acquire()
            except redis.RedisError as exc:
                raise ThrottleUnavailable(f"rate limiter unavailable: {exc}") from exc
            if not acquired:
                # Held for as long as any request may take: its holder is stuck or gone.
                logger.warning(
                    "upstream slot %s still held after %ss; going on", self.name, _HOLD_SECONDS
                )
            try:
                yield
            finally:
                if acquired:
                    _release(lock, self.name)


def _release(lock: Lock, name: str) -> None:
    try:
        lock.release()
    except redis.RedisError:
        # Expired while we held it (another worker may own it now), or Redis went away: the
        # request is done either way, and the lock expires on its own.
        logger.warning("upstream slot %s could not be released", name)


_locks_guard = threading.Lock()
_process_locks: dict[str, threading.Lock] = {}
_local_lock = threading.Lock()
_local_next: dict[str, float] = {}


def _process_lock(name: str) -> threading.Lock:
    with _locks_guard:
        return _process_locks.setdefault(name, threading.Lock())


def _local_reserve(key: str, interval: float) -> tuple[float, float]:
    with _local_lock:
        now = time.monotonic()
        slot = max(now, _local_next.get(key, 0.0))
        _local_next[key] = slot + interval
        return slot, slot - now
