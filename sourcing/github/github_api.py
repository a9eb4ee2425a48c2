"""The four GitHub REST endpoints this app uses, on top of the polite ``ApiClient``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from sourcing.github.client import ApiClient
from sourcing.github.errors import BadUpstreamData
from sourcing.github.parsing import (
    OwnerProfile,
    RepoInfo,
    parse_profile,
    parse_readme,
    parse_repository,
    parse_search_page,
)

# GitHub search returns at most 1,000 results per query, whatever total_count says.
SEARCH_RESULT_CAP = 1000
SEARCH_PAGE_SIZE = 100
GITHUB_JSON = "application/vnd.github+json"


@dataclass
class SearchResult:
    query: str
    total_count: int = 0
    repositories: list[RepoInfo] = field(default_factory=list)
    truncated: bool = False  # more matched than we read (our cap or GitHub's 1,000)
    incomplete: bool = False  # GitHub timed out and says the list may miss matches
    skipped: int = 0  # items without a usable shape


class GitHubApi:
    def __init__(self, client: ApiClient) -> None:
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
