"""The GitHub side's clients and sources, built from settings in one place, so tests point them at
a local replay server by overriding settings (``GITHUB_API_URL`` ...) and nothing else."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from sourcing.github.api import GitHubApi, JsonApi
from sourcing.github.etag_store import DatabaseEtagStore
from sourcing.github.ratelimits import SERVER_ERROR_BASE_SECONDS, GitHubRateLimits
from sourcing.github.sources import (
    CatalogueSource,
    GitHubSearchSource,
    HuggingFaceSource,
    ImplementationSource,
    PaperLinksSource,
)
from sourcing.http.client import PoliteSession
from sourcing.http.throttle import Throttle

GITHUB_HEADERS = {"X-GitHub-Api-Version": "2022-11-28"}
USER_AGENT = "hirebar-sourcing (+https://github.com/)"


@dataclass
class Toolkit:
    github: GitHubApi
    sources: list[ImplementationSource]


def sleep_real(seconds: float) -> None:
    """The waits between attempts; tests replace it with a recorder (looked up at build time)."""
    time.sleep(seconds)


def json_api(
    base_url: str,
    *,
    sleep: Callable[[float], None],
    token: str = "",
    headers: Mapping[str, str] | None = None,
    clock: Callable[[], float] = time.time,
) -> JsonApi:
    """A client for one upstream (GitHub or a paper catalogue) with the ``GITHUB_*`` etiquette:
    one request in flight per host across workers, ETags in the database."""
    policy = GitHubRateLimits(
        attempts=settings.GITHUB_MAX_RETRIES + 1,
        backoff_base=SERVER_ERROR_BASE_SECONDS,
        max_wait=settings.GITHUB_MAX_WAIT_SECONDS,
        clock=clock,
    )
    throttle = Throttle(
        name=urlsplit(base_url).netloc, one_at_a_time=True, redis_url=settings.REDIS_URL
    )
    session = PoliteSession(
        policy=policy,
        throttle=throttle,
        timeout=settings.GITHUB_TIMEOUT_SECONDS,
        user_agent=USER_AGENT,
        etags=DatabaseEtagStore(),
        sleep=sleep,
    )
    return JsonApi(base_url=base_url, session=session, token=token, headers=headers)


def build_toolkit(*, sleep: Callable[[float], None] | None = None) -> Toolkit:
    sleep = sleep or sleep_real
    github = GitHubApi(
        json_api(
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
        sources.append(CatalogueSource(json_api(settings.PAPER_CATALOGUE_URL, sleep=sleep)))
    if settings.HUGGINGFACE_PAPERS_ENABLED and settings.HUGGINGFACE_PAPERS_URL:
        sources.append(HuggingFaceSource(json_api(settings.HUGGINGFACE_PAPERS_URL, sleep=sleep)))
    return Toolkit(github=github, sources=sources)
