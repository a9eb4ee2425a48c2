"""The verdict in the admin: a read-only "Application verdicts" page per application, and the
application's interviews inline on the hiring Application page (``core.admin.extend_admin``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.admin import ReadOnlyModelAdmin, extend_admin
from hiring.models import Application
from interviews.models import ApplicationVerdict, Interview, Scorecard
from interviews.verdict import application_verdict


@admin.register(ApplicationVerdict)
class ApplicationVerdictAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "stage", "bar_version", "scorecards_submitted"]
    list_filter = ["stage", "opening__role_profile"]
    search_fields = ["candidate__full_name", "opening__title"]
    fields = ["candidate", "opening", "bar_version", "stage", "verdict"]
    readonly_fields = ["candidate", "opening", "bar_version", "stage", "verdict"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApplicationVerdict]:
        queryset: QuerySet[ApplicationVerdict] = super().get_queryset(request)
        return queryset.select_related(
            "candidate", "opening", "bar_version__role_profile"
        ).annotate(
            submitted=Count(
                "interviews__scorecards",
                filter=Q(interviews__scorecards__status=Scorecard.Status.SUBMITTED),
            )
        )

    @admin.display(description="submitted scorecards", ordering="submitted")
    def scorecards_submitted(self, obj: ApplicationVerdict) -> int:
        return getattr(obj, "submitted", 0)

    @admin.display(description="verdict")
    def verdict(self, obj: ApplicationVerdict) -> SafeString:
        return SafeString(
            render_to_string(
                "interviews/admin_verdict.html", {"verdict": application_verdict(application=obj)}
            )
        )


class InterviewInline(admin.TabularInline):
    model = Interview
    extra = 0
    can_delete = False
    fields = ["kit", "scheduled_at", "verdict_link"]
    readonly_fields = ["kit", "scheduled_at", "verdict_link"]
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Interview]:
        queryset: QuerySet[Interview] = super().get_queryset(request)
        return queryset.select_related("kit")

    @admin.display(description="verdict")
    def verdict_link(self, obj: Interview) -> str:
        url = reverse("admin:interviews_applicationverdict_change", args=[obj.application_id])
        return format_html('<a href="{}">Verdict against the bars</a>', url)


extend_admin(Application, inlines=[InterviewInline])
