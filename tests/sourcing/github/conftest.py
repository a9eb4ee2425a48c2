"""Fixtures for sourcing.github: a replay server on 127.0.0.1 that the real clients talk to over
HTTP (settings point every upstream base URL at it), and a recorder instead of real sleeping so
rate-limit waits are asserted, not waited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sourcing.github import toolkit
from tests.sourcing.github.replay import ReplayServer

SMA = "2401.04567"
SEARCH_BY_ID = f"/search/repositories?q=%22{SMA}%22+in%3Areadme&per_page=100"
SEARCH_BY_TITLE = (
    "/search/repositories?q=%22Sparse+Mixture+Adapters+for+Efficient+Fine-Tuning%22"
    "+in%3Areadme&per_page=100"
)


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    server = ReplayServer().start()
    yield server
    server.stop()


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []
    monkeypatch.setattr(toolkit, "sleep_real", waits.append)
    return waits


@pytest.fixture
def upstream(settings, replay: ReplayServer, slept: list[float]) -> ReplayServer:  # type: ignore[no-untyped-def]
    settings.GITHUB_API_URL = replay.base_url
    settings.PAPER_CATALOGUE_URL = replay.base_url
    settings.HUGGINGFACE_PAPERS_URL = replay.base_url
    settings.GITHUB_TOKEN = ""
    settings.GITHUB_MAX_RETRIES = 2
    settings.GITHUB_MAX_WAIT_SECONDS = 120
    settings.GITHUB_TIMEOUT_SECONDS = 5
    return replay


def serve_sma(replay: ReplayServer, *, catalogues: bool = True) -> None:
    """The recorded scenario: one official repository, two re-implementations, one repository
    deleted between search and fetch, one search hit whose README does not cite the paper."""
    replay.serve("sma-search-by-id")
    replay.serve("sma-search-by-title", at=SEARCH_BY_TITLE)
    for full_name in (
        "adalovelace/sparse-mixture-adapters",
        "bobsmith/sma-pytorch",
        "carol-ml/sparse-adapters-jax",
        "noise-org/awesome-peft",
    ):
        key = full_name.replace("/", "--")
        replay.serve(f"repos-{key}")
        replay.serve(f"readme-{key}")
    replay.serve("repos-deleted-404")
    for login in ("adalovelace", "bobsmith", "carol-ml", "noise-org"):
        replay.serve(f"users-{login}")
    if catalogues:
        replay.serve("catalogue-sma", at=f"/api/v1/papers/{SMA}?include_resources=true")
        replay.serve("huggingface-sma", at=f"/api/papers/{SMA}")
