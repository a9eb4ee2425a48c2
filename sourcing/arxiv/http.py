"""How every arXiv request goes out: a polite session (``sourcing.http``) built from the
``ARXIV_*`` settings. The query API and OAI-PMH share one throttle, since arXiv counts requests
per client: one request every ``ARXIV_MIN_REQUEST_INTERVAL`` seconds across all our workers."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings

from sourcing.http.client import PoliteSession, WaitListener
from sourcing.http.retries import RetryPolicy
from sourcing.http.throttle import Throttle

USER_AGENT = "Hirebar sourcing (https://github.com/hirebar; arXiv API client)"
# The longest pause taken inside one request. A longer Retry-After ends the attempt and the
# Celery task retries after exactly that long instead of holding a worker.
MAX_WAIT = 120.0


def arxiv_throttle() -> Throttle:
    return Throttle(
        name="arxiv",
        min_interval=settings.ARXIV_MIN_REQUEST_INTERVAL,
        redis_url=settings.REDIS_URL,
    )


def arxiv_session(
    *,
    throttle: Throttle | None = None,
    timeout: float | None = None,
    attempts: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_wait: WaitListener | None = None,
) -> PoliteSession:
    """A session for one arXiv client; ``sleep`` is for the waits between attempts (the
    throttle's own sleep is always real)."""
    policy = RetryPolicy(
        attempts=attempts or settings.ARXIV_MAX_ATTEMPTS,
        backoff_base=settings.ARXIV_BACKOFF_BASE,
        max_wait=MAX_WAIT,
    )
    return PoliteSession(
        policy=policy,
        throttle=throttle or arxiv_throttle(),
        timeout=timeout if timeout is not None else settings.ARXIV_REQUEST_TIMEOUT,
        user_agent=USER_AGENT,
        sleep=sleep,
        on_wait=on_wait,
    )
