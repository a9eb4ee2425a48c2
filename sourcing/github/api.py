"""JSON APIs over the polite session: GitHub's REST endpoints this app uses, parsed into typed
records, and the plain JSON client the paper catalogues share with it.

``JsonApi`` adds to ``sourcing.http`` what is common to these upstreams: a base URL, conditional
GETs through the ETag store, ``Link: rel="next"`` pagination (only to the configured origin),
the token (only when set, and only to that origin), JSON parsing, and the translation of failures
into ``sourcing.github.errors``, whose messages are shown on runs."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

import requests

from sourcing.github.errors import BadUpstreamData, NotFound, RateLimited, UpstreamError
from sourcing.github.parsing import (
    OwnerProfile,
    RepoInfo,
    parse_profile,
    parse_readme,
    parse_repository,
    parse_search_page,
)
from sourcing.github.ratelimits import error_message
from sourcing.http.client import Fetched, PoliteSession
from sourcing.http.errors import GaveUp, ThrottleUnavailable, WaitTooLong

logger = logging.getLogger(__name__)

# GitHub search returns at most 1,000 results per query, whatever total_count says.
SEARCH_RESULT_CAP = 1000
SEARCH_PAGE_SIZE = 100
GITHUB_JSON = "application/vnd.github+json"


@dataclass(frozen=True)
class ApiResponse:
    status: int
    data: Any
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    links: Mapping[str, str] = field(default_factory=dict)
    from_cache: bool = False


class JsonApi:
    """Not thread-safe by design: one client serves one job (its session remembers rate-limit
    budgets), and requests are serialised anyway."""

    def __init__(
        self,
        *,
        base_url: str,
        session: PoliteSession,
        token: str = "",
        accept: str = "application/json",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.base_url = base_url
        self.session = session
        self.token = token
        self.accept = accept
        self.headers = dict(headers or {})
        base = urlsplit(base_url)
        self._origin = (base.scheme, base.netloc)

    def get(
        self, path_or_url: str, *, params: Mapping[str, Any] | None = None, accept: str = ""
    ) -> ApiResponse:
        """GET a JSON document. Raises ``NotFound``, ``RateLimited`` (resumable: the wait or the
        failures outlasted what one job allows), ``BadUpstreamData`` or ``UpstreamError``;
        never returns a non-2xx answer."""
        url = self._url(path_or_url, params)
        headers = {"Accept": accept or self.accept, **self.headers}
        if self.token and self._same_origin(url):
            headers["Authorization"] = f"Bearer {self.token}"
        fetched = self._fetch(url, headers)
        status = fetched.response.status_code
        if status == HTTPStatus.NOT_FOUND:
            raise NotFound(f"{url} does not exist (404).")
        if status >= HTTPStatus.BAD_REQUEST or (
            status == HTTPStatus.NOT_MODIFIED and not fetched.from_cache
        ):
            raise UpstreamError(f"{url} answered {status}: {error_message(fetched.response)}")
        return _parse(url, fetched)

    def pages(self, path: str, *, params: Mapping[str, Any] | None = None) -> Iterator[ApiResponse]:
        """Follow ``Link: rel="next"`` from the first page; stops at a link to another origin."""
        response = self.get(path, params=params)
        yield response
        while next_url := response.links.get("next"):
            if not self._same_origin(next_url):
                logger.warning("not following pagination link to another origin: %s", next_url)
                return
            response = self.get(next_url)
            yield response

    def _fetch(self, url: str, headers: Mapping[str, str]) -> Fetched:
        try:
            return self.session.get_revalidated(url, headers=headers)
        except WaitTooLong as exc:
            why = exc.reason
            if exc.response is not None:
                why = f"{exc.response.status_code} {error_message(exc.response)} on {url}"
            raise RateLimited(
                f"Rate limited ({why}); the wait of {exc.seconds:.0f}s exceeds the "
                f"{self.session.policy.max_wait:.0f}s allowed. Resume the run later."
            ) from exc
        except GaveUp as exc:
            last = "no answer (connection error or timeout)"
            if exc.response is not None:
                last = f"{exc.response.status_code} {error_message(exc.response)}"
            raise RateLimited(
                f"Gave up on {url} after {exc.attempts} attempts (last: {last}); "
                "resume the run later."
            ) from exc
        except ThrottleUnavailable as exc:
            raise RateLimited(f"{exc}; resume the run later.") from exc
        except requests.RequestException as exc:
            # Not a failure that heals (an invalid URL, a redirect loop): say what it was.
            raise UpstreamError(f"{url} could not be fetched: {exc}") from exc

    def _url(self, path_or_url: str, params: Mapping[str, Any] | None) -> str:
        if path_or_url.startswith(("http://", "https://")):
            url = path_or_url
        else:
            url = urljoin(self.base_url.rstrip("/") + "/", path_or_url.lstrip("/"))
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params)
        return url

    def _same_origin(self, url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme, parts.netloc) == self._origin


def _parse(url: str, fetched: Fetched) -> ApiResponse:
    body = fetched.text
    try:
        data = json.loads(body) if body.strip() else None
    except ValueError as exc:
        raise BadUpstreamData(f"{url} did not answer JSON: {body[:80]!r}") from exc
    response = fetched.response
    links = {rel: link["url"] for rel, link in response.links.items() if "url" in link}
    return ApiResponse(
        status=200 if fetched.from_cache else response.status_code,
        data=data,
        url=url,
        headers=dict(response.headers),
        links=links,
        from_cache=fetched.from_cache,
    )


@dataclass
class SearchResult:
    query: str
    total_count: int = 0
    repositories: list[RepoInfo] = field(default_factory=list)
    truncated: bool = False  # more matched than we read (our cap or GitHub's 1,000)
    incomplete: bool = False  # GitHub timed out and says the list may miss matches
    skipped: int = 0  # items without a usable shape


class GitHubApi:
    """The four GitHub REST endpoints this app uses."""

    def __init__(self, client: JsonApi) -> None:
        self.client = client

    def search_repositories(self, query: str, *, max_results: int) -> SearchResult:
        """Follow pagination until ``max_results`` (at most GitHub's cap) or the last page."""
        limit = max(1, min(max_results, SEARCH_RESULT_CAP))
        result = SearchResult(query=query)
        params = {"q": query, "per_page": min(SEARCH_PAGE_SIZE, limit)}
        for page in self.client.pages("/search/repositories", params=params):
            total, incomplete, items = parse_search_page(page.data)
            result.total_count = max(result.total_count, total)
            result.incomplete = result.incomplete or incomplete
            for item in items:
                if len(result.repositories) >= limit:
                    break
                try:
                    result.repositories.append(parse_repository(item))
                except BadUpstreamData:
                    result.skipped += 1
            if len(result.repositories) >= limit or not items:
                break
        result.truncated = result.total_count > len(result.repositories) + result.skipped
        return result

    def repository(self, full_name: str) -> RepoInfo:
        return parse_repository(self._get(f"/repos/{_path(full_name)}"))

    def readme(self, full_name: str) -> str:
        return parse_readme(self._get(f"/repos/{_path(full_name)}/readme"))

    def profile(self, login: str) -> OwnerProfile:
        return parse_profile(self._get(f"/users/{quote(login, safe='')}"))

    def _get(self, path: str) -> Any:
        return self.client.get(path, accept=GITHUB_JSON).data


def _path(full_name: str) -> str:
    owner, _, name = full_name.partition("/")
    return f"{quote(owner, safe='')}/{quote(name, safe='')}"
