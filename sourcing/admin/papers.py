"""Papers and authorships (each author mention, with the person it was matched to)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from sourcing.admin.display import (
    PAPER_AUTHORSHIP_FIELDS,
    PERSON_AUTHORSHIP_FIELDS,
)
from sourcing.models import Authorship, Paper, Person
from sourcing.people import identities


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    fields = readonly_fields = PERSON_AUTHORSHIP_FIELDS
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PaperAuthorshipInline(AuthorshipInline):
    fields = readonly_fields = PAPER_AUTHORSHIP_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Authorship]:
        return super().get_queryset(request).select_related("person")


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = [
        "arxiv_id",
        "title",
        "primary_category",
        "published",
        "reimplementation_count",
        "has_official_code",
    ]
    list_filter = ["primary_category", "has_official_code"]
    search_fields = ["arxiv_id", "title", "doi"]
    readonly_fields = [f.name for f in Paper._meta.fields if f.name != "id"]
    inlines = [PaperAuthorshipInline]
    show_full_result_count = False  # COUNT(*) over millions of papers on every page

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Authorship)
class AuthorshipAdmin(admin.ModelAdmin):
    list_display = ["name", "paper", "position", "affiliation", "person", "match_confidence"]
    list_select_related = ["paper", "person"]
    list_filter = [("person", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "paper__arxiv_id"]
    readonly_fields = [
        "paper",
        "person",
        "position",
        "name",
        "affiliation",
        "match_confidence",
        "is_last",
    ]
    actions = ["split_off"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Split selected into a new person", permissions=["change"])
    def split_off(self, request: HttpRequest, queryset: QuerySet[Authorship]) -> None:
        authorships = list(queryset)
        owners = {a.person_id for a in authorships}
        if len(owners) != 1:
            self.message_user(request, "Select authorships of one person.", messages.ERROR)
            return
        person = Person.objects.get(pk=owners.pop())
        try:
            change = identities.person_split(
                person=person, authorships=authorships, by=request.user
            )
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        self.message_user(request, f"Split {len(authorships)} off into {change.target} (undoable).")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("sourcing.change_person")
