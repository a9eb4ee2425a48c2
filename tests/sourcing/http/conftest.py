"""The polite session on its own, against the local replay servers of tests/sourcing: real HTTP to
127.0.0.1, waits between attempts recorded instead of slept."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator

import pytest

from sourcing.http.client import PoliteSession
from sourcing.http.etags import EtagStore
from sourcing.http.retries import RetryPolicy
from sourcing.http.throttle import Throttle
from tests.sourcing.github.replay import ReplayServer as RecordingServer

USER_AGENT = "hirebar-tests"


def polite_session(
    *,
    waits: list[float] | None = None,
    attempts: int = 3,
    backoff_base: float = 0.01,
    max_wait: float = 60.0,
    clock: Callable[[], float] = time.time,
    timeout: float = 2.0,
    throttle: Throttle | None = None,
    etags: EtagStore | None = None,
) -> PoliteSession:
    policy = RetryPolicy(
        attempts=attempts, backoff_base=backoff_base, max_wait=max_wait, clock=clock
    )
    return PoliteSession(
        policy=policy,
        throttle=throttle or Throttle(name=f"test-{uuid.uuid4().hex}"),
        timeout=timeout,
        user_agent=USER_AGENT,
        etags=etags,
        sleep=(waits if waits is not None else []).append,
    )


@pytest.fixture
def recordings() -> Iterator[RecordingServer]:
    """The GitHub recordings server: it replays recorded bytes and keeps each request's headers."""
    server = RecordingServer().start()
    yield server
    server.stop()
