"""Ranked prospects per role, with the breakdown that explains each score."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hiring.models import Candidate
from sourcing.admin.display import (
    breakdown_table,
)
from sourcing.models import Prospect


@admin.register(Prospect)
class ProspectAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "role_profile",
        "score",
        "first_author_papers",
        "last_author_papers",
        "candidate",
        "updated_at",
    ]
    list_filter = ["role_profile"]
    list_select_related = ["person", "role_profile", "person__candidate"]
    search_fields = ["person__display_name"]
    ordering = ["role_profile", "-score"]
    readonly_fields = (
        "role_profile",
        "person",
        "score",
        "explanation",
        "first_author_papers",
        "last_author_papers",
        "last_run",
        "updated_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a ranking's output: viewed, never edited (the next run recomputes it)

    @admin.display(description="candidate")
    def candidate(self, prospect: Prospect) -> Candidate | None:
        return prospect.person.candidate

    @admin.display(description="why this score")
    def explanation(self, prospect: Prospect) -> str:
        return breakdown_table(prospect.breakdown)
