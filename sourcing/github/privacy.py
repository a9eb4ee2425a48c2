"""Suppression on the GitHub paths: a repository owner who was erased or objected is skipped
wherever they turn up (GitHub's search, paper catalogues, links in a paper or README, a
repository transferred to them, a renamed account), so no account, repository or candidate of
theirs is stored again. An owner is recognised by login, public e-mail address, or an ORCID iD
given as their profile's website."""

from __future__ import annotations

import re
from collections.abc import Sequence

from hiring.services.suppression import Kind, SuppressionSet, is_suppressed
from sourcing.github.parsing import OwnerProfile
from sourcing.github.sources import RepoHit

_ORCID = re.compile(r"orcid\.org/(\d{4}-\d{4}-\d{4}-\d{3}[\dXx])", re.IGNORECASE)
SUPPRESSED_NOTE = "owner skipped: erased or objected"


def owner_identifiers(*, login: str, email: str = "", blog: str = "") -> list[tuple[str, str]]:
    """``(suppression kind, value)`` pairs an owner is recognised by."""
    found = [(str(Kind.GITHUB_LOGIN), login)]
    if email:
        found.append((str(Kind.EMAIL), email))
    if orcid := _ORCID.search(blog or ""):
        found.append((str(Kind.ORCID), orcid.group(1)))
    return [(kind, value) for kind, value in found if value]


def owner_suppressed(
    suppression: SuppressionSet, *, login: str, email: str = "", blog: str = ""
) -> bool:
    """Against the list loaded for the run."""
    identifiers = owner_identifiers(login=login, email=email, blog=blog)
    return any(suppression.contains(kind, value) for kind, value in identifiers)


def profile_suppressed(profile: OwnerProfile) -> bool:
    """Against the database, one look-up per identifier (a candidate about to be created)."""
    identifiers = owner_identifiers(login=profile.login, email=profile.email, blog=profile.blog)
    return any(is_suppressed(kind=kind, value=value) for kind, value in identifiers)


def owner_login(full_name: str) -> str:
    return full_name.partition("/")[0]


def hit_groups_suppress(
    groups: Sequence[list[RepoHit]], suppression: SuppressionSet
) -> tuple[list[list[RepoHit]], list[list[RepoHit]]]:
    """``(kept, dropped)``: the hit groups (one per repository) split by whether the owner's
    login is suppressed."""
    kept: list[list[RepoHit]] = []
    dropped: list[list[RepoHit]] = []
    if not suppression.has(Kind.GITHUB_LOGIN):
        return list(groups), dropped
    for group in groups:
        login = owner_login(group[0].full_name)
        (dropped if suppression.contains(Kind.GITHUB_LOGIN, login) else kept).append(group)
    return kept, dropped
