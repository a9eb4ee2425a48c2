"""What the GitHub side tells a person about themselves: their repositories, for the Art. 14
notice (``candidate_sources``), and their accounts, repositories and the verdicts on them, for
the access export (``candidate_exporting``)."""

from __future__ import annotations

from typing import Any

from hiring.models import Candidate
from sourcing.github.erasure import accounts_of_candidates
from sourcing.github.models import GitHubAccount, Implementation, Repository


def _accounts(candidate: Candidate) -> list[GitHubAccount]:
    duplicates = Candidate.objects.filter(merged_into=candidate)
    return list(accounts_of_candidates(candidates=[candidate, *duplicates]))


def repositories_as_sources(
    sender: Any, *, candidate: Candidate, **kwargs: Any
) -> list[dict[str, str]]:
    """``candidate_sources`` receiver."""
    repositories = Repository.objects.filter(owner__in=_accounts(candidate)).order_by("full_name")
    return [
        {"kind": "GitHub repository", "title": r.full_name, "url": r.html_url} for r in repositories
    ]


def github_export(
    sender: Any, *, candidate: Candidate, objects: list[tuple[str, str]], **kwargs: Any
) -> dict[str, Any]:
    """``candidate_exporting`` receiver. Accounts and repositories have no events of their own."""
    accounts = _accounts(candidate)
    repositories = Repository.objects.filter(owner__in=accounts).order_by("full_name")
    implementations = (
        Implementation.objects.filter(repository__owner__in=accounts)
        .select_related("paper", "repository")
        .order_by("repository__full_name", "paper__arxiv_id")
    )
    account_fields = ["login", "kind", "name", "blog", "company", "location", "email"]
    return {
        "github": {
            "accounts": [
                {
                    **{name: getattr(account, name) for name in account_fields},
                    "followers": account.followers,
                    "html_url": account.html_url,
                    "fetched_at": account.fetched_at,
                }
                for account in accounts
            ],
            "repositories": [
                {
                    "full_name": r.full_name,
                    "html_url": r.html_url,
                    "description": r.description,
                    "stars": r.stars,
                    "forks": r.forks,
                    "language": r.language,
                    "pushed_at": r.pushed_at,
                    "readme_excerpt": r.readme_excerpt,
                }
                for r in repositories
            ],
            "implementations": [
                {
                    "repository": i.repository.full_name,
                    "paper": {"arxiv_id": i.paper.arxiv_id, "title": i.paper.title},
                    "verdict": i.verdict,
                    "confidence": i.confidence,
                    "score": i.score,
                    "reasons": i.reasons,
                }
                for i in implementations
            ],
        }
    }
