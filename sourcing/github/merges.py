"""When hiring merges a duplicate candidate, the GitHub accounts behind it follow the survivor."""

from __future__ import annotations

from typing import Any

from hiring.models import Candidate
from sourcing.github.models import GitHubAccount


def accounts_follow_merged_candidate(
    sender: Any, *, target: Candidate, source: Candidate, **kwargs: Any
) -> None:
    GitHubAccount.objects.filter(candidate=source).update(candidate=target)
