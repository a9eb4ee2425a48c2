from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from hiring import roles
from interviews.models import Interview, InterviewKit, KitQuestion
from interviews.services.interviews import interview_schedule_errors


class KitQuestionInline(admin.StackedInline):
    model = KitQuestion
    extra = 0
    autocomplete_fields = ["competency"]
    fields = ["order", "prompt", "competency", "level_1", "level_2", "level_3", "level_4"]


@admin.register(InterviewKit)
class InterviewKitAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "role_profile",
        "stage",
        "duration_minutes",
        "question_count",
        "is_active",
    ]
    list_filter = ["stage", "role_profile", "is_active"]
    search_fields = ["title", "role_profile__title", "instructions"]
    filter_horizontal = ["focus_competencies", "default_interviewers"]
    inlines = [KitQuestionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InterviewKit]:
        return (
            super()
            .get_queryset(request)
            .select_related("role_profile")
            .annotate(questions_total=Count("questions"))
        )

    @admin.display(description="questions", ordering="questions_total")
    def question_count(self, obj: InterviewKit) -> int:
        return getattr(obj, "questions_total", 0)


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["application", "kit", "scheduled_at", "interviewers"]
        help_texts = {
            "application": "An open application (not hired, rejected or withdrawn).",
            "kit": "A kit of the application's role: its opening's role profile.",
            "scheduled_at": "In UTC.",
            "interviewers": "They see the interview at /interviewer/. Leave empty for the kit's "
            "default interviewers. New interviewer: manage.py create_interviewer USERNAME.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # People only: an ATS integration's account never interviews anyone.
        interviewers = self.fields["interviewers"]
        assert isinstance(interviewers, forms.ModelMultipleChoiceField)
        interviewers.queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(groups__name=roles.ATS_INTEGRATIONS)
            .order_by("username")
        )

    def clean(self) -> dict[str, Any]:
        """The scheduling service's rules (kit of the application's role, application still
        open), for a new interview and an edited one alike."""
        data = super().clean() or {}
        application, kit = data.get("application"), data.get("kit")
        if application and kit:
            errors = interview_schedule_errors(
                application=application, kit=kit, scheduled_at=data.get("scheduled_at")
            )
            for field, messages in errors.items():
                self.add_error(field if field in self.fields else None, messages)
        return data


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    form = InterviewForm
    list_display = ["__str__", "candidate", "kit", "scheduled_at", "interviewer_names"]
    list_filter = ["kit__stage", "kit__role_profile"]
    search_fields = ["application__candidate__full_name", "kit__title"]
    autocomplete_fields = ["application", "kit"]
    filter_horizontal = ["interviewers"]
    date_hierarchy = "scheduled_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Interview]:
        return (
            super()
            .get_queryset(request)
            .select_related("kit", "application__candidate")
            .prefetch_related("interviewers")
        )

    @admin.display(ordering="application__candidate__full_name")
    def candidate(self, obj: Interview) -> str:
        return obj.application.candidate.full_name

    @admin.display(description="interviewers")
    def interviewer_names(self, obj: Interview) -> str:
        return ", ".join(person.get_username() for person in obj.interviewers.all()) or "—"

    def save_model(self, request: HttpRequest, obj: Interview, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        interview = form.instance
        # Same default as the service: nobody named means the kit's default interviewers.
        if not interview.interviewers.exists():
            interview.interviewers.set(interview.kit.default_interviewers.all())
