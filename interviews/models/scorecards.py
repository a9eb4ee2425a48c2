"""Scorecards: one per interviewer per interview. A submitted scorecard never changes; later
corrections are ``ScorecardAmendment`` rows that the verdict applies on top, in order."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hiring.models import LEVEL_VALIDATORS, Competency, Level
from interviews.models.kits import Interview


class Recommendation(models.TextChoices):
    STRONG_NO = "strong_no", "Strong no"
    NO = "no", "No"
    YES = "yes", "Yes"
    STRONG_YES = "strong_yes", "Strong yes"


class Scorecard(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scorecards"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    recommendation = models.CharField(max_length=16, choices=Recommendation.choices, blank=True)
    summary = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["interview", "interviewer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"], name="scorecard_one_per_interviewer"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (~Q(recommendation="") & Q(submitted_at__isnull=False)),
                name="scorecard_submitted_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Scorecard {self.pk} ({self.get_status_display()})"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class ScorecardRating(models.Model):
    """``rating`` NULL means "no evidence"; a rating always comes with written evidence."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        choices=Level.choices, validators=LEVEL_VALIDATORS, null=True, blank=True
    )
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["scorecard", "competency__display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "competency"], name="rating_one_per_competency"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=4)),
                name="rating_in_range",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | ~Q(evidence=""),
                name="rating_needs_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.rating or 'no evidence'}"


class ScorecardAmendment(models.Model):
    """A correction to a submitted scorecard. ``changes`` maps what changed to its before and
    after values: ``{"ratings": {slug: {"before": {"rating", "evidence"}, "after": {...}}},
    "recommendation": {"before": str, "after": str}}``."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    changes = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scorecard", "created_at", "id"]

    def __str__(self) -> str:
        return f"Amendment {self.pk} to scorecard {self.scorecard_id}"
