"""Where candidate repositories for a paper come from. Each source is small and pluggable: it takes
a ``PaperRef`` and returns hits with provenance; it never writes to the database.

- ``paper_links``: github.com links in the paper's own comment or abstract (official by intent);
- ``github_search``: repositories whose README cites the arXiv id or the exact title (confirmed
  later by reading the README, since search matches loosely);
- ``catalogue``: the Papers-with-Code successor catalogue, which flags official repositories;
- ``huggingface``: the Hugging Face paper page's ``githubRepo`` (set by the paper's authors)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

from sourcing.github.api import GitHubApi, JsonApi
from sourcing.github.errors import NotFound
from sourcing.github.parsing import github_full_names

PAPER_LINKS = "paper_links"
GITHUB_SEARCH = "github_search"
CATALOGUE = "catalogue"
HUGGINGFACE = "huggingface"

# GitHub rejects queries over 256 characters; a title that long is searched by id only.
_MAX_QUERY = 256


@dataclass(frozen=True)
class PaperRef:
    arxiv_id: str
    title: str
    abstract: str = ""
    comment: str = ""
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class RepoHit:
    full_name: str
    source: str
    detail: str
    official: bool | None = None  # the source's own claim, when it makes one
    needs_confirmation: bool = False  # only a README that cites the paper makes it a hit


@dataclass
class SourceResult:
    hits: list[RepoHit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class ImplementationSource(Protocol):
    name: str

    def find(self, paper: PaperRef) -> SourceResult: ...


class PaperLinksSource:
    name = PAPER_LINKS

    def find(self, paper: PaperRef) -> SourceResult:
        result = SourceResult()
        for where, text in (("comment", paper.comment), ("abstract", paper.abstract)):
            for full_name in github_full_names(text):
                detail = f"linked from the paper's {where}"
                result.hits.append(RepoHit(full_name, self.name, detail, official=True))
        return result


class GitHubSearchSource:
    name = GITHUB_SEARCH

    def __init__(self, api: GitHubApi, *, max_results: int) -> None:
        self.api = api
        self.max_results = max_results

    def queries(self, paper: PaperRef) -> list[str]:
        queries = [f'"{paper.arxiv_id}" in:readme']
        title = " ".join(re.sub(r'["\\]', " ", paper.title).split())
        title_query = f'"{title}" in:readme'
        if title and len(title_query) <= _MAX_QUERY:
            queries.append(title_query)
        return queries

    def find(self, paper: PaperRef) -> SourceResult:
        result = SourceResult()
        for query in self.queries(paper):
            found = self.api.search_repositories(query, max_results=self.max_results)
            for repo in found.repositories:
                result.hits.append(
                    RepoHit(repo.full_name, self.name, f"search {query}", needs_confirmation=True)
                )
            if found.truncated:
                result.notes.append(
                    f"Search {query} matched {found.total_count}; read the first "
                    f"{len(found.repositories)} (GitHub serves at most 1,000)."
                )
            if found.incomplete:
                result.notes.append(f"GitHub says the results of {query} may be incomplete.")
        return result


class CatalogueSource:
    """``GET {PAPER_CATALOGUE_URL}/api/v1/papers/{arxiv_id}?include_resources=true``."""

    name = CATALOGUE

    def __init__(self, client: JsonApi) -> None:
        self.client = client

    def find(self, paper: PaperRef) -> SourceResult:
        result = SourceResult()
        path = f"/api/v1/papers/{quote(paper.arxiv_id, safe='')}"
        try:
            data = self.client.get(path, params={"include_resources": "true"}).data
        except NotFound:
            result.notes.append(f"The paper catalogue does not list {paper.arxiv_id}.")
            return result
        for url, official in catalogue_repositories(data):
            for full_name in github_full_names(url):
                flag = "official" if official else "listed"
                detail = f"paper catalogue ({flag})"
                result.hits.append(RepoHit(full_name, self.name, detail, official=official))
        return result


class HuggingFaceSource:
    """``GET {HUGGINGFACE_PAPERS_URL}/api/papers/{arxiv_id}``: its ``githubRepo`` field."""

    name = HUGGINGFACE

    def __init__(self, client: JsonApi) -> None:
        self.client = client

    def find(self, paper: PaperRef) -> SourceResult:
        result = SourceResult()
        try:
            data = self.client.get(f"/api/papers/{quote(paper.arxiv_id, safe='')}").data
        except NotFound:
            result.notes.append(f"Hugging Face has no paper page for {paper.arxiv_id}.")
            return result
        repo_url = data.get("githubRepo") if isinstance(data, dict) else None
        if isinstance(repo_url, str):
            for full_name in github_full_names(repo_url):
                detail = "Hugging Face paper page (githubRepo)"
                result.hits.append(RepoHit(full_name, self.name, detail, official=True))
        return result


def catalogue_repositories(data: Any) -> list[tuple[str, bool | None]]:
    """``(url, is_official)`` pairs from a catalogue paper. The successor API keeps the original
    Papers-with-Code repository shape (``url``, ``is_official``); where the list sits varies
    (``repositories``, ``resources`` as a list or as a dict of lists), so all are read."""
    if not isinstance(data, dict):
        return []
    resources = data.get("resources")
    groups: list[Any] = [data.get("repositories"), data.get("results")]
    if isinstance(resources, list):
        groups.append(resources)
    elif isinstance(resources, dict):
        groups.extend(resources.get(key) for key in ("repositories", "code", "repos"))
    pairs: list[tuple[str, bool | None]] = []
    for item in _dicts(groups):
        url = next(
            (item[k] for k in ("url", "repo_url", "github_url", "html_url") if _is_text(item, k)),
            "",
        )
        official = item.get("is_official", item.get("official"))
        if url:
            pairs.append((url, official if isinstance(official, bool) else None))
    return pairs


def _dicts(groups: Iterable[Any]) -> Iterable[dict[str, Any]]:
    for group in groups:
        if isinstance(group, list):
            yield from (item for item in group if isinstance(item, dict))


def _is_text(item: dict[str, Any], key: str) -> bool:
    return isinstance(item.get(key), str) and bool(item[key])


def merge_hits(hits: Iterable[RepoHit]) -> dict[str, list[RepoHit]]:
    """Hits grouped by repository (case-insensitively, as GitHub compares names)."""
    grouped: dict[str, list[RepoHit]] = {}
    for hit in hits:
        grouped.setdefault(hit.full_name.lower(), []).append(hit)
    return grouped
