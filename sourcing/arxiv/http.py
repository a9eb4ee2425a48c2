"""What the arXiv clients share on the wire: a session with a timeout and the shared rate limit,
Retry-After parsing and backoff with jitter."""

from __future__ import annotations

import email.utils
import random
import time
from typing import Any

import requests
from django.conf import settings

from sourcing.arxiv.ratelimit import RateLimiter, arxiv_limiter

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_DELAY = 120.0
USER_AGENT = "Hirebar sourcing (https://github.com/hirebar; arXiv API client)"


class PacedSession(requests.Session):
    """Every request waits for a slot of the shared limiter and has a timeout; the last response
    is kept so callers can read headers (Retry-After) that the ``arxiv`` package drops."""

    def __init__(self, *, limiter: RateLimiter | None = None, timeout: float | None = None):
        super().__init__()
        self.limiter = limiter or arxiv_limiter()
        self.timeout = timeout if timeout is not None else settings.ARXIV_REQUEST_TIMEOUT
        self.last_response: requests.Response | None = None
        self.headers["User-Agent"] = USER_AGENT

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", self.timeout)
        self.limiter.acquire()
        self.last_response = None
        response = super().request(method, url, *args, **kwargs)
        self.last_response = response
        return response


def retry_after_seconds(response: requests.Response | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), if any."""
    if response is None:
        return None
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def backoff_delay(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with equal jitter for try ``attempt`` (1-based), never sooner than
    the server asked, capped at ``MAX_DELAY``."""
    ceiling = settings.ARXIV_BACKOFF_BASE * 2 ** (attempt - 1)
    delay = ceiling / 2 + random.uniform(0, ceiling / 2)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, MAX_DELAY)
