"""Politeness towards upstream APIs: one request at a time, and waiting out announced limits.

GitHub asks integrators not to make concurrent requests; the secondary limits punish it. Within a
process a lock serialises requests; when ``REDIS_URL`` is set, a Redis lock does the same across
Celery workers."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

_process_lock = threading.Lock()
# How long one request may hold the cross-process slot; longer than any timeout we set.
_SLOT_SECONDS = 120


@lru_cache(maxsize=4)
def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


@contextmanager
def request_slot(name: str) -> Iterator[None]:
    """Hold the one-request-at-a-time slot for ``name`` (e.g. the API host)."""
    with _process_lock:
        redis_url = getattr(settings, "REDIS_URL", "")
        if not redis_url:
            yield
            return
        import redis

        lock = _redis(redis_url).lock(
            f"hirebar:upstream-slot:{name}", timeout=_SLOT_SECONDS, blocking_timeout=_SLOT_SECONDS
        )
        try:
            acquired = lock.acquire()
        except redis.exceptions.ConnectionError:
            # Redis down: keep working, serialised within this process only.
            logger.warning("Redis unavailable; upstream requests serialised per process only")
            acquired = False
        try:
            yield
        finally:
            if acquired:
                try:
                    lock.release()
                except redis.exceptions.RedisError:
                    # Expired while we held it: another worker may already own it; nothing to undo.
                    logger.warning("upstream slot %s expired before release", name)


@dataclass
class Budget:
    """What the last response said about one rate-limit resource (core, search, ...)."""

    remaining: int | None = None
    reset_at: float | None = None


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup (recorded fixtures mix ``ETag`` and ``etag``)."""
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = header(headers, name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def retry_after_seconds(headers: Mapping[str, str], *, now: Callable[[], float]) -> float | None:
    """``Retry-After`` as seconds; it may be a number or an HTTP date."""
    value = header(headers, "retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now())
    except (TypeError, ValueError):
        return None


def sleep_real(seconds: float) -> None:
    time.sleep(seconds)
