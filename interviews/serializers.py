"""Input and output shapes of the interviews API; no rules here (those live in services)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from interviews.models import (
    BugFinding,
    DebuggingSession,
    Interview,
    InterviewKit,
    KitQuestion,
    Recommendation,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
    TakeHomeAssignment,
)
from interviews.selectors import scorecard_effective, scorecard_effective_recommendation
from interviews.verdict import Verdict

# --- kits ---------------------------------------------------------------------------------------


class KitQuestionOutput(serializers.ModelSerializer[KitQuestion]):
    competency: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    rubric = serializers.SerializerMethodField()

    class Meta:
        model = KitQuestion
        fields = ["id", "order", "prompt", "competency", "rubric"]

    def get_rubric(self, obj: KitQuestion) -> dict[str, str]:
        return {str(level): text for level, text in obj.rubric()}


class KitOutput(serializers.ModelSerializer[InterviewKit]):
    role_profile: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    focus_competencies: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    default_interviewers: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True
    )
    questions = KitQuestionOutput(many=True, read_only=True)

    class Meta:
        model = InterviewKit
        fields = [
            "id",
            "role_profile",
            "stage",
            "title",
            "instructions",
            "duration_minutes",
            "focus_competencies",
            "default_interviewers",
            "questions",
        ]


class InterviewOutput(serializers.ModelSerializer[Interview]):
    stage = serializers.CharField(source="kit.stage", read_only=True)
    interviewers: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True
    )

    class Meta:
        model = Interview
        fields = [
            "id",
            "application",
            "kit",
            "stage",
            "scheduled_at",
            "duration_minutes",
            "interviewers",
            "cancelled_at",
            "cancel_reason",
        ]


class StrictInput(serializers.Serializer[Any]):
    """Refuses fields it does not know with a 400 naming them, instead of silently ignoring a
    typo or a field that belongs to another endpoint (``submit`` on PUT)."""

    rejects_unknown_fields = True  # the schema says so (core.api.schema)
    unknown_field_hints: dict[str, str] = {}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [self.unknown_field_hints.get(name, "Unknown field.")]
                        for name in unknown
                    }
                )
        return attrs


class InterviewScheduleInput(StrictInput):
    application = serializers.IntegerField()
    kit = serializers.IntegerField()
    scheduled_at = serializers.DateTimeField(help_text="With its timezone, e.g. ...T14:00:00Z.")
    interviewers = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="User ids; empty: the kit's default interviewers.",
    )
    duration_minutes = serializers.IntegerField(
        required=False, default=60, min_value=5, max_value=480, help_text="Length, 5 to 480."
    )


class InterviewCancelInput(StrictInput):
    reason = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=2000, help_text="Why, for the log."
    )


class InterviewRescheduleInput(StrictInput):
    scheduled_at = serializers.DateTimeField(help_text="The new time, with its timezone.")
    duration_minutes = serializers.IntegerField(
        required=False, min_value=5, max_value=480, help_text="The new length (default: kept)."
    )


# --- scorecards ---------------------------------------------------------------------------------


class RatingInput(serializers.Serializer[Any]):
    competency = serializers.SlugField()
    # Range and evidence rules are the service's; a non-integer is a shape error here.
    rating = serializers.IntegerField(allow_null=True)
    evidence = serializers.CharField(allow_blank=True, required=False, default="")


class ScorecardInput(StrictInput):
    """Replaces a draft. Submitting is its own request (``POST /scorecards/{id}/submit/``), so a
    ``submit`` field here is refused rather than ignored (it would leave a draft)."""

    unknown_field_hints = {
        "submit": "Unknown field here: PUT only replaces the draft. To submit it, "
        "POST /api/v1/scorecards/{id}/submit/ (or POST /api/v1/scorecards/ with "
        '"submit": true).'
    }

    ratings = RatingInput(many=True, required=False, default=list)
    recommendation = serializers.CharField(allow_blank=True, required=False, default="")
    summary = serializers.CharField(allow_blank=True, required=False, default="")


class ScorecardCreateInput(ScorecardInput):
    interview = serializers.IntegerField()
    submit = serializers.BooleanField(required=False, default=False)


class AmendmentInput(StrictInput):
    reason = serializers.CharField()
    ratings = RatingInput(many=True, required=False, default=list)
    recommendation = serializers.ChoiceField(
        choices=Recommendation.choices, required=False, default=""
    )


class RatingOutput(serializers.ModelSerializer[ScorecardRating]):
    competency: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = ScorecardRating
        fields = ["competency", "rating", "evidence"]


class AmendmentOutput(serializers.ModelSerializer[ScorecardAmendment]):
    author: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ScorecardAmendment
        fields = ["id", "author", "created_at", "reason", "changes"]


class ScorecardOutput(serializers.ModelSerializer[Scorecard]):
    interviewer: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    application = serializers.IntegerField(source="interview.application_id", read_only=True)
    stage = serializers.CharField(source="interview.kit.stage", read_only=True)
    ratings = RatingOutput(many=True, read_only=True)
    amendments = AmendmentOutput(many=True, read_only=True)
    effective = serializers.SerializerMethodField(
        help_text="Ratings and recommendation after amendments."
    )

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "interview",
            "application",
            "stage",
            "interviewer",
            "status",
            "recommendation",
            "summary",
            "submitted_at",
            "ratings",
            "amendments",
            "effective",
        ]

    def get_effective(self, obj: Scorecard) -> dict[str, Any]:
        return {
            "ratings": {
                slug: {"rating": rating, "evidence": evidence}
                for slug, (rating, evidence) in scorecard_effective(scorecard=obj).items()
            },
            "recommendation": scorecard_effective_recommendation(scorecard=obj),
        }


# --- take-homes ---------------------------------------------------------------------------------


class TakeHomeAssignInput(StrictInput):
    application = serializers.IntegerField()
    template = serializers.IntegerField()
    due_at = serializers.DateTimeField()
    link_expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    graders = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    blind = serializers.BooleanField(required=False, default=True)


class TakeHomeAssignmentOutput(serializers.ModelSerializer[TakeHomeAssignment]):
    graders: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True
    )
    grades_submitted = serializers.SerializerMethodField()

    class Meta:
        model = TakeHomeAssignment
        fields = [
            "id",
            "application",
            "template",
            "submission_code",
            "status",
            "sent_at",
            "due_at",
            "link_expires_at",
            "submitted_at",
            "blind",
            "graders",
            "grades_submitted",
        ]

    def get_grades_submitted(self, obj: TakeHomeAssignment) -> int:
        return getattr(obj, "grades_submitted", 0)


# --- pair debugging -----------------------------------------------------------------------------


class FindingOutput(serializers.ModelSerializer[BugFinding]):
    bug = serializers.IntegerField(source="bug_id")
    category = serializers.CharField(source="bug.category")
    title = serializers.CharField(source="bug.title")
    found = serializers.SerializerMethodField()

    class Meta:
        model = BugFinding
        fields = ["bug", "category", "title", "found", "found_at", "hints_used", "notes"]

    def get_found(self, obj: BugFinding) -> bool:
        return obj.found_at is not None


class DebuggingSessionOutput(serializers.ModelSerializer[DebuggingSession]):
    task: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    interviewer: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    findings = FindingOutput(many=True, read_only=True)

    class Meta:
        model = DebuggingSession
        fields = [
            "id",
            "application",
            "interview",
            "task",
            "interviewer",
            "started_at",
            "ended_at",
            "notes",
            "findings",
        ]


# --- verdict ------------------------------------------------------------------------------------


def verdict_data(verdict: Verdict) -> dict[str, Any]:
    return {
        "application": verdict.application_id,
        "bar_version": verdict.bar_version,
        "outcome": verdict.outcome,
        "summary": verdict.summary,
        "below": verdict.below,
        "missing": verdict.missing,
        "strengths_confirmed": verdict.strengths_confirmed,
        "strengths_not_confirmed": verdict.strengths_not_confirmed,
        "competencies": [
            {
                "competency": c.competency,
                "name": c.name,
                "minimum_level": c.minimum_level,
                "strength_level": c.strength_level,
                "level": c.level,
                "status": c.status,
                "met": c.met,
                "strength_confirmed": c.strength_confirmed,
                "source_count": c.source_count,
                "evidence": [
                    {"kind": e.kind, "source_id": e.source_id, "level": e.level, "label": e.label}
                    for e in c.evidence
                ],
            }
            for c in verdict.competencies
        ],
    }


class VerdictOutput(serializers.Serializer[Any]):
    """Schema only; the body is ``verdict_data``."""

    application = serializers.IntegerField()
    bar_version = serializers.IntegerField()
    outcome = serializers.ChoiceField(
        choices=["meets_every_bar", "below_bar", "not_enough_evidence"]
    )
    summary = serializers.CharField()
    below = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())
    strengths_confirmed = serializers.ListField(child=serializers.CharField())
    strengths_not_confirmed = serializers.ListField(child=serializers.CharField())
    competencies = serializers.ListField(child=serializers.DictField())
