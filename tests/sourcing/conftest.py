from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sourcing.replay import ReplayServer

# The real recorded responses, copied byte for byte into the repository (see its README).
SHARED = Path(__file__).resolve().parents[1] / "fixtures" / "recorded"
API = SHARED / "arxiv-api"
OAI = SHARED / "arxiv-oai"
SNAPSHOT = SHARED / "arxiv-snapshot" / "arxiv-metadata-oai-snapshot.head100.jsonl"
OWN = Path(__file__).resolve().parent / "fixtures"


def api_fixture(prefix: str) -> Path:
    return next(API.glob(f"{prefix}_*.xml"))


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    with ReplayServer() as server:
        yield server


@pytest.fixture
def arxiv_replay(replay: ReplayServer, settings) -> ReplayServer:  # type: ignore[no-untyped-def]
    """Point both arXiv clients at the replay server; tiny rate-limit interval and backoff."""
    settings.ARXIV_API_URL = replay.url("/api/query")
    settings.ARXIV_OAI_URL = replay.url("/oai")
    settings.ARXIV_MIN_REQUEST_INTERVAL = 0.01
    settings.ARXIV_BACKOFF_BASE = 0.05
    settings.ARXIV_REQUEST_TIMEOUT = 5.0
    settings.REDIS_URL = ""
    return replay
