"""Recruiter admin for sourcing: runs with live progress, papers, author identities (merge,
split, undo), ranked prospects with their breakdown, the arXiv evidence inline on candidates,
and "source from arXiv" actions on openings and role profiles. Writes go through services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.admin import extend_admin
from hiring.models import Candidate, Opening, RoleProfile
from sourcing import launch, selectors
from sourcing.models import Authorship, Paper, Person, PersonChange, Prospect, SourcingRun
from sourcing.people import identities

_PERSON_AUTHORSHIP_FIELDS: tuple[str, ...] = (
    "paper",
    "position",
    "name",
    "affiliation",
    "match_confidence",
    "is_last",
)
_PAPER_AUTHORSHIP_FIELDS: tuple[str, ...] = (
    "person",
    "position",
    "name",
    "affiliation",
    "match_confidence",
)


def progress_bar(run: SourcingRun) -> str:
    unit = " bytes" if run.kind == SourcingRun.Kind.SNAPSHOT else ""
    if not run.total:
        return format_html("{}{}", run.processed, unit)
    return format_html(
        '<progress value="{}" max="{}" style="width:10em"></progress> {}% ({} / {}{})',
        min(run.processed, run.total),
        run.total,
        run.percent,
        run.processed,
        run.total,
        unit,
    )


def breakdown_table(breakdown: dict[str, Any]) -> str:
    if not breakdown:
        return "-"
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>&times; {}</td><td>= {}</td><td>{}</td></tr>",
        (
            (c["name"], c["value"], c["weight"], c["points"], c["reason"])
            for c in breakdown.get("components", [])
        ),
    )
    papers = format_html_join(
        "",
        '<li><a href="https://arxiv.org/abs/{}">{}</a> {} (fit {}, quality {}) {}</li>',
        (
            (p["arxiv_id"], p["arxiv_id"], p["title"], p["fit"], p["quality"], p["why"])
            for p in breakdown.get("papers", [])
        ),
    )
    return format_html(
        "<strong>score {}</strong><table><tr><th>component</th><th>value</th><th>weight</th>"
        "<th>points</th><th>why</th></tr>{}</table><ul>{}</ul>",
        breakdown.get("score"),
        rows,
        papers,
    )


def name_forms_text(person: Person) -> str:
    """The names a person was written under, for reading (the column holds them as JSON)."""
    names = [f.get("name", "") for f in person.name_forms if isinstance(f, dict)]
    return ", ".join(n for n in names if n) or "-"


def evidence_list(person: Person) -> str:
    return format_html_join(
        "",
        '<li><a href="{}">{}</a> {}: author {}{}{}</li>',
        (
            (
                a.paper.abs_url,
                a.paper.arxiv_id,
                a.paper.title,
                a.position + 1,
                " (last)" if a.is_last else "",
                f", {a.affiliation}" if a.affiliation else "",
            )
            for a in selectors.person_evidence(person=person)[:50]
        ),
    )


@admin.register(SourcingRun)
class SourcingRunAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "status",
        "role_profile",
        "progress",
        "papers_count",
        "people_count",
        "candidates_count",
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
        "parameters",
        "progress",
        "papers_count",
        "people_count",
        "candidates_count",
        "checkpoint",
        "error",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "heartbeat_at",
        "top_prospects",
    )
    fields = readonly_fields
    actions = ["cancel_runs", "resume_runs"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # runs start from openings, role profiles, commands or the API

    @admin.display(description="progress")
    def progress(self, run: SourcingRun) -> str:
        return progress_bar(run)

    @admin.display(description="best prospects of this run")
    def top_prospects(self, run: SourcingRun) -> str:
        prospects = run.prospects.select_related("person").order_by("-score")[:10]
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

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        active = SourcingRun.objects.filter(pk=object_id, status__in=SourcingRun.ACTIVE).exists()
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "run_is_active": active}
        )

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


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    fields = readonly_fields = _PERSON_AUTHORSHIP_FIELDS
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PaperAuthorshipInline(AuthorshipInline):
    fields = readonly_fields = _PAPER_AUTHORSHIP_FIELDS

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


class PersonAuthorshipInline(AuthorshipInline):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Authorship]:
        return super().get_queryset(request).select_related("paper")


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
        return super().get_queryset(request).annotate(paper_total=Count("authorships"))

    @admin.display(description="papers", ordering="paper_total")
    def paper_count(self, person: Person) -> int:
        return person.paper_total  # type: ignore[attr-defined]

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
        if len(people) < 2:
            self.message_user(request, "Select at least two people.", messages.WARNING)
            return
        try:
            identities.person_merge(target=people[0], sources=people[1:], by=request.user)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        self.message_user(request, f"Merged {len(people) - 1} into {people[0]} (undoable).")


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
