"""Pair debugging: a library of small runnable ML programs with seeded bugs (buggy and fixed
source both stored), and sessions recording what a candidate found, when, with how many hints."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from hiring.models import Application, Competency
from interviews.models.kits import Interview


class BugCategory(models.TextChoices):
    DATA_LEAKAGE = "data_leakage", "Data leakage"
    TRAIN_EVAL_MODE = "train_eval_mode", "Train/eval mode"
    LOSS_REDUCTION = "loss_reduction", "Loss reduction"
    SHAPES = "shapes", "Broadcasting or shapes"
    LR_SCHEDULE = "lr_schedule", "Learning-rate schedule"
    LABEL_HANDLING = "label_handling", "Label handling"
    METRIC = "metric", "Metric computation"
    RANDOMNESS = "randomness", "Seeding and randomness"
    OTHER = "other", "Other"


class DebuggingTask(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="What the program is meant to do; read it first.")
    buggy_source = models.TextField()
    fixed_source = models.TextField()
    expected_behaviour = models.TextField(
        help_text="How the buggy and the fixed programs differ when run."
    )
    competencies = models.ManyToManyField(
        Competency, related_name="debugging_tasks", help_text="What a session is evidence of."
    )
    time_box_minutes = models.PositiveSmallIntegerField(
        default=45, validators=[MinValueValidator(5)]
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class SeededBug(models.Model):
    task = models.ForeignKey(DebuggingTask, on_delete=models.CASCADE, related_name="bugs")
    order = models.PositiveSmallIntegerField(default=0)
    category = models.CharField(max_length=32, choices=BugCategory.choices)
    title = models.CharField(max_length=200)
    explanation = models.TextField(help_text="What is wrong, why it matters, and the fix.")
    line_start = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    line_end = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    hints = models.JSONField(default=list, help_text="Hints in the order they are given.")

    class Meta:
        ordering = ["task", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(line_end__gte=F("line_start")), name="bug_line_range_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task.slug}: {self.title}"


class DebuggingSession(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="debugging_sessions"
    )
    interview = models.ForeignKey(
        Interview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="debugging_sessions",
    )
    task = models.ForeignKey(DebuggingTask, on_delete=models.PROTECT, related_name="sessions")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task} · application {self.application_id}"

    @property
    def is_finished(self) -> bool:
        return self.ended_at is not None


class BugFinding(models.Model):
    """One seeded bug in one session; ``found_at`` NULL means not found (yet)."""

    session = models.ForeignKey(DebuggingSession, on_delete=models.CASCADE, related_name="findings")
    bug = models.ForeignKey(SeededBug, on_delete=models.PROTECT, related_name="+")
    found_at = models.DateTimeField(null=True, blank=True)
    hints_used = models.PositiveSmallIntegerField(default=0)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["session", "bug__order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "bug"], name="finding_one_per_bug")
        ]

    def __str__(self) -> str:
        return f"{self.bug_id}: {'found' if self.found_at else 'not found'}"
