"""Opening admin: the positions being hired for, with their pipeline counts."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from hiring import selectors, services
from hiring.models import Opening


@admin.register(Opening)
class OpeningAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "role_profile",
        "level",
        "team",
        "status",
        "hiring_manager",
        "headcount",
        "pipeline",
        "created_at",
    ]
    list_filter = ["status", "level", "role_profile", "team", "created_at"]
    search_fields = ["title", "team", "role_profile__title", "hiring_manager__username"]
    autocomplete_fields = ["role_profile"]
    date_hierarchy = "created_at"
    fields = ["title", "role_profile", "level", "team", "headcount", "hiring_manager", "status"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Opening]:
        in_progress = ~Q(applications__stage__in=services.FINAL_STAGES)
        return selectors.openings_visible_to(user=request.user).annotate(
            application_count=Count("applications"),
            active_count=Count("applications", filter=in_progress),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Applications are judged against the role's bars, so the role is chosen once.
        return ["role_profile"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "hiring_manager":
            # A plain select of active users: recruiters hold no permission on the user admin,
            # which an autocomplete widget would need.
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_active=True).order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="applications (in progress / all)", ordering="application_count")
    def pipeline(self, obj: Opening) -> str:
        url = reverse("admin:hiring_application_changelist") + f"?opening__id__exact={obj.pk}"
        return format_html(
            '<a href="{}">{} / {}</a>',
            url,
            obj.active_count,  # type: ignore[attr-defined]
            obj.application_count,  # type: ignore[attr-defined]
        )
