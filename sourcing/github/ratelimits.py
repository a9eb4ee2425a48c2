"""GitHub's rate limits, as a retry policy for the polite session (``sourcing.http``).

Beyond Retry-After, GitHub announces its limits in headers: ``x-ratelimit-remaining`` and
``x-ratelimit-reset`` per resource (``x-ratelimit-resource``: ``core``, ``search`` ...), and a
403, not only a 429, may be a limit. So:

* before a request, if the last answer said the resource's budget is spent, wait for its reset;
* a 403/429 that is a limit waits for Retry-After, else the primary reset, else backs off from a
  minute (GitHub's advice for a secondary limit without headers); a 403 that is not a limit is
  final;
* everything else (5xx, timeouts) follows the generic policy.

The paper catalogues' clients use it too: they send none of these headers."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urlsplit

import requests

from sourcing.http.retries import RetryPolicy, Wait
from sourcing.http.retry_after import retry_after_seconds

# GitHub's advice for a secondary limit without headers: wait at least a minute.
SECONDARY_LIMIT_BASE_SECONDS = 60.0
# Base of the backoff after a 5xx, a timeout or a connection error.
SERVER_ERROR_BASE_SECONDS = 2.0


@dataclass
class Budget:
    """What the last answer said about one rate-limit resource."""

    remaining: int | None = None
    reset_at: float | None = None


@dataclass
class GitHubRateLimits(RetryPolicy):
    budgets: dict[str, Budget] = field(default_factory=dict)

    def wait_before(self, url: str) -> Wait | None:
        resource = _resource(url)
        budget = self.budgets.get(resource)
        if budget is None or budget.remaining != 0 or budget.reset_at is None:
            return None
        # Waited once (or already past): the next answer says where the budget stands.
        del self.budgets[resource]
        delay = budget.reset_at - self.clock() + 1
        if delay <= 0:
            return None
        return Wait(delay, f"{resource} budget spent until {budget.reset_at:.0f}")

    def observe(self, url: str, response: requests.Response) -> None:
        remaining = _int_header(response, "x-ratelimit-remaining")
        if remaining is not None:
            reset_at = _int_header(response, "x-ratelimit-reset")
            self.budgets[_resource_of(response, url)] = Budget(remaining, reset_at)

    def delay_after(self, response: requests.Response, *, retry: int) -> float | None:
        if response.status_code not in (403, 429):
            return super().delay_after(response, retry=retry)
        delay = self._limit_delay(response, retry=retry)
        if delay is not None:
            # This wait covers the reset the answer announced: not to be waited again.
            self.budgets.pop(_resource_of(response, response.url), None)
        return delay

    def _limit_delay(self, response: requests.Response, *, retry: int) -> float | None:
        announced = retry_after_seconds(response.headers, now=self.clock())
        if announced is not None:
            return announced
        if _int_header(response, "x-ratelimit-remaining") == 0:
            reset = _int_header(response, "x-ratelimit-reset")
            if reset is not None:
                return max(1.0, reset - self.clock() + 1)
            return self.backoff(retry=retry, base=SECONDARY_LIMIT_BASE_SECONDS)
        if response.status_code == HTTPStatus.TOO_MANY_REQUESTS or is_rate_limit_message(response):
            return self.backoff(retry=retry, base=SECONDARY_LIMIT_BASE_SECONDS)
        return None


def error_message(response: requests.Response) -> str:
    """GitHub's ``message`` from a JSON error body, else the start of the body."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return response.text[:200]


def is_rate_limit_message(response: requests.Response) -> bool:
    """A 403 whose message says it is a (secondary) rate limit."""
    return "rate limit" in error_message(response).lower()


def _resource(url: str) -> str:
    return "search" if "/search/" in urlsplit(url).path else "core"


def _resource_of(response: requests.Response, url: str) -> str:
    # Named as GitHub names it, when it does.
    return response.headers.get("x-ratelimit-resource") or _resource(url)


def _int_header(response: requests.Response, name: str) -> int | None:
    value = response.headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
