"""Which answers are worth another try, and how long to wait before it.

Only what can heal is retried: connection errors and timeouts (decided by the client), 408, 429,
500, 502, 503 and 504. Any other 4xx is the request's own fault and comes back at once, as does
any other 5xx (501 Not Implemented, 505 ...): trying again cannot change it. 500 stays retryable
because both arXiv and GitHub answer it for momentary failures."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from sourcing.http.retry_after import retry_after_seconds

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def backoff_delay(*, retry: int, base: float, cap: float) -> float:
    """Seconds before retry number ``retry`` (1 for the first): ``base * 2**(retry-1)`` with equal
    jitter (half of it fixed, half random), so workers that failed together do not come back
    together, and never more than ``cap``."""
    ceiling = base * 2.0 ** (retry - 1)
    return min(ceiling / 2 + random.uniform(0, ceiling / 2), cap)


@dataclass(frozen=True)
class Wait:
    """A pause an upstream announced before we ask again (``reason`` says which announcement)."""

    seconds: float
    reason: str


@dataclass
class RetryPolicy:
    """``attempts`` in all (the first one included); ``backoff_base`` seconds before the first
    retry, doubling; ``max_wait`` caps every backoff, and a pause the upstream asks for beyond it
    is not taken (the client raises ``WaitTooLong``). ``clock`` is Unix time, for HTTP dates.

    Upstreams with rate-limit rules of their own subclass it (``sourcing.github.ratelimits``);
    one instance serves one client, so a subclass may remember what earlier answers said."""

    attempts: int
    backoff_base: float
    max_wait: float
    statuses: frozenset[int] = RETRYABLE_STATUSES
    clock: Callable[[], float] = field(default=time.time)

    def wait_before(self, url: str) -> Wait | None:
        """A pause to take before sending to ``url``, from what earlier answers announced."""
        return None

    def observe(self, url: str, response: requests.Response) -> None:
        """Called with every answer, before ``delay_after``."""

    def delay_after(self, response: requests.Response, *, retry: int) -> float | None:
        """Seconds to wait before retry number ``retry``, or None when this answer is final.
        The server's Retry-After wins over our backoff: it knows when it will be ready."""
        if response.status_code not in self.statuses:
            return None
        announced = retry_after_seconds(response.headers, now=self.clock())
        return announced if announced is not None else self.backoff(retry=retry)

    def delay_after_error(self, error: Exception, *, retry: int) -> float:
        """Seconds to wait after a connection error or a timeout."""
        return self.backoff(retry=retry)

    def backoff(self, *, retry: int, base: float | None = None) -> float:
        return backoff_delay(retry=retry, base=base or self.backoff_base, cap=self.max_wait)
