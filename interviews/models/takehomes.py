"""Take-homes: templates with rubric criteria, assignments sent to an application through a
tokenised link, and blind grades (several graders, one score per criterion each)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from hiring.models import LEVEL_VALIDATORS, Application, Competency, Level, RoleProfile


class TakeHomeTemplate(models.Model):
    title = models.CharField(max_length=200)
    role_profile = models.ForeignKey(
        RoleProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="takehomes"
    )
    brief = models.TextField(help_text="What the candidate is asked to do; shown on their link.")
    starter_material = models.TextField(
        blank=True, help_text="Starter code, data description or a link to a starter archive."
    )
    time_budget_minutes = models.PositiveSmallIntegerField(
        default=240, validators=[MinValueValidator(15)]
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "take-home template"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class TakeHomeCriterion(models.Model):
    template = models.ForeignKey(
        TakeHomeTemplate, on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    guidance = models.TextField(help_text="What a 1, 2, 3 and 4 look like for this criterion.")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "take-home criterion"
        verbose_name_plural = "take-home criteria"
        ordering = ["template", "order", "id"]

    def __str__(self) -> str:
        return self.title


class TakeHomeAssignment(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        SUBMITTED = "submitted", "Submitted"
        LATE = "late", "Submitted late"
        GRADED = "graded", "Graded"
        EXPIRED = "expired", "Expired"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="takehomes")
    template = models.ForeignKey(
        TakeHomeTemplate, on_delete=models.PROTECT, related_name="assignments"
    )
    # What graders see instead of the candidate; random, so it says nothing about the person.
    submission_code = models.CharField(max_length=16, unique=True)
    # Only a SHA-256 of the link token is stored: a database leak does not open anyone's link.
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField()
    due_at = models.DateTimeField()
    link_expires_at = models.DateTimeField(
        help_text="After this the link refuses submissions; between due and here they are late."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submission_file = models.FileField(upload_to="takehomes/%Y/%m/", blank=True)
    repository_url = models.URLField(max_length=500, blank=True)
    blind = models.BooleanField(
        default=True, help_text="Graders see only the submission code until they grade."
    )
    graders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="takehomes_to_grade", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "take-home assignment"
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gt=models.F("sent_at"))
                & Q(link_expires_at__gte=models.F("due_at")),
                name="takehome_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.submission_code


class TakeHomeGrade(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    assignment = models.ForeignKey(
        TakeHomeAssignment, on_delete=models.CASCADE, related_name="grades"
    )
    grader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "take-home grade"
        ordering = ["assignment", "grader_id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "grader"], name="grade_one_per_grader")
        ]

    def __str__(self) -> str:
        return f"Grade {self.pk} of {self.assignment_id}"


class TakeHomeCriterionScore(models.Model):
    grade = models.ForeignKey(TakeHomeGrade, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(TakeHomeCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(choices=Level.choices, validators=LEVEL_VALIDATORS)
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = "take-home criterion score"
        ordering = ["grade", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["grade", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=4), name="criterion_score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"
