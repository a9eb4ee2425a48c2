"""What sourcing adds to the hiring admin's pages: the arXiv evidence on a candidate, and
"source first authors from arXiv" on openings and role profiles."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.admin import extend_admin
from hiring.models import Candidate, Opening, RoleProfile
from sourcing import launch
from sourcing.admin.display import (
    breakdown_table,
    evidence_list,
    name_forms_text,
)
from sourcing.models import Person, SourcingRun


class ArxivEvidenceInline(admin.StackedInline):
    """On a candidate: the arXiv identity they came from, their papers, positions and
    affiliations, and how they rank for each role."""

    model = Person
    fk_name = "candidate"
    verbose_name = "arXiv evidence"
    verbose_name_plural = "arXiv evidence"
    fields = readonly_fields = ("display_name", "written_as", "confidence", "papers", "rankings")
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Evidence comes from sourcing runs; "Add another" would only offer an empty block.
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return super().get_queryset(request).prefetch_related("prospects__role_profile")

    @admin.display(description="written as")
    def written_as(self, person: Person) -> str:
        return name_forms_text(person)

    @admin.display(description="papers (position, affiliation)")
    def papers(self, person: Person) -> str:
        return format_html("<ul>{}</ul>", evidence_list(person))

    @admin.display(description="ranking per role")
    def rankings(self, person: Person) -> str:
        return format_html_join(
            "",
            "<div><em>{}</em>: {}</div>",
            ((p.role_profile.title, breakdown_table(p.breakdown)) for p in person.prospects.all()),
        )


@admin.action(description="Source first authors from arXiv", permissions=["view"])
def source_from_arxiv(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]
) -> None:
    if not request.user.has_perm("sourcing.add_sourcingrun"):
        modeladmin.message_user(request, "You may not start sourcing runs.", messages.ERROR)
        return
    started: list[SourcingRun] = []
    running: list[SourcingRun] = []
    for obj in queryset:
        opening = obj if isinstance(obj, Opening) else None
        role = obj.role_profile if opening else obj
        try:
            run, created = launch.sourcing_run_launch(
                kind=SourcingRun.Kind.API, role_profile=role, opening=opening, by=request.user
            )
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj}: {'; '.join(exc.messages)}", messages.ERROR)
            continue
        (started if created else running).append(run)
    for runs, words in ((started, "Started {}."), (running, "Already running, not restarted: {}.")):
        if runs:
            links = format_html_join(
                ", ",
                '<a href="{}">run {}</a>',
                ((reverse("admin:sourcing_sourcingrun_change", args=[r.pk]), r.pk) for r in runs),
            )
            modeladmin.message_user(request, format_html(words, links))


extend_admin(Candidate, inlines=[ArxivEvidenceInline])
extend_admin(Opening, actions=[source_from_arxiv])
extend_admin(RoleProfile, actions=[source_from_arxiv])
