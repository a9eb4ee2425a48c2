"""Scorecards in the admin are read-only: a submitted scorecard is immutable (corrections are
amendments by their author), and drafts are the interviewer's private work, so not listed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import ReadOnlyModelAdmin
from interviews.models import Scorecard, ScorecardAmendment, ScorecardRating


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RatingInline(ReadOnlyInline):
    model = ScorecardRating
    fields = ["competency", "rating", "evidence"]
    readonly_fields = ["competency", "rating", "evidence"]


class AmendmentInline(ReadOnlyInline):
    model = ScorecardAmendment
    fields = ["author", "created_at", "reason", "changes"]
    readonly_fields = ["author", "created_at", "reason", "changes"]


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyModelAdmin):
    list_display = [
        "__str__",
        "candidate",
        "stage",
        "interviewer",
        "recommendation",
        "submitted_at",
    ]
    list_filter = ["recommendation", "interview__kit__stage"]
    search_fields = ["interview__application__candidate__full_name", "interviewer__username"]
    readonly_fields = [
        "interview",
        "interviewer",
        "status",
        "recommendation",
        "summary",
        "submitted_at",
        "created_at",
    ]
    inlines = [RatingInline, AmendmentInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Scorecard]:
        return (
            super()
            .get_queryset(request)
            .filter(status=Scorecard.Status.SUBMITTED)
            .select_related("interviewer", "interview__kit", "interview__application__candidate")
        )

    @admin.display(ordering="interview__application__candidate__full_name")
    def candidate(self, obj: Scorecard) -> str:
        return obj.interview.application.candidate.full_name

    @admin.display(ordering="interview__kit__stage")
    def stage(self, obj: Scorecard) -> str:
        return obj.interview.kit.get_stage_display()
