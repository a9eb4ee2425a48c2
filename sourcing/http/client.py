"""The polite session: a ``requests.Session`` whose every request follows the etiquette below, so
libraries that take a session (the ``arxiv`` package) get it too.

In the order a request meets it:
1. a pause the upstream announced earlier (``RetryPolicy.wait_before``; GitHub's spent budgets);
2. the throttle's turn (minimum interval and/or one request in flight, across workers);
3. the request, with a timeout and our User-Agent (a caller's own header wins);
4. connection errors, timeouts and retryable statuses (``RetryPolicy``) are retried after the
   server's Retry-After or a capped exponential backoff with jitter; a pause longer than the
   policy's ``max_wait`` raises ``WaitTooLong`` instead of holding the worker; when the attempts
   are spent, ``GaveUp``;
5. any other answer is returned as it is: what a 4xx means is the caller's business.

``get_revalidated`` adds conditional requests on top, through an ``EtagStore``."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import requests

from sourcing.http.errors import GaveUp, WaitTooLong, short_reason
from sourcing.http.etags import EtagStore, representation_key
from sourcing.http.retries import RetryPolicy
from sourcing.http.throttle import Throttle

logger = logging.getLogger(__name__)

# Failures of the transport that the next attempt may not meet: the connection was refused or
# dropped (also mid-body, which requests reports as a chunked-encoding error), or was too slow.
HEALABLE_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


@dataclass(frozen=True)
class Fetched:
    """An answer to a conditional GET. ``response`` is what came over the wire (a 304 when the
    stored copy was still good); ``text`` is the body to use (the stored one after a 304)."""

    response: requests.Response
    text: str
    from_cache: bool


# Told before each wait between attempts: (seconds, why, the next attempt, attempts in all).
WaitListener = Callable[[float, str, int, int], None]


class PoliteSession(requests.Session):
    """One per upstream client. ``last_response`` is the last answer received, for callers whose
    library drops it (the ``arxiv`` package raises on a status without the body)."""

    def __init__(
        self,
        *,
        policy: RetryPolicy,
        throttle: Throttle,
        timeout: float,
        user_agent: str,
        etags: EtagStore | None = None,
        sleep: Callable[[float], None] = time.sleep,
        on_wait: WaitListener | None = None,
    ) -> None:
        super().__init__()
        self.on_wait = on_wait
        self.policy = policy
        self.throttle = throttle
        self.timeout = timeout
        self.etags = etags
        self._sleep = sleep
        self.headers["User-Agent"] = user_agent
        self.last_response: requests.Response | None = None
        self.not_modified = 0

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        """Send with retries; returns the first final answer. Raises ``GaveUp``,
        ``WaitTooLong`` or ``ThrottleUnavailable`` (all ``PoliteHttpError``); other request
        errors (an invalid URL, too many redirects) propagate at once."""
        target = url.decode() if isinstance(url, bytes) else url
        kwargs.setdefault("timeout", self.timeout)
        policy = self.policy
        self.last_response = None
        response: requests.Response | None = None
        error: Exception | None = None
        for attempt in range(1, policy.attempts + 1):
            if announced := policy.wait_before(target):
                self._wait(announced.seconds, url=target, reason=announced.reason)
            try:
                with self.throttle.turn():
                    response = super().request(method, url, *args, **kwargs)
            except HEALABLE_ERRORS as exc:
                logger.warning("request to %s failed: %s", target, exc)
                response, error = None, exc
                delay = policy.delay_after_error(exc, retry=attempt)
            else:
                self.last_response, error = response, None
                policy.observe(target, response)
                if (asked := policy.delay_after(response, retry=attempt)) is None:
                    return response
                if asked > policy.max_wait:
                    raise WaitTooLong(url=target, seconds=asked, response=response)
                delay = asked
            if attempt < policy.attempts:
                reason = _describe(response, error)
                if self.on_wait is not None:
                    self.on_wait(delay, reason, attempt + 1, policy.attempts)
                self._wait(delay, url=target, reason=reason)
        raise GaveUp(url=target, attempts=policy.attempts, response=response, error=error)

    def get_revalidated(self, url: str, *, headers: Mapping[str, str]) -> Fetched:
        """GET ``url``, revalidating the stored copy if there is one: its ETag goes out as
        ``If-None-Match`` and a 304 is answered with its body. Every 2xx with an ETag is stored.
        Raises as ``request`` does."""
        if self.etags is None:
            response = self.get(url, headers=dict(headers))
            return Fetched(response, response.text, from_cache=False)
        key = representation_key(url=url, accept=headers.get("Accept", ""))
        stored = self.etags.get(key)
        sent = dict(headers)
        if stored:
            sent["If-None-Match"] = stored[0]
        response = self.get(url, headers=sent)
        if response.status_code == HTTPStatus.NOT_MODIFIED and stored:
            self.not_modified += 1
            return Fetched(response, stored[1], from_cache=True)
        etag = response.headers.get("ETag")
        if response.ok and response.status_code < HTTPStatus.MULTIPLE_CHOICES and etag:
            self.etags.put(key, url=url, etag=etag, body=response.text)
        return Fetched(response, response.text, from_cache=False)

    def _wait(self, seconds: float, *, url: str, reason: str) -> None:
        if seconds > self.policy.max_wait:
            raise WaitTooLong(url=url, seconds=seconds, response=None, reason=reason)
        logger.info("waiting %.1fs before asking %s again: %s", seconds, url, reason)
        self._sleep(seconds)


def _describe(response: requests.Response | None, error: Exception | None) -> str:
    return f"HTTP {response.status_code}" if response is not None else short_reason(error)
