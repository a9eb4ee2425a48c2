"""arXiv's one request every N seconds across processes: the throttle's Redis slot script, the
in-process fallback, and the arXiv client pacing its real requests."""

from __future__ import annotations

import itertools
import multiprocessing
import threading
import time
import uuid

import arxiv
import pytest

from sourcing.arxiv.client import ArxivClient
from sourcing.http.throttle import Throttle
from tests.sourcing.conftest import api_fixture
from tests.sourcing.replay import Reply

INTERVAL = 0.15


def _hammer(redis_url: str, key: str, count: int, out: multiprocessing.Queue) -> None:
    """Record each granted slot (when the process may send) and when it actually woke up."""
    limiter = Throttle(name=key, min_interval=INTERVAL, redis_url=redis_url)
    slots, woke = [], []
    for _ in range(count):
        wait = limiter.reserve()
        slots.append(limiter.last_slot)
        time.sleep(wait)
        woke.append(time.time())
    out.put((slots, woke))


def _gaps(stamps: list[float]) -> list[float]:
    ordered = sorted(stamps)
    return [b - a for a, b in itertools.pairwise(ordered)]


@pytest.mark.redis
def test_separate_processes_share_one_interval_through_redis(redis_url):
    # given four worker processes asking for slots at the same time
    key = f"test:ratelimit:{uuid.uuid4().hex}"
    context = multiprocessing.get_context("fork")
    out: multiprocessing.Queue = context.Queue()
    processes = [context.Process(target=_hammer, args=(redis_url, key, 4, out)) for _ in range(4)]

    # when
    for process in processes:
        process.start()
    results = [out.get(timeout=30) for _ in processes]
    for process in processes:
        process.join(10)
    slots = [slot for process_slots, _ in results for slot in process_slots]
    woke = [stamp for _, process_woke in results for stamp in process_woke]

    # then their 16 slots, all together, are one interval apart (measured on the slots, since
    # a loaded machine may wake a sleeper late), and the requests spread over 15 intervals
    assert len(slots) == 16
    assert min(_gaps(slots)) >= INTERVAL * 0.999
    assert max(woke) - min(woke) >= INTERVAL * 15 * 0.95


def test_without_redis_threads_of_one_process_share_the_interval():
    limiter = Throttle(name=f"local-{uuid.uuid4().hex}", min_interval=0.05)
    stamps: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(3):
            with lock:
                wait = limiter.reserve()
                stamps.append(limiter.last_slot)
            time.sleep(wait)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert min(_gaps(stamps)) >= 0.05 * 0.999


@pytest.mark.redis
def test_the_arxiv_client_paces_its_real_requests(arxiv_replay, redis_url, settings):
    settings.REDIS_URL = redis_url
    settings.ARXIV_MIN_REQUEST_INTERVAL = 0.3
    arxiv_replay.add("/api/query", {"start": "0"}, Reply.file(api_fixture("q_testing_s0_m10")))
    arxiv_replay.add("/api/query", {"start": "10"}, Reply.file(api_fixture("q_testing_s10_m10")))
    throttle = Throttle(name=f"t-{uuid.uuid4().hex}", min_interval=0.3, redis_url=redis_url)
    client = ArxivClient(page_size=10, throttle=throttle)
    results = list(client.results(arxiv.Search(query="all:testing", max_results=20)))

    assert len(results) == 20
    hits = arxiv_replay.hits("/api/query")
    assert hits[1].at - hits[0].at >= 0.3 * 0.9
