"""One repository for one paper: fetch (network, outside any transaction), decide, then write
account, repository, implementation and candidate in one short transaction.

Idempotent: every row is upserted on its natural key (login, full name, paper + repository), so
processing the same repository twice gives the same rows."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.utils import timezone

from hiring.services.suppression import SuppressionSet
from sourcing.github.api import GitHubApi
from sourcing.github.authors import Author, AuthorMatch, match_owner
from sourcing.github.candidates import candidate_from_profile
from sourcing.github.classify import OFFICIAL, Verdict, classify
from sourcing.github.errors import BadUpstreamData, NotFound
from sourcing.github.etag_store import cached_responses_forget
from sourcing.github.models import GitHubAccount, Implementation, Repository
from sourcing.github.parsing import OwnerProfile, RepoInfo
from sourcing.github.privacy import SUPPRESSED_NOTE, owner_login, owner_suppressed
from sourcing.github.readme import citation_of, excerpt, reports_results
from sourcing.github.scoring import ScoreInput, engineering_score
from sourcing.github.sources import PaperRef, RepoHit
from sourcing.models import Paper

logger = logging.getLogger(__name__)
_M = TypeVar("_M", bound=models.Model)

RECORDED = "recorded"
SKIPPED = "skipped"
SUPPRESSED = "suppressed"  # the owner was erased or objected; the outcome names no one


@dataclass(frozen=True)
class Outcome:
    status: str  # RECORDED, SKIPPED or SUPPRESSED
    full_name: str
    note: str
    verdict: str = ""


def _upsert(model: type[_M], lookup: dict[str, Any], values: dict[str, Any]) -> _M:
    """Update the row matching ``lookup`` or create it; a concurrent create that wins the race
    is updated instead (the unique constraints make the loser's insert fail)."""
    for _ in range(2):
        row = model._default_manager.filter(**lookup).first()
        if row is not None:
            for name, value in values.items():
                setattr(row, name, value)
            row.save(update_fields=[*values, "updated_at"])
            return row
        try:
            with transaction.atomic():
                return model._default_manager.create(**values)
        except IntegrityError:
            continue
    raise IntegrityError(f"could not upsert {model.__name__} {lookup}")


def _fetch_readme(api: GitHubApi, full_name: str) -> str:
    try:
        return api.readme(full_name)
    except NotFound:
        return ""


def _fetch_profile(api: GitHubApi, login: str) -> tuple[OwnerProfile | None, str]:
    try:
        return api.profile(login), ""
    except NotFound:
        return None, f"GitHub has no user or organisation {login} (404)."
    except BadUpstreamData as exc:
        return None, f"Unusable profile for {login}: {exc}"


def _mark_gone(full_name: str) -> None:
    Repository.objects.filter(full_name__iexact=full_name, gone_at__isnull=True).update(
        gone_at=timezone.now()
    )


def _suppressed(*logins: str) -> Outcome:
    # What was fetched about them is in the ETag cache by now.
    cached_responses_forget(logins=logins)
    return Outcome(SUPPRESSED, "", SUPPRESSED_NOTE)


@dataclass(frozen=True)
class _Fetched:
    repo: RepoInfo
    readme: str
    profile: OwnerProfile | None
    profile_error: str


def _fetch_repository(
    api: GitHubApi, full_name: str, suppression: SuppressionSet
) -> RepoInfo | Outcome:
    try:
        repo = api.repository(full_name)
    except NotFound:
        _mark_gone(full_name)
        return Outcome(SKIPPED, full_name, "repository no longer exists (404); deleted or private")
    except BadUpstreamData as exc:
        return Outcome(SKIPPED, full_name, f"unusable repository data: {exc}")
    # The current owner: a repository transferred to a suppressed owner is theirs now.
    if owner_suppressed(suppression, login=repo.owner_login):
        return _suppressed(repo.owner_login, owner_login(full_name))
    return repo


def _fetch(
    api: GitHubApi, hits: list[RepoHit], ref: PaperRef, suppression: SuppressionSet
) -> _Fetched | Outcome:
    """The repository, its README and its owner's profile, or the outcome that ends it here."""
    full_name = hits[0].full_name
    repo = _fetch_repository(api, full_name, suppression)
    if isinstance(repo, Outcome):
        return repo
    try:
        readme = _fetch_readme(api, repo.full_name)
    except BadUpstreamData as exc:
        return Outcome(SKIPPED, repo.full_name, f"unreadable README: {exc}")
    if all(hit.needs_confirmation for hit in hits) and not citation_of(readme, ref):
        return Outcome(SKIPPED, repo.full_name, "README does not cite the paper (search noise)")
    profile, profile_error = _fetch_profile(api, repo.owner_login)
    # A renamed account, or one known by its address or ORCID only.
    if profile is not None and owner_suppressed(
        suppression, login=profile.login, email=profile.email, blog=profile.blog
    ):
        return _suppressed(repo.owner_login, profile.login, owner_login(full_name))
    return _Fetched(repo, readme, profile, profile_error)


def implementation_record(
    *,
    api: GitHubApi,
    paper: Paper,
    ref: PaperRef,
    authors: Sequence[Author],
    hits: list[RepoHit],
    suppression: SuppressionSet,
) -> Outcome:
    """Process one repository found for ``paper``. Upstream rate limits and outages propagate
    (the run stops and can resume); per-repository problems become a skipped outcome, and an
    owner on the ``suppression`` list (by the repository's current owner, or the profile's
    login, e-mail or ORCID) a suppressed one, with nothing of theirs written."""
    fetched = _fetch(api, hits, ref, suppression)
    if isinstance(fetched, Outcome):
        return fetched
    repo, readme, profile, profile_error = (
        fetched.repo,
        fetched.readme,
        fetched.profile,
        fetched.profile_error,
    )
    match = None
    if profile is not None:
        match = match_owner(profile_name=profile.name, login=profile.login, authors=authors)
    verdict = classify(hits=hits, author_match=match, owner_login=repo.owner_login, readme=readme)
    try:
        with transaction.atomic():
            account = _save_account(repo, profile, profile_error)
            repository = _save_repository(repo, account, readme)
            implementation = _save_implementation(paper, repository, hits, verdict, match, account)
            note = f"{verdict.verdict} ({verdict.confidence:.2f})"
            if profile is not None and profile.kind == GitHubAccount.Kind.USER:
                outcome = candidate_from_profile(
                    profile=profile,
                    author_person_id=match.author.person_id if match else None,
                    evidence=_evidence(paper, implementation, repository),
                )
                if outcome.candidate is not None and account.candidate_id != outcome.candidate.pk:
                    account.candidate = outcome.candidate
                    account.save(update_fields=["candidate", "updated_at"])
                note += f"; {outcome.note}"
            elif profile_error:
                note += f"; no candidate: {profile_error}"
            else:
                note += "; owner is an organisation, no candidate"
    except (IntegrityError, DataError, ValidationError) as exc:
        # One record the database refuses must not end the run: it is skipped with its reason,
        # and nothing of it was written (its transaction rolled back).
        logger.warning("repository %s not stored: %s", repo.full_name, exc)
        return Outcome(SKIPPED, repo.full_name, f"could not be stored: {exc}")
    return Outcome(RECORDED, repository.full_name, note, verdict.verdict)


def _save_account(repo: RepoInfo, profile: OwnerProfile | None, error: str) -> GitHubAccount:
    values: dict[str, Any] = {"login": repo.owner_login, "profile_error": error}
    if profile is not None:
        values.update(
            login=profile.login,
            kind=profile.kind if profile.kind in GitHubAccount.Kind.values else "User",
            github_id=profile.github_id,
            name=profile.name[:255],
            blog=profile.blog[:500],
            company=profile.company[:255],
            location=profile.location[:255],
            email=profile.email[:254],
            followers=profile.followers,
            html_url=profile.html_url[:500],
            fetched_at=timezone.now(),
        )
    else:
        values["kind"] = repo.owner_type if repo.owner_type in GitHubAccount.Kind.values else "User"
    # The profile's login is GitHub's current spelling (a renamed owner's repositories may still
    # name the old one); the row is keyed by what it stores, or the upsert could never match.
    return _upsert(GitHubAccount, {"login__iexact": values["login"]}, values)


def _save_repository(repo: RepoInfo, account: GitHubAccount, readme: str) -> Repository:
    values = {
        "full_name": repo.full_name,
        "owner": account,
        "github_id": repo.github_id,
        "html_url": repo.html_url[:500],
        "description": repo.description,
        "stars": repo.stars,
        "forks": repo.forks,
        "language": repo.language[:64],
        "pushed_at": repo.pushed_at,
        "is_fork": repo.is_fork,
        "archived": repo.archived,
        "readme_reports_results": reports_results(readme),
        "readme_excerpt": excerpt(readme),
        "gone_at": None,
        "fetched_at": timezone.now(),
    }
    return _upsert(Repository, {"full_name__iexact": repo.full_name}, values)


def _save_implementation(
    paper: Paper,
    repository: Repository,
    hits: list[RepoHit],
    verdict: Verdict,
    match: AuthorMatch | None,
    account: GitHubAccount,
) -> Implementation:
    score, breakdown = engineering_score(
        ScoreInput(
            stars=repository.stars,
            forks=repository.forks,
            pushed_at=repository.pushed_at,
            language=repository.language,
            reports_results=repository.readme_reports_results,
            is_fork=repository.is_fork,
            followers=account.followers,
        ),
        now=timezone.now(),
    )
    found_by = [{"source": h.source, "detail": h.detail} for h in hits]
    values = {
        "paper": paper,
        "repository": repository,
        "verdict": verdict.verdict,
        "confidence": verdict.confidence,
        "reasons": verdict.reasons,
        "found_by": found_by,
        "author_person_id": match.author.person_id if match else None,
        "score": score,
        "score_breakdown": breakdown,
    }
    return _upsert(Implementation, {"paper": paper, "repository": repository}, values)


def _evidence(paper: Paper, implementation: Implementation, repository: Repository) -> str:
    kind = "official code" if implementation.verdict == OFFICIAL else "re-implementation"
    # No counts in here: the line must stay the same on every refresh to be recognised.
    return f"GitHub: {kind} of arXiv:{paper.arxiv_id} at {repository.html_url}"
