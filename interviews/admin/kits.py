from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from core.admin import history_html
from hiring.admin.applications import offer_open_applications_only
from hiring.admin.forms import adopt_saved
from interviews.admin.choices import PeopleChoiceField, chosen_application, person_label
from interviews.models import Interview, InterviewKit, KitQuestion
from interviews.selectors import interviewer_choices, kits_for_application
from interviews.services.interviews import (
    DEFAULT_DURATION,
    interview_cancel,
    interview_reschedule,
    interview_schedule,
    interview_schedule_errors,
    no_interviewers_error,
)


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
        queryset: QuerySet[InterviewKit] = super().get_queryset(request)
        # In the model's order (a query with an aggregate drops it): the kit search pages
        # through these.
        return (
            queryset.select_related("role_profile")
            .annotate(questions_total=Count("questions"))
            .order_by("role_profile__title", "stage", "pk")
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[InterviewKit], search_term: str
    ) -> tuple[QuerySet[InterviewKit], bool]:
        """In the interview form's kit search, with an application chosen (sent along by
        ``role_choices.js``): only the kits of its opening's role profile, the only ones the
        scheduling service accepts."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        application = chosen_application(request, model_name="interview", field_name="kit")
        if application is not None:
            queryset = kits_for_application(queryset, application_id=application)
        return queryset, duplicates

    @admin.display(description="questions", ordering="questions_total")
    def question_count(self, obj: InterviewKit) -> int:
        return getattr(obj, "questions_total", 0)


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["application", "kit", "scheduled_at", "duration_minutes", "interviewers"]
        field_classes = {"interviewers": PeopleChoiceField}
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
        interviewers.queryset = interviewer_choices()
        # Left empty, the kit's default interviewers take it (``clean`` says when it has none),
        # as the help text says and the scheduling service does.
        interviewers.required = False

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
        if kit and "interviewers" in data:
            message = no_interviewers_error(kit=kit, interviewers=data["interviewers"])
            if message:
                self.add_error("interviewers", message)
        return data


# Nothing is scheduled for a closed application (``closed_application_error``).
offer_open_applications_only("interviews", "interview", "application")


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    form = InterviewForm

    class Media:
        # After jquery.init.js, which makes ``django.jQuery`` (the merged media keep this order).
        js = ["admin/js/jquery.init.js", "interviews/admin/role_choices.js"]

    list_display = [
        "__str__",
        "candidate",
        "kit",
        "scheduled_at",
        "duration_minutes",
        "interviewer_names",
        "cancelled",
    ]
    list_filter = ["kit__stage", "kit__role_profile", ("cancelled_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["cancelled_at", "cancel_reason", "history"]
    actions = ["cancel_interviews"]
    search_fields = ["application__candidate__full_name", "kit__title"]
    autocomplete_fields = ["application", "kit"]
    filter_horizontal = ["interviewers"]
    date_hierarchy = "scheduled_at"

    def get_readonly_fields(
        self, request: HttpRequest, obj: Interview | None = None
    ) -> list[str] | tuple[str, ...]:
        # A new interview has no cancellation and no history to show.
        return self.readonly_fields if obj is not None else ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Interview]:
        queryset: QuerySet[Interview] = super().get_queryset(request)
        return queryset.select_related("kit", "application__candidate").prefetch_related(
            "interviewers"
        )

    @admin.display(ordering="application__candidate__full_name")
    def candidate(self, obj: Interview) -> str:
        return obj.application.candidate.full_name

    @admin.display(description="interviewers")
    def interviewer_names(self, obj: Interview) -> str:
        return ", ".join(person_label(person) for person in obj.interviewers.all()) or "—"

    @admin.display(description="cancelled", boolean=True)
    def cancelled(self, obj: Interview) -> bool:
        return obj.cancelled_at is not None

    @admin.display(description="history (newest first)")
    def history(self, obj: Interview) -> str:
        return history_html(object_type="interview", object_id=obj.pk) if obj.pk else "—"

    def save_model(self, request: HttpRequest, obj: Interview, form: Any, change: bool) -> None:
        """Through the scheduling services, so the rules and the interview events are the
        API's: a new interview is scheduled, a changed time or length is a reschedule."""
        data = form.cleaned_data
        if not change:
            interview = interview_schedule(
                application=data["application"],
                kit=data["kit"],
                scheduled_at=data["scheduled_at"],
                interviewers=data.get("interviewers") or (),
                duration_minutes=data.get("duration_minutes") or DEFAULT_DURATION,
                by=request.user,
            )
            adopt_saved(obj, interview)
            return
        if {"scheduled_at", "duration_minutes"} & set(form.changed_data):
            interview_reschedule(
                interview=obj,
                scheduled_at=data["scheduled_at"],
                duration_minutes=data.get("duration_minutes"),
                by=request.user,
            )
        other = [f for f in form.changed_data if f not in ("scheduled_at", "duration_minutes")]
        if other:
            super().save_model(request, obj, form, change)

    @admin.action(description="Cancel selected interviews", permissions=["change"])
    def cancel_interviews(self, request: HttpRequest, queryset: QuerySet[Interview]) -> None:
        cancelled = 0
        for interview in queryset.filter(cancelled_at__isnull=True):
            interview_cancel(interview=interview, reason="Cancelled in the admin.", by=request.user)
            cancelled += 1
        self.message_user(request, f"Cancelled {cancelled} interview(s).")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        interview = form.instance
        # Same default as the service: nobody named means the kit's default interviewers.
        if not interview.interviewers.exists():
            interview.interviewers.set(interview.kit.default_interviewers.all())
