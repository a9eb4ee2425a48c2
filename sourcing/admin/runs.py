"""Sourcing runs with live progress; cancel and resume go through the launch service."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html_join

from sourcing import launch
from sourcing.admin.display import error_folded, progress_bar
from sourcing.admin.run_controls import RunControlsMixin
from sourcing.arxiv.query import role_query
from sourcing.models import SourcingRun


@admin.register(SourcingRun)
class SourcingRunAdmin(RunControlsMixin):
    list_display = [
        "id",
        "kind",
        "status",
        "role_profile",
        "progress",
        "papers_count",
        "people_count",
        "candidates_count",
        "suppressed_count",
        "requested_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["role_profile", "requested_by"]
    readonly_fields = (
        "kind",
        "status",
        "role_profile",
        "opening",
        "searched",
        "progress",
        "papers_count",
        "people_count",
        "candidates_count",
        "suppressed_count",
        "checkpoint",
        "error_details",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "heartbeat_at",
        "top_prospects",
    )
    fields = readonly_fields
    actions = ["cancel_runs", "resume_runs"]
    run_cancellable = True

    def resume(self, request: HttpRequest, run: SourcingRun) -> None:
        launch.sourcing_run_resume(run=run, by=request.user)

    def cancel(self, request: HttpRequest, run: SourcingRun) -> None:
        launch.sourcing_run_cancel(run=run, by=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # runs start from openings, role profiles, commands or the API

    @admin.display(description="parameters")
    def searched(self, run: SourcingRun) -> str:
        """What the run was asked for, and for a query run without a query of its own the one
        it searches with: its role's (``role_query``), which "-" left a recruiter guessing."""
        asked = ", ".join(f"{key}: {value}" for key, value in sorted(run.parameters.items()))
        if run.kind == SourcingRun.Kind.API and not run.parameters.get("query"):
            role = run.role_profile
            query = role_query(role) if role is not None else ""
            searched = f"the query from {role}'s sourcing hints: {query or '(none)'}"
            return f"{asked}; {searched}" if asked else searched
        return asked or "-"

    @admin.display(description="progress")
    def progress(self, run: SourcingRun) -> str:
        return progress_bar(run)

    @admin.display(description="error")
    def error_details(self, run: SourcingRun) -> str:
        return error_folded(run.error)

    @admin.display(description="best prospects of this run")
    def top_prospects(self, run: SourcingRun) -> str:
        prospects = run.prospects.select_related("person").order_by("-score")[:10]
        if not prospects:
            return "none yet" if run.is_active else "none"
        return format_html_join(
            "",
            '<li><a href="{}">{}</a> {}</li>',
            (
                (reverse("admin:sourcing_prospect_change", args=[p.pk]), p.person, p.score)
                for p in prospects
            ),
        )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra = {
            "has_active_runs": SourcingRun.objects.filter(status__in=SourcingRun.ACTIVE).exists()
        }
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    @admin.action(description="Cancel selected runs", permissions=["change"])
    def cancel_runs(self, request: HttpRequest, queryset: QuerySet[SourcingRun]) -> None:
        for run in queryset.filter(status__in=SourcingRun.ACTIVE):
            launch.sourcing_run_cancel(run=run, by=request.user)
        self.message_user(request, "Cancelled; workers stop at their next batch.")

    @admin.action(description="Resume selected failed or cancelled runs", permissions=["change"])
    def resume_runs(self, request: HttpRequest, queryset: QuerySet[SourcingRun]) -> None:
        resumed = 0
        for run in queryset.filter(status__in=SourcingRun.RESUMABLE):
            launch.sourcing_run_resume(run=run, by=request.user)
            resumed += 1
        self.message_user(request, f"Resumed {resumed} run(s) from their checkpoints.")
