"""Sourcing from arXiv: papers, who wrote them (authorships), the people behind the author
mentions (after disambiguation), per-role prospects with an explainable score, and the runs that
fetch all of it.

Every table has a natural key with a unique constraint so a retried or redelivered batch upserts
instead of duplicating. Workflows live in ``services.py`` and ``sourcing/arxiv/``."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models

from core.runs.models import BackgroundRun
from hiring.models import Candidate, Opening, RoleProfile


class Paper(models.Model):
    """One arXiv paper, keyed by its versionless id (``2106.01234`` or ``hep-th/9901001``)."""

    arxiv_id = models.CharField(max_length=64)
    latest_version = models.PositiveSmallIntegerField(default=1)
    title = models.TextField()
    abstract = models.TextField(blank=True)
    categories = models.JSONField(default=list, blank=True)
    primary_category = models.CharField(max_length=32, blank=True)
    published = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    journal_ref = models.TextField(blank=True)
    doi = models.CharField(max_length=255, blank=True)
    # Maintained by sourcing.github (re-implementations found on GitHub); a quality signal here.
    reimplementation_count = models.PositiveIntegerField(default=0)
    has_official_code = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published", "arxiv_id"]
        # A constraint rather than unique=True, which would add a second (pattern-matching)
        # index that nothing uses and every bulk import would maintain.
        constraints = [models.UniqueConstraint(fields=["arxiv_id"], name="paper_unique_arxiv_id")]
        indexes = [models.Index(fields=["published"], name="paper_published")]

    def __str__(self) -> str:
        return f"{self.arxiv_id}: {self.title[:80]}"

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"


class Person(models.Model):
    """An author identity: the mentions disambiguation believes are one person.

    ``name_key`` is the blocking key (surname + first initial, normalised) used to find who a new
    mention might be; it is deliberately not unique, because many people share it. The evidence
    summary fields let a batch decide matches without reading every authorship back."""

    display_name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=200)
    full_key = models.CharField(
        max_length=300, blank=True, help_text="Normalised full name, empty for initials only."
    )
    name_forms = models.JSONField(default=list, blank=True)
    confidence = models.FloatField(
        default=1.0, help_text="Confidence of the weakest mention attached to this person."
    )
    category_groups = models.JSONField(default=list, blank=True)
    affiliations = models.JSONField(default=list, blank=True)
    coauthor_keys = models.JSONField(default=list, blank=True)
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    candidate = models.OneToOneField(
        Candidate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arxiv_person",
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_people"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name", "id"]
        # Plain btree only (db_index=True would add a pattern-matching twin nothing queries).
        indexes = [models.Index(fields=["name_key"], name="person_name_key")]
        verbose_name = "author identity"
        verbose_name_plural = "author identities"

    def __str__(self) -> str:
        return self.display_name


# The issue calls them "author identities"; both names read naturally in code.
AuthorIdentity = Person


class Authorship(models.Model):
    """One author mention on one paper. ``position`` is 0-based; the natural key is
    ``(paper, position)`` so re-importing a paper updates instead of adding."""

    # No single-column indexes: (paper, position) and (person, position) below lead with them,
    # and each extra index is maintained for every one of an import's millions of rows.
    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="authorships", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="authorships", db_index=False
    )
    position = models.PositiveSmallIntegerField()
    is_last = models.BooleanField(default=False)
    name = models.CharField(max_length=300, help_text="The name as written on the paper.")
    affiliation = models.CharField(max_length=500, blank=True)
    match_confidence = models.FloatField(default=1.0)

    class Meta:
        ordering = ["paper", "position"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "position"], name="authorship_unique_position")
        ]
        indexes = [models.Index(fields=["person", "position"], name="authorship_person_position")]

    def __str__(self) -> str:
        return f"{self.name} #{self.position + 1} on {self.paper_id}"


class PersonChange(models.Model):
    """A recruiter's merge or split of people, recorded so it can be undone exactly."""

    class Kind(models.TextChoices):
        MERGE = "merge", "Merge"
        SPLIT = "split", "Split"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    source = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    authorship_ids = models.JSONField(default=list)
    moved_candidate = models.BooleanField(default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reverted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id} → {self.target_id}"


class SourcingRun(BackgroundRun):
    """A run that reads arXiv (query API, bulk snapshot or OAI-PMH harvest) in batches, each
    committed with its checkpoint (``core.runs``); ``parameters`` are its kind's typed
    parameters (``sourcing.runs.parameters``), validated when it is launched."""

    class Kind(models.TextChoices):
        API = "api", "arXiv query API"
        SNAPSHOT = "snapshot", "arXiv bulk snapshot"
        OAI = "oai", "arXiv OAI-PMH harvest"

    EVENT_PREFIX = "sourcing_run"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    role_profile = models.ForeignKey(
        RoleProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opening = models.ForeignKey(
        Opening, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parameters = models.JSONField(default=dict, blank=True)
    processed = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    papers_count = models.PositiveIntegerField(default=0)
    people_count = models.PositiveIntegerField(default=0)
    candidates_count = models.PositiveIntegerField(default=0)
    suppressed_count = models.PositiveIntegerField(
        default=0, help_text="authors skipped: erased or objected"
    )

    class Meta(BackgroundRun.Meta):
        indexes = [models.Index(fields=["kind", "status"], name="sourcingrun_kind_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @classmethod
    def stale_after(cls) -> timedelta:
        # A delivery that finds the run running takes it over at once: Redis redelivers an
        # unacknowledged task only after its visibility timeout, twice the hard time limit, so
        # the first delivery is dead by then; and two live deliveries cannot both commit a
        # batch (checkpoint compare-and-set). Nothing sweeps sourcing runs: redelivery does.
        return timedelta(0)

    @property
    def percent(self) -> int | None:
        done, total = self.pass_progress
        if not total:
            return None
        return min(100, round(100 * done / total))

    @property
    def pass_progress(self) -> tuple[int, int | None]:
        """``(done, total)`` of the pass the run is in. A two-pass snapshot import counts bytes
        of the file, then mentions decided, then papers ranked, one after the other; its
        checkpoint says where each later pass starts in that count and how long it is
        (``passes``), so that each pass reads as its own 0-100 %."""
        checkpoint = self.checkpoint or {}
        span = (checkpoint.get("passes") or {}).get(checkpoint.get("phase", ""))
        if span:
            start, size = span
            return max(0, min(self.processed - start, size)), size
        return self.processed, self.total


class Prospect(models.Model):
    """A person as a prospect for one role: first-author evidence, the score and its breakdown."""

    role_profile = models.ForeignKey(
        RoleProfile, on_delete=models.CASCADE, related_name="arxiv_prospects"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="prospects")
    score = models.FloatField(default=0.0)
    breakdown = models.JSONField(default=dict, blank=True)
    first_author_papers = models.PositiveIntegerField(default=0)
    last_author_papers = models.PositiveIntegerField(default=0)
    last_run = models.ForeignKey(
        SourcingRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="prospects"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["role_profile", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["role_profile", "person"], name="prospect_unique_role_person"
            )
        ]
        indexes = [models.Index(fields=["role_profile", "-score"], name="prospect_role_score")]

    def __str__(self) -> str:
        return f"{self.person} for {self.role_profile.slug} ({self.score:.2f})"


class HarvestState(models.Model):
    """The last OAI-PMH datestamp harvested per set, so the nightly harvest asks only for what
    changed since (``from=``)."""

    set_spec = models.CharField(max_length=64, unique=True)
    last_datestamp = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["set_spec"]

    def __str__(self) -> str:
        return f"{self.set_spec or '(all)'} ≤ {self.last_datestamp}"


class PeopleGeneration(models.Model):
    """A counter every writer of people bumps in its own transaction (``sourcing.people.
    generation``), so an import that keeps people in memory across batches can tell whether
    anyone else changed them since it last read them. At most one row (``pk=1``)."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"people generation {self.value}"


class PaperRemovals(models.Model):
    """How many statements have deleted papers, changed their ids or emptied the table, counted
    on PostgreSQL by the trigger that makes them wait for the people lock (migration 0010). A
    two-pass import reads it before its first pass: while it has not moved, every paper that
    pass wrote or found is still there, and the second pass need not look them up again
    (``sourcing.store.bulk.write``). At most one row (``pk=1``)."""

    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "paper removals"

    def __str__(self) -> str:
        return f"paper removals {self.value}"


__all__ = [
    "AuthorIdentity",
    "Authorship",
    "HarvestState",
    "Paper",
    "PaperRemovals",
    "PeopleGeneration",
    "Person",
    "PersonChange",
    "Prospect",
    "SourcingRun",
]
