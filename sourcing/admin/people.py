"""Author identities: merge, split and undo, each through ``sourcing.people.identities``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from sourcing.admin.display import (
    name_forms_text,
)
from sourcing.admin.papers import AuthorshipInline
from sourcing.models import Authorship, Person, PersonChange
from sourcing.people import identities


class PersonAuthorshipInline(AuthorshipInline):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Authorship]:
        queryset: QuerySet[Authorship] = super().get_queryset(request)
        return queryset.select_related("paper")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = [
        "display_name",
        "confidence",
        "paper_count",
        "candidate",
        "merged_into",
        "last_year",
    ]
    list_select_related = ["candidate", "merged_into"]
    search_fields = ["display_name", "name_key", "full_key"]
    list_filter = [("merged_into", admin.EmptyFieldListFilter)]
    readonly_fields = (
        "display_name",
        "name_key",
        "full_key",
        "written_as",
        "confidence",
        "fields_of_work",
        "affiliated_with",
        "first_year",
        "last_year",
        "candidate",
        "merged_into",
        "split_link",
    )
    fields = readonly_fields
    inlines = [PersonAuthorshipInline]
    actions = ["merge_people"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        queryset: QuerySet[Person] = super().get_queryset(request)
        return queryset.annotate(paper_total=Count("authorships"))

    @admin.display(description="papers", ordering="paper_total")
    def paper_count(self, person: Person) -> int:
        return int(person.paper_total)  # type: ignore[attr-defined]

    @admin.display(description="written as")
    def written_as(self, person: Person) -> str:
        return name_forms_text(person)

    @admin.display(description="category groups")
    def fields_of_work(self, person: Person) -> str:
        return ", ".join(str(g) for g in person.category_groups) or "-"

    @admin.display(description="affiliations")
    def affiliated_with(self, person: Person) -> str:
        return "; ".join(str(a) for a in person.affiliations) or "-"

    @admin.display(description="split")
    def split_link(self, person: Person) -> str:
        url = reverse("admin:sourcing_authorship_changelist") + f"?person__id__exact={person.pk}"
        return format_html('<a href="{}">Choose authorships to split off…</a>', url)

    @admin.action(description="Merge selected people into the oldest one", permissions=["change"])
    def merge_people(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        people = list(queryset.order_by("pk"))
        if len(people) < 2:  # noqa: PLR2004  # a merge needs a target and a source
            self.message_user(request, "Select at least two people.", messages.WARNING)
            return
        try:
            identities.person_merge(target=people[0], sources=people[1:], by=request.user)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        self.message_user(request, f"Merged {len(people) - 1} into {people[0]} (undoable).")


@admin.register(PersonChange)
class PersonChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "source", "target", "moved", "by", "reverted_at"]
    list_select_related = ["source", "target", "by"]
    list_filter = ["kind"]
    readonly_fields = [
        "kind",
        "source",
        "target",
        "authorship_ids",
        "moved_candidate",
        "by",
        "created_at",
        "reverted_at",
    ]
    actions = ["undo"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("sourcing.change_person")

    @admin.display(description="authorships moved")
    def moved(self, change: PersonChange) -> int:
        return len(change.authorship_ids)

    @admin.action(description="Undo selected merges or splits", permissions=["change"])
    def undo(self, request: HttpRequest, queryset: QuerySet[PersonChange]) -> None:
        for change in queryset.filter(reverted_at__isnull=True).order_by("-created_at"):
            try:
                identities.person_change_revert(change=change, by=request.user)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                return
        self.message_user(request, "Undone.")
