"""The GitHub side of an erasure (``hiring.services.candidate_erase``) and of an objection.

Identifying: the person's accounts (linked to their candidates, or under their GitHub login)
give logins, names, public addresses and websites, and the login and address go on the
suppression list (``sourcing.github.privacy`` skips them from then on).

Erasing: their implementations, the repositories they own and the accounts go (the papers'
re-implementation counts are recomputed); cached upstream answers that name them go; the runs'
progress notes, waiting notes and errors are scrubbed, and their checkpoints forget the
repositories of the person, so a resumed run does not fetch them again."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from core.events.redaction import json_scrub
from hiring.models import Candidate
from hiring.services import Erasure, PersonTerms
from hiring.services.suppression import Kind
from sourcing.github.etag_store import cached_responses_forget
from sourcing.github.execution import paper_counts_refresh
from sourcing.github.models import GitHubAccount, Implementation, ImplementationRun, Repository
from sourcing.github.privacy import owner_login
from sourcing.models import Paper


def accounts_of_candidates(*, candidates: Sequence[Candidate]) -> QuerySet[GitHubAccount]:
    match = Q(candidate__in=list(candidates))
    for candidate in candidates:
        if candidate.github_login:
            match |= Q(login__iexact=candidate.github_login)
    return GitHubAccount.objects.filter(match).order_by("pk")


def accounts_identify(
    sender: Any, *, candidates: Sequence[Candidate], terms: PersonTerms, **kwargs: Any
) -> None:
    """``candidate_identifying`` receiver."""
    for account in accounts_of_candidates(candidates=candidates):
        terms.logins.add(account.login)
        terms.add_identifier(Kind.GITHUB_LOGIN, account.login)
        terms.add_name(account.name)
        if account.email:
            terms.emails.add(account.email)
            terms.add_identifier(Kind.EMAIL, account.email)
        terms.other.update(v for v in (account.blog, account.html_url) if v)


def _checkpoint_forget(checkpoint: Any, logins: Collection[str]) -> Any:
    """A paper run's checkpoint without the person's repositories (hits and done keys)."""
    if not isinstance(checkpoint, dict) or not isinstance(checkpoint.get("hits"), list):
        return checkpoint

    def theirs(full_name: Any) -> bool:
        return isinstance(full_name, str) and owner_login(full_name).lower() in logins

    hits = [
        group
        for group in checkpoint["hits"]
        if not (isinstance(group, list) and group and theirs(group[0].get("full_name")))
    ]
    done = [key for key in checkpoint.get("done", []) if not theirs(key)]
    return {**checkpoint, "hits": hits, "done": done}


def _runs_scrub(terms: PersonTerms) -> int:
    """Progress lists repositories by full name ("login/name") and notes name candidates."""
    logins = {login.lower() for login in terms.logins}
    match = Q(pk__in=[])
    for term in terms.strong():
        match |= Q(error__icontains=term) | Q(note__icontains=term)
        match |= Q(progress_text__icontains=term) | Q(checkpoint_text__icontains=term)
    for login in logins:  # a login too short to be a scrub term still owns repositories
        match |= Q(checkpoint_text__icontains=f'"{login}/')
    runs = ImplementationRun.objects.annotate(
        progress_text=Cast("progress", TextField()), checkpoint_text=Cast("checkpoint", TextField())
    )
    changed = []
    for run in runs.filter(match).only("pk", "error", "note", "progress", "checkpoint"):
        before = (run.error, run.note, run.progress, run.checkpoint)
        run.error = terms.scrub_strong(run.error)
        run.note = terms.scrub_strong(run.note)
        run.progress = json_scrub(run.progress, terms.scrub_strong)
        run.checkpoint = _checkpoint_forget(run.checkpoint, logins)
        if (run.error, run.note, run.progress, run.checkpoint) != before:
            changed.append(run)
    ImplementationRun.objects.bulk_update(changed, ["error", "note", "progress", "checkpoint"])
    return len(changed)


def accounts_erase(
    sender: Any,
    *,
    candidates: Sequence[Candidate],
    terms: PersonTerms,
    erasure: Erasure,
    **kwargs: Any,
) -> None:
    """``candidate_erasing`` receiver."""
    accounts = list(accounts_of_candidates(candidates=candidates).select_for_update())
    repositories = Repository.objects.filter(owner__in=accounts)
    implementations = Implementation.objects.filter(repository__in=repositories)
    paper_ids = set(implementations.values_list("paper_id", flat=True))
    erasure.count("GitHub implementations", implementations.delete()[0])
    erasure.count("GitHub repositories", repositories.delete()[0])
    GitHubAccount.objects.filter(pk__in=[a.pk for a in accounts]).delete()
    erasure.count("GitHub accounts", len(accounts))
    for paper in Paper.objects.filter(pk__in=paper_ids):
        paper_counts_refresh(paper=paper)
    logins = {*terms.logins, *(a.login for a in accounts)}
    erasure.count("GitHub cached answers", cached_responses_forget(logins=logins))
    erasure.count("GitHub runs scrubbed", _runs_scrub(terms))
