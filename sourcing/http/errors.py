"""How the polite client fails, by what the caller can do about it. Each upstream translates these
into its own errors (``sourcing.errors`` for arXiv, ``sourcing.github.errors`` for GitHub)."""

from __future__ import annotations

import requests


class PoliteHttpError(Exception):
    """No usable answer now; worth trying again later (a later task, a resumed run)."""


class GaveUp(PoliteHttpError):
    """Every attempt ended in something that can heal (a connection error, a timeout, a retryable
    status) and the attempts are spent. ``response`` is the last answer, or None when the last
    attempt got none (then ``error`` says why)."""

    def __init__(
        self,
        *,
        url: str,
        attempts: int,
        response: requests.Response | None,
        error: Exception | None,
    ) -> None:
        self.url = url
        self.attempts = attempts
        self.response = response
        self.error = error
        super().__init__(f"{url}: {self.problem} (gave up after {attempts} attempts)")

    @property
    def problem(self) -> str:
        if self.response is not None:
            return f"HTTP {self.response.status_code}"
        return short_reason(self.error)


def short_reason(error: Exception | None) -> str:
    """A request error in a few words for people (the run's error, the retry note); the full
    text, with its URL and wrapped causes, goes to the log and the error's details."""
    if isinstance(error, requests.Timeout):
        return "no answer in time (timeout)"
    if isinstance(error, requests.ConnectionError):
        return "unreachable (connection failed)"
    if isinstance(
        error, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
    ):
        return "the answer broke off"
    return type(error).__name__ if error is not None else "no answer"


class WaitTooLong(PoliteHttpError):
    """The upstream asked for a pause (Retry-After, an announced reset) longer than the policy's
    ``max_wait``: holding a worker that long is worse than rescheduling the work. ``response`` is
    the answer that asked, or None when the pause was announced earlier (then ``reason`` says
    what announced it)."""

    def __init__(
        self, *, url: str, seconds: float, response: requests.Response | None, reason: str = ""
    ) -> None:
        self.url = url
        self.seconds = seconds
        self.response = response
        self.reason = reason
        super().__init__(f"{url}: {self.problem}, wait {seconds:.0f}s")

    @property
    def problem(self) -> str:
        if self.response is not None:
            return f"HTTP {self.response.status_code}"
        return self.reason


class ThrottleUnavailable(PoliteHttpError):
    """Redis, which coordinates the throttle between workers, did not answer. Nothing was sent:
    going on with a per-process throttle would multiply the rate by the number of workers."""
