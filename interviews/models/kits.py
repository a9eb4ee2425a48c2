"""Interview kits (what to ask at one stage of one role's loop) and interviews (a kit used with
one application, by assigned interviewers, at a time)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hiring.models import Application, Competency, RoleProfile


class InterviewStage(models.TextChoices):
    # Same slugs as hiring.seed.interview_stages and RoleProfile.interview_loop.
    SCREEN = "screen", "Screen"
    TAKE_HOME_REVIEW = "take-home-review", "Take-home review"
    PAIR_DEBUGGING = "pair-debugging", "Pair debugging"
    APPLIED_ML_DESIGN = "applied-ml-design", "Applied ML design"
    MATH = "math", "Math"
    PAST_PROJECT_DEEP_DIVE = "past-project-deep-dive", "Past-project deep dive"
    THEORY = "theory", "Theory"
    COMMUNICATION_CULTURE = "communication-culture", "Communication and culture"


class InterviewKit(models.Model):
    role_profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="kits")
    stage = models.CharField(max_length=32, choices=InterviewStage.choices)
    title = models.CharField(max_length=200)
    instructions = models.TextField(help_text="What the interviewer does, in order.")
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5)]
    )
    focus_competencies = models.ManyToManyField(
        Competency,
        related_name="kits",
        help_text="The competencies this stage rates; the scorecard asks for exactly these.",
    )
    default_interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="default_kits"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["role_profile__title", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["role_profile", "stage"], name="kit_one_per_stage")
        ]

    def __str__(self) -> str:
        return self.title


class KitQuestion(models.Model):
    """A question with rubric guidance: what a 1, 2, 3 and 4 answer sounds like."""

    kit = models.ForeignKey(InterviewKit, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    prompt = models.TextField()
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="kit_questions"
    )
    level_1 = models.TextField("a 1 answer")
    level_2 = models.TextField("a 2 answer")
    level_3 = models.TextField("a 3 answer")
    level_4 = models.TextField("a 4 answer")

    class Meta:
        ordering = ["kit", "order", "id"]

    def __str__(self) -> str:
        return self.prompt[:80]

    def rubric(self) -> list[tuple[int, str]]:
        return [(1, self.level_1), (2, self.level_2), (3, self.level_3), (4, self.level_4)]


class Interview(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    kit = models.ForeignKey(InterviewKit, on_delete=models.PROTECT, related_name="interviews")
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="interviews")
    scheduled_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["application", "scheduled_at"], name="interview_app_time")]

    def __str__(self) -> str:
        return f"{self.kit.get_stage_display()} · application {self.application_id}"
