from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from interviews.models import BugFinding, DebuggingSession, DebuggingTask, SeededBug
from interviews.services.debugging import debugging_session_start


class SeededBugInline(admin.StackedInline):
    model = SeededBug
    extra = 0
    fields = ["order", "category", "title", "explanation", ("line_start", "line_end"), "hints"]


@admin.register(DebuggingTask)
class DebuggingTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "bug_count", "time_box_minutes", "is_active"]
    list_filter = ["is_active", "bugs__category"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["competencies"]
    inlines = [SeededBugInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[DebuggingTask]:
        queryset: QuerySet[DebuggingTask] = super().get_queryset(request)
        return queryset.annotate(bugs_total=Count("bugs", distinct=True))

    @admin.display(description="bugs", ordering="bugs_total")
    def bug_count(self, obj: DebuggingTask) -> int:
        return getattr(obj, "bugs_total", 0)


class FindingInline(admin.TabularInline):
    model = BugFinding
    extra = 0
    can_delete = False
    fields = ["bug", "found_at", "hints_used", "notes"]
    readonly_fields = ["bug"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SessionStartForm(forms.ModelForm):
    class Meta:
        model = DebuggingSession
        fields = ["application", "task", "interview", "interviewer", "started_at"]


@admin.register(DebuggingSession)
class DebuggingSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "candidate", "task", "interviewer", "started_at", "ended_at"]
    list_filter = ["task"]
    search_fields = ["application__candidate__full_name", "task__title", "interviewer__username"]
    autocomplete_fields = ["application", "interview"]
    inlines = [FindingInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[DebuggingSession]:
        queryset: QuerySet[DebuggingSession] = super().get_queryset(request)
        return queryset.select_related("task", "interviewer", "application__candidate")

    @admin.display(ordering="application__candidate__full_name")
    def candidate(self, obj: DebuggingSession) -> str:
        return obj.application.candidate.full_name

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = SessionStartForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["application", "task", "interview", "interviewer", "started_at"] if obj else []

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.inlines if obj is not None else []

    def save_model(
        self, request: HttpRequest, obj: DebuggingSession, form: Any, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        session = debugging_session_start(
            application=obj.application,
            task=obj.task,
            interviewer=obj.interviewer,
            interview=obj.interview,
            now=obj.started_at,
        )
        obj.pk = session.pk
        form.instance = session
