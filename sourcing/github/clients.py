"""Clients and sources built from settings, in one place, so tests point them at a local replay
server by overriding settings (``GITHUB_API_URL`` ...) and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from sourcing.github import throttle
from sourcing.github.client import ApiClient, ClientConfig
from sourcing.github.etag_store import DatabaseEtagStore
from sourcing.github.github_api import GitHubApi
from sourcing.github.sources import (
    CatalogueSource,
    GitHubSearchSource,
    HuggingFaceSource,
    ImplementationSource,
    PaperLinksSource,
)

GITHUB_HEADERS = {"X-GitHub-Api-Version": "2022-11-28"}


@dataclass
class Toolkit:
    github: GitHubApi
    sources: list[ImplementationSource]


def _client(
    base_url: str,
    *,
    sleep: Callable[[float], None],
    token: str = "",
    headers: dict[str, str] | None = None,
) -> ApiClient:
    config = ClientConfig(
        base_url=base_url,
        token=token,
        timeout=settings.GITHUB_TIMEOUT_SECONDS,
        max_retries=settings.GITHUB_MAX_RETRIES,
        max_wait=settings.GITHUB_MAX_WAIT_SECONDS,
        extra_headers=headers or {},
    )
    return ApiClient(config, etags=DatabaseEtagStore(), sleep=sleep)


def build_toolkit(*, sleep: Callable[[float], None] | None = None) -> Toolkit:
    # Looked up at call time so tests can replace the real sleep with a recorder.
    sleep = sleep or throttle.sleep_real
    github = GitHubApi(
        _client(
            settings.GITHUB_API_URL,
            sleep=sleep,
            token=settings.GITHUB_TOKEN,
            headers=GITHUB_HEADERS,
        )
    )
    sources: list[ImplementationSource] = [
        PaperLinksSource(),
        GitHubSearchSource(github, max_results=settings.GITHUB_SEARCH_MAX_RESULTS),
    ]
    if settings.PAPER_CATALOGUE_ENABLED and settings.PAPER_CATALOGUE_URL:
        sources.append(CatalogueSource(_client(settings.PAPER_CATALOGUE_URL, sleep=sleep)))
    if settings.HUGGINGFACE_PAPERS_ENABLED and settings.HUGGINGFACE_PAPERS_URL:
        sources.append(HuggingFaceSource(_client(settings.HUGGINGFACE_PAPERS_URL, sleep=sleep)))
    return Toolkit(github=github, sources=sources)
