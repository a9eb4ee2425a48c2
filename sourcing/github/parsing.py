"""Turn upstream JSON into small typed records, rejecting what the APIs never document.

Every parser raises ``BadUpstreamData`` for a shape it cannot use, so a run can say precisely
what was wrong instead of crashing on a ``KeyError`` later."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from sourcing.github.errors import BadUpstreamData

# GitHub logins: alphanumerics and single hyphens, at most 39 characters.
LOGIN_RE = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"
REPO_NAME_RE = r"[A-Za-z0-9._-]{1,100}"
FULL_NAME = re.compile(rf"^(?P<owner>{LOGIN_RE})/(?P<name>{REPO_NAME_RE})$")
GITHUB_LINK = re.compile(
    rf"github\.com/(?P<owner>{LOGIN_RE})/(?P<name>{REPO_NAME_RE})", re.IGNORECASE
)
# Paths under github.com that are not user or organisation names.
_NOT_OWNERS = frozenset(
    {"about", "features", "topics", "orgs", "sponsors", "marketplace", "settings", "login"}
)


@dataclass(frozen=True)
class RepoInfo:
    full_name: str
    owner_login: str
    owner_type: str
    github_id: int | None
    html_url: str
    description: str
    stars: int
    forks: int
    language: str
    pushed_at: datetime | None
    is_fork: bool
    archived: bool


@dataclass(frozen=True)
class OwnerProfile:
    login: str
    kind: str  # "User" or "Organization"
    github_id: int | None
    name: str
    blog: str
    company: str
    location: str
    email: str
    followers: int
    html_url: str


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def parse_repository(data: Any) -> RepoInfo:
    """A repository object from search results or ``GET /repos/{owner}/{repo}``."""
    if not isinstance(data, dict):
        raise BadUpstreamData("A repository record is not a JSON object.")
    full_name = _text(data.get("full_name"))
    owner: dict[str, Any] = data["owner"] if isinstance(data.get("owner"), dict) else {}
    if not FULL_NAME.match(full_name):
        raise BadUpstreamData(f"A repository record has no usable full_name ({full_name!r}).")
    login = _text(owner.get("login")) or full_name.split("/")[0]
    return RepoInfo(
        full_name=full_name,
        owner_login=login,
        owner_type=_text(owner.get("type")) or "User",
        github_id=data["id"] if isinstance(data.get("id"), int) else None,
        html_url=_text(data.get("html_url")) or f"https://github.com/{full_name}",
        description=_text(data.get("description")),
        stars=_count(data.get("stargazers_count")),
        forks=_count(data.get("forks_count")),
        language=_text(data.get("language")),
        pushed_at=_when(data.get("pushed_at")),
        is_fork=bool(data.get("fork")),
        archived=bool(data.get("archived")),
    )


def parse_search_page(data: Any) -> tuple[int, bool, list[Any]]:
    """``(total_count, incomplete_results, items)`` of one search page."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise BadUpstreamData("A search page has no items list.")
    return _count(data.get("total_count")), bool(data.get("incomplete_results")), data["items"]


def parse_profile(data: Any) -> OwnerProfile:
    """``GET /users/{login}`` (users and organisations share the endpoint)."""
    if not isinstance(data, dict):
        raise BadUpstreamData("A user profile is not a JSON object.")
    login = _text(data.get("login"))
    if not re.fullmatch(LOGIN_RE, login):
        raise BadUpstreamData(f"A user profile has no usable login ({login!r}).")
    return OwnerProfile(
        login=login,
        kind=_text(data.get("type")) or "User",
        github_id=data["id"] if isinstance(data.get("id"), int) else None,
        name=_text(data.get("name")),
        blog=_text(data.get("blog")),
        company=_text(data.get("company")),
        location=_text(data.get("location")),
        email=_text(data.get("email")),
        followers=_count(data.get("followers")),
        html_url=_text(data.get("html_url")) or f"https://github.com/{login}",
    )


def parse_readme(data: Any) -> str:
    """``GET /repos/{owner}/{repo}/readme``: the file comes base64-encoded in ``content``."""
    if not isinstance(data, dict) or not isinstance(data.get("content"), str):
        raise BadUpstreamData("The README answer has no content.")
    if data.get("encoding", "base64") != "base64":
        raise BadUpstreamData(f"The README has an unknown encoding {data.get('encoding')!r}.")
    try:
        raw = base64.b64decode(data["content"], validate=False)
    except (binascii.Error, ValueError) as exc:
        raise BadUpstreamData("The README content is not valid base64.") from exc
    return raw.decode("utf-8", errors="replace")


def github_full_names(text: str) -> list[str]:
    """``owner/repo`` of every github.com repository link in free text, in order, once each."""
    seen: dict[str, str] = {}
    for match in GITHUB_LINK.finditer(text or ""):
        owner, name = match.group("owner"), match.group("name")
        name = name.removesuffix(".git").rstrip(".")
        if owner.lower() in _NOT_OWNERS or not name:
            continue
        full_name = f"{owner}/{name}"
        seen.setdefault(full_name.lower(), full_name)
    return list(seen.values())
