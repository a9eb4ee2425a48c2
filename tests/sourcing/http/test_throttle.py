"""The throttle spacing and serialising real requests: in one process, across processes through
Redis, and refusing to send when the configured Redis does not answer."""

from __future__ import annotations

import itertools
import multiprocessing
import threading
import time
import uuid

import pytest

from sourcing.http.errors import ThrottleUnavailable
from sourcing.http.throttle import Throttle
from tests.sourcing.http.conftest import polite_session
from tests.sourcing.replay import ReplayServer, Reply

PATH = "/resource"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def _gaps(replay: ReplayServer) -> list[float]:
    stamps = sorted(hit.at for hit in replay.hits(PATH))
    return [b - a for a, b in itertools.pairwise(stamps)]


def test_the_minimum_interval_spaces_requests_of_sessions_sharing_a_name(
    replay: ReplayServer,
) -> None:
    # given two sessions of one upstream (two clients in one worker), 0.2 s apart at least
    replay.add(PATH, {}, Reply(200, b"ok"))
    name = f"spaced-{uuid.uuid4().hex}"
    sessions = [polite_session(throttle=Throttle(name=name, min_interval=0.2)) for _ in range(2)]

    # when they take turns asking
    started = time.monotonic()
    for session in sessions * 2:
        session.get(replay.url(PATH))
    elapsed = time.monotonic() - started

    # then the fourth request waited three intervals after the first (less a little for timer
    # resolution). Measured here, where the throttle waits: the server's arrival times can
    # bunch up when the machine is busy, which says nothing about when requests were sent.
    assert len(_gaps(replay)) == 3
    assert elapsed >= 3 * 0.2 * 0.95


def test_one_at_a_time_keeps_requests_from_overlapping(replay: ReplayServer) -> None:
    # given an upstream that takes 0.3 s to answer, and two threads asking at once
    replay.add(PATH, {}, Reply(200, b"ok", delay=0.3))
    name = f"serial-{uuid.uuid4().hex}"

    def ask() -> None:
        polite_session(throttle=Throttle(name=name, one_at_a_time=True)).get(replay.url(PATH))

    threads = [threading.Thread(target=ask) for _ in range(2)]

    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then the second request was sent only once the first was answered
    assert _gaps(replay)[0] >= 0.3 * 0.95


def _ask_once(url: str, redis_url: str, name: str) -> None:
    throttle = Throttle(name=name, one_at_a_time=True, redis_url=redis_url)
    polite_session(throttle=throttle).get(url)


@pytest.mark.redis
def test_one_at_a_time_holds_across_processes_through_redis(
    replay: ReplayServer, redis_url: str
) -> None:
    # given three worker processes asking a slow upstream at once (each has its own process
    # lock, so only the Redis lock can keep them apart)
    replay.add(PATH, {}, Reply(200, b"ok", delay=0.3))
    name = f"serial-{uuid.uuid4().hex}"
    context = multiprocessing.get_context("fork")
    args = (replay.url(PATH), redis_url, name)
    processes = [context.Process(target=_ask_once, args=args) for _ in range(3)]

    # when
    for process in processes:
        process.start()
    for process in processes:
        process.join(30)

    # then no two requests were in flight together
    assert [process.exitcode for process in processes] == [0, 0, 0]
    gaps = _gaps(replay)
    assert len(gaps) == 2
    assert min(gaps) >= 0.3 * 0.95


@pytest.mark.parametrize(
    "limits", [{"min_interval": 0.01}, {"one_at_a_time": True}], ids=["interval", "serial"]
)
def test_an_unreachable_redis_stops_the_request(replay: ReplayServer, limits: dict) -> None:
    replay.add(PATH, {}, Reply(200, b"ok"))
    name = f"down-{uuid.uuid4().hex}"
    session = polite_session(throttle=Throttle(name=name, redis_url=UNREACHABLE_REDIS, **limits))

    with pytest.raises(ThrottleUnavailable, match="rate limiter unavailable"):
        session.get(replay.url(PATH))

    assert replay.requests == []
