"""Repositories that implement arXiv papers, their owners, the verdict official/re-implementation
per (paper, repository), the runs that find them, and the ETag cache of upstream answers.

Natural keys carry unique constraints (repository full name and owner login, case-insensitive as
on GitHub; one implementation per paper and repository), so a retried or redelivered job upserts
instead of duplicating."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from core.runs.models import BackgroundRun
from hiring.models import Candidate, Opening


class GitHubAccount(models.Model):
    """A repository owner as GitHub describes it: a user (a possible candidate) or an
    organisation (never a candidate; it can still be an author's lab)."""

    class Kind(models.TextChoices):
        USER = "User", "User"
        ORGANIZATION = "Organization", "Organisation"

    login = models.CharField(max_length=39)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.USER)
    github_id = models.BigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=255, blank=True)
    blog = models.CharField(max_length=500, blank=True)
    company = models.CharField(max_length=255, blank=True)
    location = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=254, blank=True)
    followers = models.PositiveIntegerField(default=0)
    html_url = models.URLField(max_length=500, blank=True)
    candidate = models.ForeignKey(
        Candidate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="github_accounts",
    )
    profile_error = models.TextField(
        blank=True, help_text="Why the profile could not be read (e.g. the user no longer exists)."
    )
    fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["login"]
        verbose_name = "GitHub account"
        constraints = [
            models.UniqueConstraint(Lower("login"), name="githubaccount_unique_login"),
        ]

    def __str__(self) -> str:
        return self.login


class Repository(models.Model):
    """A GitHub repository with the evidence a recruiter weighs: popularity, recency, language,
    and whether its README reports reproduced results."""

    full_name = models.CharField(max_length=140)
    owner = models.ForeignKey(GitHubAccount, on_delete=models.PROTECT, related_name="repositories")
    github_id = models.BigIntegerField(null=True, blank=True)
    html_url = models.URLField(max_length=500)
    description = models.TextField(blank=True)
    stars = models.PositiveIntegerField(default=0)
    forks = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=64, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    is_fork = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)
    readme_reports_results = models.BooleanField(default=False)
    readme_excerpt = models.TextField(blank=True)
    gone_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when GitHub answered 404 (deleted or made private)."
    )
    fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "repositories"
        constraints = [
            models.UniqueConstraint(Lower("full_name"), name="repository_unique_full_name"),
        ]

    def __str__(self) -> str:
        return self.full_name


class Implementation(models.Model):
    """One repository implementing one paper, with the verdict and why."""

    class Verdict(models.TextChoices):
        OFFICIAL = "official", "Official code"
        REIMPLEMENTATION = "reimplementation", "Re-implementation"

    paper = models.ForeignKey(
        "sourcing.Paper", on_delete=models.CASCADE, related_name="implementations"
    )
    repository = models.ForeignKey(
        Repository, on_delete=models.CASCADE, related_name="implementations"
    )
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    confidence = models.FloatField(validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    reasons = models.JSONField(default=list, blank=True, help_text="Why this verdict, in words.")
    found_by = models.JSONField(
        default=list, blank=True, help_text='Provenance: [{"source": ..., "detail": ...}]'
    )
    author_person = models.ForeignKey(
        "sourcing.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The paper's author who owns the repository, when the owner is one.",
    )
    score = models.FloatField(default=0.0, help_text="Engineering score, 0-100.")
    score_breakdown = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["paper", "verdict", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "repository"], name="implementation_unique_paper_repository"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0.0) & Q(confidence__lte=1.0),
                name="implementation_confidence_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["verdict", "-score"], name="implementation_verdict_score"),
        ]

    def __str__(self) -> str:
        return f"{self.repository_id} → {self.paper_id} ({self.verdict})"


class ImplementationRun(BackgroundRun):
    """A job: find the implementations of one paper, or of an opening's top papers.

    A paper run keeps its progress in ``checkpoint`` (hits found, repositories done) so a
    redelivered or resumed task continues where it stopped. At most one paper run per paper is
    active at a time (partial unique constraint), which makes "start" idempotent."""

    class Kind(models.TextChoices):
        PAPER = "paper", "One paper"
        OPENING = "opening", "Top papers of an opening"

    EVENT_PREFIX = "implementation_run"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    paper = models.ForeignKey(
        "sourcing.Paper",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="implementation_runs",
    )
    opening = models.ForeignKey(
        Opening, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    top_n = models.PositiveSmallIntegerField(null=True, blank=True)
    progress = models.JSONField(
        default=dict, blank=True, help_text="Counts and notes for people: found, skipped, why."
    )
    suppressed_count = models.PositiveIntegerField(
        default=0, help_text="repository owners skipped: erased or objected"
    )

    class Meta(BackgroundRun.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["paper"],
                condition=Q(kind="paper", status__in=["queued", "running"]),
                name="implementationrun_one_active_per_paper",
            ),
            models.CheckConstraint(
                condition=(Q(kind="paper") & Q(paper__isnull=False))
                | (Q(kind="opening") & Q(opening__isnull=False)),
                name="implementationrun_target_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="implementationrun_status")]

    def __str__(self) -> str:
        target = (
            f"paper {self.paper_id}"
            if self.kind == self.Kind.PAPER
            else f"opening {self.opening_id}"
        )
        return f"Run #{self.pk} for {target} ({self.status})"

    @classmethod
    def stale_after(cls) -> timedelta:
        # Longer than any wait the run may be in (a rate limit waited out inside the client).
        return timedelta(seconds=settings.GITHUB_MAX_WAIT_SECONDS + 300)


class CachedResponse(models.Model):
    """The last 200 body and ETag per request, so the next request can be conditional."""

    key = models.CharField(max_length=64, unique=True, help_text="sha256 of accept + URL")
    url = models.TextField()
    etag = models.CharField(max_length=255)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.url
